// TRUST DP-02, in the spirit of the access-export coverage test: every table holding personal data
// is either purged (a target of its owner) or left alone with a written reason.
import { describe, expect, it } from 'vitest';
import { classifiedColumns } from '../../data-protection/classification.ts';
import { notPurged, purgeTargets } from './purge-targets.ts';
import { expiryOf, nextPurgeAt, ruleProblem } from './retention.service.ts';

const personalTables = [
  ...new Set(
    classifiedColumns()
      .filter((c) => c.class !== 'public' && c.class !== 'internal')
      .map((c) => c.table),
  ),
];
const purged = new Set<string>(purgeTargets.map((t) => t.table));

describe('purge coverage', () => {
  it('purges every table with personal data, or says why not', () => {
    const unknown = personalTables.filter((t) => !purged.has(t) && !Object.hasOwn(notPurged, t));
    expect(unknown, `tables with personal data the purge does not know: add a target in the owner's index.ts or a reason in notPurged`).toEqual([]);
    expect(personalTables.length).toBeGreaterThan(30);
  });

  it('keeps no stale or contradictory exemption', () => {
    const exempt = Object.keys(notPurged);
    expect(exempt.filter((t) => !personalTables.includes(t as never))).toEqual([]);
    expect(exempt.filter((t) => purged.has(t))).toEqual([]);
  });

  it('runs follow-ups before the calls they rest on, visits and calls before their queue entries, enrolments before consents, the household last of its file', () => {
    const at = (table: string) => purgeTargets.findIndex((t) => t.table === table);
    expect(at('followups')).toBeLessThan(at('call_attempts'));
    expect(at('call_attempts')).toBeLessThan(at('campaign_targets'));
    expect(at('doorstep_visits')).toBeLessThan(at('campaign_targets'));
    expect(at('watch_enrolments')).toBeLessThan(at('consents'));
    for (const t of ['contact_points', 'persons', 'leases']) expect(at(t)).toBeLessThan(at('households'));
    expect(at('households')).toBeLessThan(at('person_names'));
  });
});

describe('rules', () => {
  it('runs a fixed duration from the recording and the others from the end', () => {
    const now = new Date('2026-11-30T10:00:00Z');
    expect(expiryOf({ endKind: 'fixed', months: 12 }, now)).toEqual({ basis: 'recorded', before: new Date('2025-11-30T10:00:00Z') });
    expect(expiryOf({ endKind: 'end_of_followup', months: 0 }, now)).toEqual({ basis: 'ended', before: now });
    expect(expiryOf({ endKind: 'purpose_lasts', months: 36 }, now)).toEqual({ basis: 'ended', before: new Date('2023-11-30T10:00:00Z') });
  });

  it('refuses an audit trail outside six to twelve months and « fin du suivi » outside the follow-up purposes', () => {
    expect(ruleProblem('security', { endKind: 'fixed', months: 5 })?.code).toBe('retention_security_months');
    expect(ruleProblem('security', { endKind: 'fixed', months: 13 })?.code).toBe('retention_security_months');
    expect(ruleProblem('security', { endKind: 'fixed', months: 6 })).toBeNull();
    expect(ruleProblem('campaign', { endKind: 'end_of_followup', months: 0 })?.message).toContain('fin du suivi');
    expect(ruleProblem('fragility_register', { endKind: 'end_of_followup', months: 0 })).toBeNull();
  });

  it('runs the purge next at 02:30 UTC, today or tomorrow', () => {
    expect(nextPurgeAt(new Date('2026-11-30T01:00:00Z')).toISOString()).toBe('2026-11-30T02:30:00.000Z');
    expect(nextPurgeAt(new Date('2026-11-30T02:30:00Z')).toISOString()).toBe('2026-12-01T02:30:00.000Z');
  });
});
