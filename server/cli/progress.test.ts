import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressBar } from './progress.ts';

describe('CLI progress bar', () => {
  afterEach(() => vi.restoreAllMocks());

  it('without a terminal, prints one line every 10 %, with counts', () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => lines.push(line));
    const tty = process.stdout.isTTY;
    Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
    try {
      const bar = progressBar('Lecture');
      for (let done = 0; done <= 1000; done += 7) bar.update(done, 1000);
      bar.update(1000, 1000);
      bar.done();
    } finally {
      Object.defineProperty(process.stdout, 'isTTY', { value: tty, configurable: true });
    }
    expect(lines.length).toBe(11);
    expect(lines[0]).toBe(`Lecture [${'░'.repeat(30)}] 0 % (0/1000)`);
    expect(lines.at(-1)).toBe(`Lecture [${'█'.repeat(30)}] 100 % (1000/1000)`);
  });
});
