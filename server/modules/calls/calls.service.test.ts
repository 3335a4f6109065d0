import { describe, expect, it } from 'vitest';
import type { ClaimedCall } from '../../../contracts/campaigns.ts';
import { isolationWatchScript } from '../campaigns/index.ts';
import { serializeCall } from './calls.policy.ts';
import { evaluateRules, validateAnswers } from './outcomes.service.ts';

const full: Required<ClaimedCall> = {
  targetId: '00000000-0000-7000-8000-000000000001',
  campaignId: '00000000-0000-7000-8000-000000000002',
  campaignName: 'Veille',
  firstName: 'Jeanne',
  phones: [{ kind: 'mobile', number: '+33612345601' }],
  script: isolationWatchScript,
  dutyPhone: '+33145000000',
  attempts: 0,
  callback: false,
  claimExpiresAt: '2026-11-30T09:15:00.000Z',
  lastName: 'Martin',
  householdId: '00000000-0000-7000-8000-000000000003',
  erpRef: 'H1',
  address: '12 rue Jean Jaurès, 94400 Vitry-sur-Seine',
  age: 91,
  indicators: ['lives_alone'],
};

describe('call card allow-list (TRUST AA-03)', () => {
  it('volunteers and partners get the caller fields only; staff get everything', () => {
    const caller = ['attempts', 'callback', 'campaignId', 'campaignName', 'claimExpiresAt', 'dutyPhone', 'firstName', 'phones', 'script', 'targetId'];
    expect(Object.keys(serializeCall('volunteer', full)).sort()).toEqual(caller);
    expect(Object.keys(serializeCall('partner', full)).sort()).toEqual(caller);
    expect(Object.keys(serializeCall('staff', full)).sort()).toEqual(Object.keys(full).sort());
  });
  it('fails when a field appears without a classification', () => {
    expect(() => serializeCall('staff', { ...full, balanceCents: 12000 } as never)).toThrow(/balanceCents/);
  });
});

describe('script answers and rules', () => {
  it('normalises yes/no, checks choices and numbers', () => {
    expect(validateAnswers(isolationWatchScript, { courses: true, forme: 'Mal' })).toEqual({ courses: 'yes', forme: 'Mal' });
    expect(() => validateAnswers(isolationWatchScript, { forme: 'Excellent' })).toThrow(/réponses proposées/);
    expect(() => validateAnswers(isolationWatchScript, { nope: 'yes' })).toThrow(/question inconnue/);
  });
  it('turns answers into needs, an emergency, the regular watch and the consent', () => {
    const e = evaluateRules(isolationWatchScript, { urgence: 'yes', courses: 'yes', medecin: 'yes', rappel: 'yes', consentement_sante: 'yes' });
    expect(e.urgent).toBe(true);
    expect(e.needs.map((n) => n.need)).toEqual(['courses', 'medecin']);
    expect(e.watch?.frequency).toBe('weekly');
    expect(e.consent?.wording).toContain('acceptez-vous');
    expect(evaluateRules(isolationWatchScript, { courses: 'no', urgence: 'no' })).toEqual({ needs: [], urgent: false, watch: null, consent: null });
  });
});
