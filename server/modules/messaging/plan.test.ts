import { describe, expect, it } from 'vitest';
import { count, decide, emptyPlan, isMobile, type Reachable, recipientsOf } from './plan.ts';

const base: Reachable = { left: false, restricted: false, noSms: false, preferred: null, mobile: '+33612345678', email: 'a@b.fr', postal: true };
const all = ['sms', 'email', 'letter'] as const;

describe('decide: the channel of each recipient', () => {
  it('follows the preferred channel when the household can receive it', () => {
    expect(decide({ ...base, preferred: 'email' }, all)).toEqual({ channel: 'email' });
    expect(decide({ ...base, preferred: 'letter' }, all)).toEqual({ channel: 'letter' });
    expect(decide({ ...base, preferred: 'phone' }, all)).toEqual({ channel: 'sms' });
    // Prefers e-mail but has none: SMS.
    expect(decide({ ...base, preferred: 'email', email: null }, all)).toEqual({ channel: 'sms' });
  });

  it('sends a letter to a household with neither mobile nor e-mail', () => {
    expect(decide({ ...base, mobile: null, email: null }, all)).toEqual({ channel: 'letter' });
    // A landline is no mobile.
    expect(decide({ ...base, mobile: '+33145678901', email: null }, all)).toEqual({ channel: 'letter' });
  });

  it('respects the « pas de SMS » objection', () => {
    expect(decide({ ...base, noSms: true }, all)).toEqual({ channel: 'email' });
    expect(decide({ ...base, noSms: true, email: null }, ['sms'])).toEqual({ excluded: 'no_sms' });
    expect(decide({ ...base, noSms: true, email: null }, ['sms', 'letter'])).toEqual({ channel: 'letter' });
  });

  it('excludes, with the reason, who cannot or may not receive it', () => {
    expect(decide({ ...base, left: true }, all)).toEqual({ excluded: 'left' });
    expect(decide({ ...base, restricted: true }, all)).toEqual({ excluded: 'no_contact' });
    expect(decide({ ...base, mobile: null }, ['sms'])).toEqual({ excluded: 'no_mobile' });
    expect(decide({ ...base, email: 'pas-une-adresse' }, ['email'])).toEqual({ excluded: 'no_email' });
    // A volunteer has no postal address: no letter.
    expect(decide({ ...base, email: null, mobile: null, postal: false }, ['email', 'letter'])).toEqual({ excluded: 'no_email' });
  });

  it('knows French mobiles, overseas ones included', () => {
    expect(['+33612345678', '+33712345678', '+262692123456', '+590690123456', '+596696123456'].every(isMobile)).toBe(true);
    expect(['+33145678901', '+33912345678', '0612345678', '+262262123456'].some(isMobile)).toBe(false);
  });

  it('counts a plan', () => {
    const plan = emptyPlan();
    for (const d of [decide(base, all), decide({ ...base, left: true }, all), decide({ ...base, mobile: null, email: null }, all)]) count(plan, d);
    expect(plan).toMatchObject({ total: 3, channels: { sms: 1, email: 0, letter: 1 }, excluded: { left: 1 } });
    expect(recipientsOf(plan)).toBe(2);
  });
});
