// `npm run check`: a module's SQL names only the tables it owns (server/platform/db/tables.ts,
// issue 10). Exits 1 with file:line, the table and its owner for each other use.
// Usage: node scripts/check-table-owners.ts [--all] [--root=<checkout>]   (--all: the allowed uses too;
// --root: check another checkout's server/, e.g. an older commit from `git archive`)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Allowance, violations } from '../server/platform/db/table-owners.ts';

/**
 * TEMPORARY allow-list (issue 10): code that still names another module's tables. Each entry
 * is emptied by whoever moves that code; do not add to it — call the owner's index.ts instead.
 */
export const temporarilyAllowed: readonly Allowance[] = [
  // 2. Campaigns code that reads or fills the calls module's tables: through calls/index.ts once it exists.
  {
    file: 'server/modules/campaigns/campaigns.repository.ts',
    functions: ['countsSql', 'insertTargets', 'dashboardData', 'exportRows', 'countDueCallbacks'],
    tables: ['campaign_targets', 'call_attempts'],
    why: 'queue filling (insertTargets, one statement over registry.segmentHouseholds) and queue figures: calls/ will export them',
  },
  {
    file: 'server/modules/campaigns/calls-lookups.repository.ts',
    functions: ['targetHouseholds', 'attemptHouseholds', 'charterAcceptedAmong'],
    tables: ['campaign_targets', 'call_attempts', 'charter_acceptances'],
    why: 'reads of calls tables for the audit journal and the caller pool: the file moves whole to calls/',
  },
  // 3. Doorstep visits and the queue: the visit's result and the phoneless households at launch touch
  //    calls' campaign_targets; calls/ will own those steps and call doorstep (openVisits) instead.
  {
    file: 'server/modules/doorstep/doorstep.repository.ts',
    functions: ['sendPhonelessToDoorstep', 'recordDoorstep'],
    tables: ['campaign_targets'],
    why: 'campaign_targets belongs to calls/: its final outcome and the launch step move there',
  },
  // 4. A campaign's name in the follow-up and doorstep lists: reading it through campaigns/index.ts
  //    would close a cycle (campaigns launches doorstep visits and shows follow-ups on its dashboard).
  {
    file: 'server/modules/followups/followups.repository.ts',
    functions: ['listFollowups'],
    tables: ['campaigns'],
    why: 'module cycle; resolved when launch and the dashboard read calls/, not doorstep/followups (see docs/architecture.md)',
  },
  {
    file: 'server/modules/doorstep/doorstep.repository.ts',
    functions: ['listDoorstep'],
    tables: ['campaigns'],
    why: 'module cycle, as for listFollowups',
  },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'migrations' || full === path.join('server', 'test') ? [] : sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

const all = process.argv.includes('--all');
const root = process.argv.find((a) => a.startsWith('--root='))?.slice('--root='.length) ?? path.join(import.meta.dirname, '..');
process.chdir(root);
const files = sourceFiles('server').map((file) => ({ file, text: readFileSync(file, 'utf8') }));
const found = files.flatMap(({ file, text }) => violations(file, text, all ? [] : temporarilyAllowed));
// An entry that excuses nothing any more is removed, so the list only shrinks.
const everyUse = files.flatMap(({ file, text }) => violations(file, text));
const stale = temporarilyAllowed.filter(
  (a) => !everyUse.some((v) => v.file === a.file && v.inFunction !== null && a.functions.includes(v.inFunction) && a.tables.includes(v.table)),
);
for (const a of stale) console.error(`allow-list entry no longer needed (remove it from scripts/check-table-owners.ts): ${a.file} ${a.functions.join(', ')}`);
for (const v of found) {
  console.error(
    `${v.file}:${v.line}  ${v.table} (owner: ${v.owner}) named by ${v.fileOwner ?? 'code outside any module'}${v.inFunction ? ` in ${v.inFunction}` : ''}`,
  );
}
if (found.length || stale.length) {
  if (found.length)
    console.error(`\n${found.length} use(s) of another module's table: go through the owner's index.ts (server/platform/db/tables.ts lists the owners).`);
  process.exit(1);
}
console.log('table owners: every SQL table use is by its owner.');
