import { describe, expect, it } from 'vitest';
import { fromProviderNumber, isStopReply, toProviderNumber, withSmsOptOutMention } from './sms.ts';

describe('STOP replies', () => {
  it('recognises STOP and its usual French variants, whatever the case, accents and punctuation', () => {
    for (const text of [
      'STOP',
      'stop',
      'Stop.',
      ' STOP SMS ',
      'stop sms',
      'STOPSMS',
      'arret',
      'Arrêt',
      'ARRÊT !',
      'désabonner',
      'desabonnement',
      'Désinscription',
      'désinscrire',
    ]) {
      expect(isStopReply(text), text).toBe(true);
    }
  });

  it('does not take a sentence that merely contains « stop » for an opt-out', () => {
    for (const text of ['Stop, rappelez-moi demain', 'Merci', 'Arrêtez pas de m’appeler svp', '', 'OK']) expect(isStopReply(text), text).toBe(false);
  });
});

describe('numbers and mention', () => {
  it('converts between Brevo’s digits and E.164', () => {
    expect(fromProviderNumber('33612345678')).toBe('+33612345678');
    expect(fromProviderNumber('+33 6 12 34 56 78')).toBe('+33612345678');
    expect(fromProviderNumber('abc')).toBeNull();
    expect(toProviderNumber('+33612345678')).toBe('33612345678');
  });

  it('adds the opt-out mention once', () => {
    const once = withSmsOptOutMention('Bonjour', { SMS_PROVIDER: 'brevo' });
    expect(once).toBe('Bonjour\nSTOP au [STOP CODE]');
    expect(withSmsOptOutMention(once, { SMS_PROVIDER: 'brevo' })).toBe(once);
  });
});
