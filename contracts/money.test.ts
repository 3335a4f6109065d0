import { describe, expect, it } from 'vitest';
import { euros } from './money.ts';

describe('euros', () => {
  it('writes cents the French way, two decimals, grouped thousands, the sign after', () => {
    expect(euros(123456)).toMatch(/^1\s234,56\u00a0€$/u);
    expect(euros(90000)).toBe('900,00\u00a0€');
    expect(euros(-550)).toBe('-5,50\u00a0€');
  });
});
