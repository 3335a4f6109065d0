import { describe, expect, it } from 'vitest';
import { exportedTables } from './access-export.ts';
import { planLines, tablePurposes } from './erasure.ts';
import { erasureLetterText } from './erasure-letter.ts';

const all = (n: number) => Object.fromEntries(exportedTables.map((t) => [t, n])) as Parameters<typeof planLines>[1];

describe('erasure plan per purpose (TRUST DP-07)', () => {
  it('gives every exported table a purpose from the classification', () => {
    const purposes = tablePurposes();
    expect(Object.keys(purposes)).toEqual([...exportedTables]);
    expect(purposes.vulnerability_indicators.purpose).toBe('fragility_register');
    expect(purposes.household_balances.purpose).toBe('arrears');
    expect(purposes.leases.purpose).toBe('rental_management');
    expect(purposes.audit_events.purpose).toBe('security');
  });

  it('an erasure decides every table with a French reason; arrears follow the debt', () => {
    const owed = planLines('erasure', all(1), true);
    expect(owed.map((l) => l.table)).toEqual([...exportedTables]);
    for (const l of owed) expect(l.reason.length, l.table).toBeGreaterThan(20);
    expect(owed.find((l) => l.table === 'household_balances')?.action).toBe('restrict');
    expect(planLines('erasure', all(1), false).find((l) => l.table === 'household_balances')?.action).toBe('delete');
    expect(owed.find((l) => l.table === 'objections')?.action).toBe('keep');
    expect(owed.find((l) => l.table === 'subject_requests')?.action).toBe('keep');
    expect(planLines('erasure', all(0), true)).toEqual([]);
  });

  it('an objection reaches only the purposes objected to (and the follow-ups hanging on the calls)', () => {
    const lines = planLines('objection', all(1), true, ['campaign']);
    expect(lines.filter((l) => l.action === 'delete').map((l) => l.table)).toEqual([
      'campaign_targets',
      'call_attempts',
      'followups',
      'doorstep_visits',
      'help_call_recipients',
      'messages',
      'message_letters',
    ]);
    expect(lines.find((l) => l.table === 'objections')?.action).toBe('keep');
    expect(lines.some((l) => l.table === 'leases' || l.table === 'vulnerability_indicators')).toBe(false);
  });

  it('the letter says what was deleted, what is kept and why, and where to complain', () => {
    const lines = planLines('erasure', all(2), true);
    const text = erasureLetterText(
      {
        requestId: '0190b8a0-0000-7000-8000-000000000000',
        kind: 'erasure',
        lines,
        restriction: { reason: 'x', seenBy: 'Chargé·e de clientèle' },
        objections: [],
        executedAt: '2026-12-02T10:00:00Z',
      },
      { personName: 'Jeanne Martin', householdRef: 'H1', receivedOn: '2026-11-30' },
      'Bailleur',
    ).join('\n');
    expect(text).toContain('demande d’effacement (article 17 du RGPD) reçue le 30 novembre 2026');
    expect(text).toContain('Effacées :');
    expect(text).toContain('Conservées, accès limité :');
    expect(text).toContain('dette locative reste due');
    expect(text).toContain('« Chargé·e de clientèle »');
    expect(text).toContain('CNIL');
  });
});
