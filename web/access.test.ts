import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { abilities } from '../contracts/abilities.ts';
import { roles } from '../contracts/roles.ts';
import { navigation } from './app/navigation.ts';

const web = import.meta.dirname;

/**
 * Files that may name roles, and why: none of them decides from the signed-in user's role what
 * to show. Anything else asks `useCan()` (the abilities the server sends with the session).
 */
const allowed: Record<string, string> = {
  'features/users/UserForm.tsx': 'the role picker of the users form, and its rule that a volunteer account has an end date',
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return files(full);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** A role name in quotes, or the user's role compared or looked up in a list. */
const roleDecision = new RegExp(
  [`['"\`](?:${roles.join('|')})['"\`]`, String.raw`\brole\s*[!=]==`, String.raw`[!=]==\s*(?:\w+\??\.)*role\b`, String.raw`includes\((?:\w+\??\.)*role\)`].join(
    '|',
  ),
);

describe('the web decides from abilities, not roles', () => {
  it('no page names a role to decide what to show (outside the allow-list)', () => {
    const offending: string[] = [];
    for (const file of files(web)) {
      const name = path.relative(web, file);
      if (name in allowed) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (roleDecision.test(line)) offending.push(`${name}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offending).toEqual([]);
  });

  it('the allow-list names only files that exist and still name roles', () => {
    for (const name of Object.keys(allowed)) expect(readFileSync(path.join(web, name), 'utf8')).toMatch(roleDecision);
  });

  it('every menu entry is guarded by a known ability, or open to every signed-in user', () => {
    for (const entry of navigation) if (entry.ability) expect(abilities).toContain(entry.ability);
    expect(navigation.filter((e) => !e.ability).map((e) => e.to)).toEqual(['/', '/compte/securite', '/aide']);
  });
});
