/**
 * Every column's data class and purposes, gathered from the declarations of the table owners
 * (TRUST DP-01, issue 13). Each owner of the map (server/platform/db/tables.ts) declares its
 * tables in its own `.data.ts` file, exported from its `index.ts`; this file only collects them,
 * so it sits above the modules, like server/app.ts. The type below fails to compile when an owner
 * of the map has no declaration; the classification test compares the result with the migrated
 * database's catalog.
 */

import { appointmentsData } from '../modules/appointments/index.ts';
import { arrearsData } from '../modules/arrears/index.ts';
import { callsData } from '../modules/calls/index.ts';
import { campaignsData } from '../modules/campaigns/index.ts';
import { doorstepData } from '../modules/doorstep/index.ts';
import { federationData } from '../modules/federation/index.ts';
import { followupsData } from '../modules/followups/index.ts';
import { identityData } from '../modules/identity/index.ts';
import { messagingData } from '../modules/messaging/index.ts';
import { partnersData } from '../modules/partners/index.ts';
import { portalData } from '../modules/portal/index.ts';
// Not through privacy's and retention's index.ts: the access export (privacy) reads this
// classification, and the retention purge gathers privacy's purge target: that would be a cycle.
import { privacyData } from '../modules/privacy/privacy.data.ts';
import { registryData } from '../modules/registry/index.ts';
import { retentionData } from '../modules/retention/retention.data.ts';
import { solidarityData } from '../modules/solidarity/index.ts';
import { auditData } from '../platform/audit/audit.data.ts';
import { authData } from '../platform/auth/auth.data.ts';
import type { Classification, ModuleClassification } from '../platform/db/classification.ts';
import { dbData } from '../platform/db/db.data.ts';
import { type TableName, type TableOwner, tables } from '../platform/db/tables.ts';
import { filesData } from '../platform/files/files.data.ts';
import { outboxData } from '../platform/outbox/outbox.data.ts';

const declarations = {
  'platform/db': dbData,
  'platform/auth': authData,
  'platform/audit': auditData,
  'platform/outbox': outboxData,
  'platform/files': filesData,
  identity: identityData,
  registry: registryData,
  campaigns: campaignsData,
  calls: callsData,
  followups: followupsData,
  doorstep: doorstepData,
  partners: partnersData,
  messaging: messagingData,
  arrears: arrearsData,
  federation: federationData,
  privacy: privacyData,
  retention: retentionData,
  solidarity: solidarityData,
  appointments: appointmentsData,
  portal: portalData,
} satisfies { [O in TableOwner]: ModuleClassification<O> };

/** One column of the database with its owner, what its table holds, its data class and purposes. */
export type ClassifiedColumn = Classification & { table: TableName; column: string; owner: TableOwner; about: string };

/** Every declared column, table by table in the order of the owner map, columns in their declared order. */
export function classifiedColumns(): ClassifiedColumn[] {
  return (Object.keys(tables) as TableName[]).flatMap((table) => {
    const owner = tables[table].owner;
    const declared = (declarations[owner] as Record<string, { about: string; columns: Record<string, Classification> }>)[table];
    if (!declared) return [];
    return Object.entries(declared.columns).map(([column, c]) => ({ table, column, owner, about: declared.about, ...c }));
  });
}

/** The file where a table owner declares its columns' classification. */
export function declarationFile(owner: TableOwner): string {
  const [kind, name] = owner.startsWith('platform/') ? ['platform', owner.slice('platform/'.length)] : ['modules', owner];
  return `server/${kind}/${name}/${name}.data.ts`;
}

type ColumnRef = { table: string; column: string };

/**
 * What is wrong between the database's columns and the declarations: a column with no
 * declaration (named table.column, with where to declare it), a declared column the database
 * does not have, a declaration without a class or a purpose. Empty when all is classified.
 */
export function classificationGaps(inDatabase: ColumnRef[], declared: (ColumnRef & Partial<Classification>)[]): string[] {
  const key = (c: ColumnRef) => `${c.table}.${c.column}`;
  const declaredKeys = new Set(declared.map(key));
  const databaseKeys = new Set(inDatabase.map(key));
  const gaps: string[] = [];
  for (const c of inDatabase) {
    if (declaredKeys.has(key(c))) continue;
    const owner = Object.hasOwn(tables, c.table) ? tables[c.table as TableName].owner : undefined;
    gaps.push(
      owner
        ? `${key(c)} has no data class or purpose: declare it in ${declarationFile(owner)}`
        : `${key(c)} has no data class or purpose: its table ${c.table} has no owner in server/platform/db/tables.ts; add it there, then classify its columns in the owner's .data.ts`,
    );
  }
  for (const c of declared) {
    if (!databaseKeys.has(key(c))) gaps.push(`${key(c)} is declared but the database has no such column`);
    else if (!c.class || !c.purposes?.length) gaps.push(`${key(c)} is declared without a data class or a purpose`);
  }
  return gaps;
}
