import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newOrganisation, startHarness } from '../../../test/harness.ts';
import { importFile } from '../index.ts';
import { guessMapping, normaliseHeader } from './mapping.ts';

/** The sample offered on the import page (« télécharger un fichier d’exemple »). */
const sample = readFileSync(path.resolve(import.meta.dirname, '../../../../web/features/registry/exemple-export-erp.csv'));

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('the sample ERP export of the import page', () => {
  it('has every column recognised and only fictional phone numbers (ARCEP ranges kept for fiction)', () => {
    const headers =
      sample
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .split('\r\n')[0]
        ?.split(';') ?? [];
    const mapping = guessMapping(headers);
    expect(headers.filter((_, i) => mapping[String(i)] === null).map(normaliseHeader)).toEqual([]);
    const phones = sample.toString('utf8').match(/0\d( \d\d){4}/g) ?? [];
    expect(phones.length).toBeGreaterThan(10);
    expect(phones.filter((p) => !p.startsWith('06 39 98') && !p.startsWith('01 99 00'))).toEqual([]);
  });

  it('imports its 20 households without a single rejected line', async () => {
    const org = await newOrganisation(h);
    const result = await importFile(h.deps, { organisationId: org.id }, Readable.from([sample]), { fileName: 'exemple-export-erp.csv' });
    expect(result.applied).toBe(true);
    expect(result.summary.rejected_lines).toBe(0);
    const households = await h.owner.query('select count(*)::int as n from households where organisation_id = $1', [org.id]);
    expect(households.rows[0].n).toBe(20);
  });
});
