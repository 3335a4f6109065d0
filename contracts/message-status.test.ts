import { describe, expect, it } from 'vitest';
import { messageStatuses, messageStatusLabel } from './message-status.ts';

describe('message statuses', () => {
  it('has a French label for every status, agreed with the count', () => {
    for (const s of messageStatuses) expect(messageStatusLabel(s)).not.toBe(s);
    expect(messageStatusLabel('delivered')).toBe('distribué');
    expect(messageStatusLabel('delivered', 0)).toBe('distribué');
    expect(messageStatusLabel('delivered', 2)).toBe('distribués');
    expect(messageStatusLabel('opted_out', 3)).toBe('non envoyés (STOP)');
  });
  it('shows a status it does not know as it is', () => {
    expect(messageStatusLabel('bounced')).toBe('bounced');
  });
});
