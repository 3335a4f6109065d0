import { mkdtemp, readdir, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { ensureDatabase, OWNER_ROLE, prepareRoles } from '../../platform/db/database.ts';
import { migrateToLatest } from '../../platform/db/migrate.ts';
import { isolationWatchScript } from '../campaigns/index.ts';

const migrations = path.join(import.meta.dirname, '..', '..', 'platform', 'db', 'migrations');
const CASES = '2026-12-01T1500_cases.ts';

/** A folder with the migrations before (or up to) the cases migration, as links to the real files. */
async function folderUpTo(included: boolean) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-cases-migration-'));
  for (const f of (await readdir(migrations)).filter((f) => f.endsWith('.ts') && (included ? f <= CASES : f < CASES))) {
    await symlink(path.join(migrations, f), path.join(dir, f));
  }
  return dir;
}

describe('the cases migration (issue 14)', () => {
  it('maps every follow-up written before it to a case, nothing lost: open needs grouped by household and type, each closed one its own closed case', async () => {
    const url = await ensureDatabase(inject('serverUrl'), `lien_cases_migration_${Date.now()}`);
    await prepareRoles(url, { appUrl: inject('appUrl') });
    await migrateToLatest(url, await folderUpTo(false));

    const db = new pg.Client({ connectionString: url, options: `-c role=${OWNER_ROLE}` });
    await db.connect();
    const one = async (text: string, values: unknown[] = []) => (await db.query(text, values)).rows[0];
    try {
      // A landlord, a residence with two households, a campaign with the isolation script, one call.
      const o = (await one(`insert into organisations (slug, name) values ('migr', 'Migr') returning id`)).id;
      const agency = (await one(`insert into agencies (organisation_id, code, name) values ($1, 'A1', 'Agence') returning id`, [o])).id;
      const res = (
        await one(
          `insert into residences (organisation_id, agency_id, erp_code, name, address, postal_code, city) values ($1, $2, 'G1', 'Les Tilleuls', '1 rue', '94400', 'Vitry') returning id`,
          [o, agency],
        )
      ).id;
      const household = async (ref: string) => {
        const unit = (await one(`insert into housing_units (organisation_id, residence_id, erp_ref) values ($1, $2, $3) returning id`, [o, res, `L${ref}`])).id;
        return (await one(`insert into households (organisation_id, unit_id, erp_ref) values ($1, $2, $3) returning id`, [o, unit, ref])).id as string;
      };
      const [a, b] = [await household('HA'), await household('HB')];
      const campaign = (
        await one(
          `insert into campaigns (organisation_id, name, segment, script, retry_policy, call_windows) values ($1, 'Veille', '{}', $2, '{}', '{}') returning id`,
          [o, JSON.stringify(isolationWatchScript)],
        )
      ).id;
      const target = (
        await one(
          `insert into campaign_targets (organisation_id, campaign_id, household_id, residence_id, agency_id, priority, status) values ($1, $2, $3, $4, $5, 1, 'done') returning id`,
          [o, campaign, a, res, agency],
        )
      ).id;
      const callerId = '0190b7c4-0000-7000-8000-000000000001';
      const attempt = (
        await one(
          `insert into call_attempts (organisation_id, campaign_id, target_id, household_id, caller_id, claimed_at, outcome, slot) values ($1, $2, $3, $4, $5, now(), 'reached', 'morning') returning id`,
          [o, campaign, target, a, callerId],
        )
      ).id;
      // Follow-ups the old way: groceries and medicines from the call (daily life), isolation, a
      // health need under consent, a closed rent need, an emergency and a doorstep concern; a hospitalisation for B.
      const followup = (hh: string, need: string, label: string, extra: Record<string, unknown> = {}) =>
        one(
          `insert into followups (organisation_id, household_id, agency_id, campaign_id, attempt_id, need, label, urgent, consent_id, status, resolution, closed_at, created_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now() - $13::interval) returning id`,
          [
            o,
            hh,
            agency,
            campaign,
            extra.attempt === false ? null : attempt,
            need,
            label,
            extra.urgent ?? false,
            extra.consent ?? null,
            extra.closed ? 'closed' : 'open',
            extra.closed ? 'Orienté FSL' : null,
            extra.closed ? new Date('2026-11-20T10:00:00Z') : null,
            `${extra.ageDays ?? 1} days`,
          ],
        );
      await followup(a, 'courses', 'Aide aux courses', { ageDays: 3 });
      await followup(a, 'medicaments', 'Portage de médicaments', { ageDays: 2 });
      await followup(a, 'isolement', 'Isolement');
      await followup(a, 'medecin', 'Aide pour joindre un médecin', { consent: '0190b7c4-0000-7000-8000-000000000002' });
      await followup(a, 'loyer', 'Difficulté de paiement du loyer', { closed: true, ageDays: 20 });
      await followup(a, 'urgence', 'Urgence', { urgent: true });
      await followup(a, 'porte_a_porte', 'Inquiétude signalée au porte-à-porte', { attempt: false });
      await followup(b, 'hospitalisation', 'Hospitalisation signalée', { attempt: false });
      const before = (await db.query('select * from followups order by id')).rows;

      await migrateToLatest(url, await folderUpTo(true));

      const after = (await db.query('select * from followups order by id')).rows;
      // Nothing lost: every follow-up is still there, unchanged, and belongs to a case.
      expect(after.map(({ case_id, raised_by, ...rest }) => rest)).toEqual(before);
      expect(after.every((f) => f.case_id !== null)).toBe(true);
      // Who raised a need heard on a call: its caller.
      expect(new Set(after.filter((f) => f.attempt_id).map((f) => f.raised_by))).toEqual(new Set([callerId]));
      const cases = (
        await db.query(
          `select c.household_id, c.type, c.origin, c.status, c.outcome, c.outcome_note, c.urgent, c.closed_at, array_agg(f.need order by f.need) as needs
           from cases c join followups f on f.case_id = c.id group by c.id order by c.household_id, c.type, c.status`,
        )
      ).rows;
      const open = { status: 'open', outcome: null, outcome_note: null, closed_at: null };
      expect(cases).toEqual([
        { household_id: a, type: 'food', origin: 'call', ...open, urgent: false, needs: ['courses', 'medicaments'] },
        { household_id: a, type: 'health', origin: 'call', ...open, urgent: false, needs: ['medecin'] },
        { household_id: a, type: 'isolation', origin: 'call', ...open, urgent: false, needs: ['isolement'] },
        // The emergency and the doorstep concern are « other » needs of the same household: one case.
        { household_id: a, type: 'other', origin: 'call', ...open, urgent: true, needs: ['porte_a_porte', 'urgence'] },
        {
          household_id: a,
          type: 'rent',
          origin: 'call',
          status: 'closed',
          outcome: 'resolved',
          outcome_note: 'Orienté FSL',
          urgent: false,
          closed_at: new Date('2026-11-20T10:00:00Z'),
          needs: ['loyer'],
        },
        { household_id: b, type: 'health', origin: 'doorstep', ...open, urgent: false, needs: ['hospitalisation'] },
      ]);
      // The food case dates from its first need.
      expect(
        (await one(`select c.created_at = min(f.created_at) as first from cases c join followups f on f.case_id = c.id where c.type = 'food' group by c.id`))
          .first,
      ).toBe(true);
    } finally {
      await db.end();
    }
  });
});
