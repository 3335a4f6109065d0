// The confidentiality charter every volunteer and partner caller accepts before a first call (TRUST DP-08).
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import { conflict } from '../../platform/errors/app-error.ts';
import { CHARTER_VERSION, charterText } from '../campaigns/index.ts';
import type { Deps } from '../deps.ts';
import * as repo from './calls.repository.ts';

export function charterStatus(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => {
    const at = await repo.hasAcceptedCharter(trx, s.userId, CHARTER_VERSION);
    return { version: CHARTER_VERSION, text: charterText, acceptedAt: at ? at.toISOString() : null };
  });
}

export function acceptCharter(deps: Deps, s: SessionContext, version: string, ip: string) {
  if (version !== CHARTER_VERSION) throw conflict('charter_outdated', 'La charte a changé : relisez la nouvelle version avant de l’accepter.');
  return withSession(deps.database, s, async (trx) => {
    await repo.acceptCharter(trx, s.userId, version);
    await recordAudit(trx, actorOf(s, ip), { action: 'charter.accepted', objectType: 'user', objectId: s.userId, details: { version } });
  });
}
