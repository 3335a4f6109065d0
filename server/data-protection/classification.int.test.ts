import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureDatabase, prepareRoles, withDatabase } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { classificationGaps, classifiedColumns } from './classification.ts';

// A database of its own, migrated from nothing: the shared test database also holds the job
// queue and tables other test files create for a moment, and this file adds and drops columns.
const name = `lien_classification_${Date.now()}`;
let client: pg.Client;

beforeAll(async () => {
  const url = await ensureDatabase(inject('serverUrl'), name);
  await prepareRoles(url, { appUrl: inject('appUrl') });
  await migrateToLatest(url);
  client = new pg.Client({ connectionString: url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  const admin = new pg.Client({ connectionString: withDatabase(inject('serverUrl'), 'postgres') });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

/** Every column of every table of the app schema, those added later by any module included. */
async function databaseColumns() {
  const { rows } = await client.query<{ table: string; column: string }>(`
    select c.table_name as table, c.column_name as column
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`);
  return rows;
}

describe('every column classified (TRUST DP-01)', () => {
  it('every column of the migrated database has a data class and a purpose, and no declaration names a column that is gone', async () => {
    const columns = await databaseColumns();
    const gaps = classificationGaps(columns, classifiedColumns());
    if (gaps.length) expect.fail(`Unclassified or stale columns:\n${gaps.join('\n')}`);
    // The comparison read the migrated database, not an empty one.
    expect(columns.length).toBeGreaterThan(300);
    expect(columns).toContainEqual({ table: 'call_attempts', column: 'note' });
  });

  it('fails, naming the table and the column, when a module adds a column or a table without classifying it, or drops a declared one', async () => {
    await client.query(`
      alter table persons add column shoe_size integer;
      create table future_things (id uuid primary key, note text);
      alter table messages drop column adapter`);
    const gaps = classificationGaps(await databaseColumns(), classifiedColumns());
    expect(gaps).toEqual([
      "future_things.id has no data class or purpose: its table future_things has no owner in server/platform/db/tables.ts; add it there, then classify its columns in the owner's .data.ts",
      "future_things.note has no data class or purpose: its table future_things has no owner in server/platform/db/tables.ts; add it there, then classify its columns in the owner's .data.ts",
      'persons.shoe_size has no data class or purpose: declare it in server/modules/registry/registry.data.ts',
      'messages.adapter is declared but the database has no such column',
    ]);
  });
});
