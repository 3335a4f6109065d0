import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { generatedSchemaFile, generateSchemaTypes } from './codegen.ts';
import { ensureDatabase, prepareRoles, withDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';

// A database of its own, migrated from nothing: the shared test database also holds the job
// queue and tables other test files create for a moment.
const name = `lien_types_${Date.now()}`;

afterAll(async () => {
  const admin = new pg.Client({ connectionString: withDatabase(inject('serverUrl'), 'postgres') });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

/** The first line where the two texts differ, for the failure message. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i === -1 ? a.length : i;
  return `line ${at + 1}: generated « ${a[at] ?? '(end of file)'} », committed « ${b[at] ?? '(end of file)'} »`;
}

describe('database types', () => {
  it('schema.generated.ts is what the migrations give', async () => {
    const url = await ensureDatabase(inject('serverUrl'), name);
    await prepareRoles(url, { appUrl: inject('appUrl') });
    await migrateToLatest(url);
    const generated = await generateSchemaTypes(url);
    const committed = await readFile(generatedSchemaFile, 'utf8');
    if (generated !== committed) {
      expect.fail(
        `server/platform/db/schema.generated.ts does not match the migrations: run « npm run db:types » and commit the file (${firstDifference(generated, committed)})`,
      );
    }
    // The generation read the migrated database, not an empty one.
    expect(generated).toContain('campaign_targets: CampaignTargets;');
  });
});
