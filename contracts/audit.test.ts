import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditActionGroups, auditActions, auditActorLabel, describeAuditEvent, frenchDateTime } from './audit.ts';
import { campaignActions } from './campaign-labels.ts';

const root = path.resolve(import.meta.dirname, '..');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return files(full);
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [full] : [];
  });

/** Every action code the server writes: `action: 'x.y'`, `const action = … 'x.y' …`, SQL `p_role, 'x.y'`, `campaign.${action}d`. */
function writtenActions(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of files(path.join(root, 'server'))) {
    const text = readFileSync(file, 'utf8');
    const at = path.relative(root, file);
    for (const m of text.matchAll(/action: '([a-z_]+\.[a-z_]+)'/g)) found.set(m[1] as string, at);
    for (const m of text.matchAll(/const action = ([^;\n]+)/g))
      for (const c of (m[1] as string).matchAll(/'([a-z_]+\.[a-z_]+)'/g)) found.set(c[1] as string, at);
    for (const m of text.matchAll(/p_role, '([a-z_]+\.[a-z_]+)'/g)) found.set(m[1] as string, at);
    // `campaign.${action}d`: one code per campaign status transition (contracts/campaign-labels.ts).
    for (const m of text.matchAll(/action: `([a-z_]+)\.\$\{action\}d`/g))
      for (const t of campaignActions) found.set(`${m[1]}.${t}${t.endsWith('e') ? 'd' : 'ed'}`, at);
    // Any other way of computing an action would escape this test: make it fail loudly.
    for (const m of text.matchAll(/action: `[^`]*`/g)) if (!/^action: `[a-z_]+\.\$\{action\}d`$/.test(m[0])) found.set(`(unchecked template ${m[0]})`, at);
  }
  return found;
}

describe('audit action labels (issue 11)', () => {
  it('has a French label for every action code the server writes', () => {
    const written = writtenActions();
    expect(written.size).toBeGreaterThan(50);
    // The scanner sees the codes written in SQL functions and computed from the campaign transitions.
    expect([...written.keys()]).toEqual(
      expect.arrayContaining(['call.claimed', 'campaign.paused', 'campaign.resumed', 'campaign.closed', 'auth.password_reset']),
    );
    const missing = [...written].filter(([code]) => !auditActions[code]).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });
  it('groups every action under a French domain for the filter', () => {
    const grouped = auditActionGroups.flatMap((g) => g.items.map((i) => i.value));
    expect(grouped.sort()).toEqual(Object.keys(auditActions).sort());
    expect(auditActionGroups.every((g) => g.items.length > 0 && /^[A-ZÉ]/.test(g.group))).toBe(true);
  });
  it('writes sentences, never raw JSON', () => {
    expect(describeAuditEvent({ action: 'household.viewed', objectType: 'household', objectName: 'Jeanne Dupont (M1-000298)', details: {} })).toBe(
      'a consulté la fiche du ménage Jeanne Dupont (M1-000298)',
    );
    expect(describeAuditEvent({ action: 'auth.sign_in_refused', objectType: 'user', objectName: null, details: { status: 'inactive' } })).toBe(
      'connexion refusée (compte désactivé)',
    );
    expect(describeAuditEvent({ action: 'alert.raised', objectType: 'user', objectName: null, details: { denied: 25, windowMinutes: 10 } })).toBe(
      'alerte : 25 refus en 10 minutes',
    );
    expect(
      describeAuditEvent({
        action: 'user.updated',
        objectType: 'user',
        objectName: 'Léa Nguyen',
        details: { before: { role: 'staff', agencyIds: [] }, after: { role: 'manager', agencyIds: [] } },
      }),
    ).toBe('a modifié le compte de Léa Nguyen : rôle Chargé·e de clientèle → Responsable');
    expect(describeAuditEvent({ action: 'household.exported', objectType: null, objectName: null, details: { rows: 1, format: 'csv' } })).toBe(
      'a exporté 1 ménage (CSV)',
    );
    expect(
      describeAuditEvent({
        action: 'household.objection_added',
        objectType: 'household',
        objectName: 'Jeanne Dupont (M1-000298)',
        details: { kind: 'no_sms', via: 'sms_reply' },
      }),
    ).toBe('a enregistré l’opposition « Pas de SMS » du ménage Jeanne Dupont (M1-000298) (réponse STOP à un SMS)');
    for (const action of Object.keys(auditActions)) {
      const sentence = describeAuditEvent({ action, objectType: null, objectName: 'X', details: { a: { b: 1 }, to: 'u' } });
      expect(sentence).not.toMatch(/[{}[\]"]|undefined|null|NaN/);
    }
  });
  it('shows dates in French, Paris time', () => {
    expect(frenchDateTime('2026-11-29T20:14:00Z')).toBe('29 nov. 2026 à 21:14');
    expect(frenchDateTime('2026-07-01T08:05:00Z')).toBe('1 juil. 2026 à 10:05');
  });
});

describe('who did it (issue 16)', () => {
  it('names a staff member, Lien itself, a tenant of the portal, or someone without an account (a form, a link, an SMS); nobody known is null', () => {
    expect(auditActorLabel({ actorName: 'Claire Martin', actorRole: 'org_admin' })).toBe('Claire Martin');
    expect(auditActorLabel({ actorName: null, actorRole: 'system' })).toBe('Lien (automatique)');
    expect(auditActorLabel({ actorName: null, actorRole: 'tenant' })).toBe('Locataire (espace locataire)');
    expect(auditActorLabel({ actorName: null, actorRole: 'public' })).toBe('Sans compte (formulaire, lien ou SMS)');
    expect(auditActorLabel({ actorName: null, actorRole: null })).toBeNull();
  });
});
