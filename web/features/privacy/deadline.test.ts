import { describe, expect, it } from 'vitest';
import { deadlineText } from './deadline.ts';

describe('the deadline of a request, in French', () => {
  it('says the due day and the days left, the days late, today, or when it was answered', () => {
    expect(deadlineText({ dueOn: '2026-12-30', daysLeft: 30, status: 'open', answeredAt: null })).toBe('échéance le 30 décembre 2026, dans 30 jours');
    expect(deadlineText({ dueOn: '2026-12-01', daysLeft: 1, status: 'open', answeredAt: null })).toBe('échéance le 1er décembre 2026, dans 1 jour');
    expect(deadlineText({ dueOn: '2026-11-27', daysLeft: -3, status: 'open', answeredAt: null })).toBe('en retard de 3 jours (échéance le 27 novembre 2026)');
    expect(deadlineText({ dueOn: '2026-11-30', daysLeft: 0, status: 'open', answeredAt: null })).toBe('échéance aujourd’hui (30 novembre 2026)');
    expect(deadlineText({ dueOn: '2026-11-27', daysLeft: -3, status: 'answered', answeredAt: '2026-11-20T10:00:00.000Z' })).toBe(
      'répondue le 20 novembre 2026',
    );
  });
});
