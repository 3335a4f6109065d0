import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { ensureDatabase, prepareRoles } from './database.ts';
import { migrateToLatest } from './migrate.ts';

describe('migrations', () => {
  it('a failed migration leaves the database as it was', async () => {
    const url = await ensureDatabase(inject('serverUrl'), `lien_migrate_${Date.now()}`);
    await prepareRoles(url, { appUrl: inject('appUrl') });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-migrations-'));
    await writeFile(
      path.join(dir, '0001_good.mjs'),
      `export async function up(db) { await db.schema.createTable('good_table').addColumn('id', 'integer').execute(); }\n`,
    );
    await writeFile(
      path.join(dir, '0002_bad.mjs'),
      `export async function up(db) { await db.schema.alterTable('missing_table').addColumn('x', 'integer').execute(); }\n`,
    );
    await expect(migrateToLatest(url, dir)).rejects.toThrow(/0002_bad/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(`select to_regclass('public.good_table') as t`);
    await client.end();
    expect(rows[0].t).toBeNull();
  });

  it('migrating an up-to-date database does nothing', async () => {
    expect(await migrateToLatest(inject('ownerUrl'))).toEqual([]);
  });
});
