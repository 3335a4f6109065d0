import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'dist' ? [] : files(full);
    return /\.tsx?$/.test(e.name) ? [full] : [];
  });
}

describe('module boundaries dependency-cruiser cannot parse (TSX)', () => {
  it('the web app never imports server code, only contracts', () => {
    const offending: string[] = [];
    for (const file of files(path.join(root, 'web'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = path.resolve(path.dirname(file), match[1] as string);
        if (target.startsWith(path.join(root, 'server'))) offending.push(`${path.relative(root, file)} → ${match[1]}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
