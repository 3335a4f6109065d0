import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const risks = readFileSync(path.join(root, 'docs', 'aipd', 'risques.md'), 'utf8');

const testFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name.startsWith('.')) return [];
    const full = path.join(dir, e.name);
    return e.isDirectory() ? testFiles(full) : /\.test\.ts$/.test(e.name) ? [full] : [];
  });

/** Each test the register cites: the file (a path, or a name found once under server/ or contracts/) and the test's title between « ». */
function citedTests(text: string): { file: string; title: string }[] {
  const all = [...testFiles(path.join(root, 'server')), ...testFiles(path.join(root, 'contracts'))];
  const cited: { file: string; title: string }[] = [];
  for (const m of text.matchAll(/`([\w./-]+\.test\.ts)`/g)) {
    const named = m[1] as string;
    const matches = named.includes('/') ? [path.join(root, named)] : all.filter((f) => path.basename(f) === named);
    expect(matches, `${named} names one test file`).toHaveLength(1);
    // The titles follow: « … », « … » (titles may hold « » themselves).
    let i = (m.index ?? 0) + m[0].length;
    for (;;) {
      const rest = text.slice(i);
      const start = /^\s*(,\s*)?«\s/.exec(rest);
      if (!start) break;
      let depth = 1;
      let j = i + start[0].length;
      const from = j;
      while (j < text.length && depth > 0) {
        if (text[j] === '«') depth++;
        if (text[j] === '»') depth--;
        j++;
      }
      cited.push({ file: matches[0] as string, title: text.slice(from, j - 1).trim() });
      i = j;
    }
  }
  return cited;
}

describe('the risk register cites only tests that exist (docs/aipd/risques.md, TRUST DP-12)', () => {
  it('each cited test title is in the cited file', () => {
    const cited = citedTests(risks);
    expect(cited.length).toBeGreaterThan(20);
    const missing = cited.filter((c) => !readFileSync(c.file, 'utf8').includes(c.title)).map((c) => `${path.relative(root, c.file)} « ${c.title} »`);
    expect(missing, 'docs/aipd/risques.md cites tests that do not exist (renamed or removed): update the register').toEqual([]);
  });

  it('would catch a renamed test', () => {
    const cited = citedTests('`server/modules/breach/breach.int.test.ts` « a test that was renamed »');
    expect(readFileSync(cited[0]?.file as string, 'utf8').includes(cited[0]?.title as string)).toBe(false);
  });
});
