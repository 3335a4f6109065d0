// `npm run import:balances -- <file> --org <slug> --as <email> [--dry-run]`
// Import a balance file (CSV or XLSX: Référence, Solde, Date, optional Loyer mensuel (charges
// comprises)) into the dated balance history, as the web page does: every line checked first; a
// file with refused lines is not applied (exit 1, the line numbers and reasons on stderr, never a
// value); otherwise applied at once, then the payment plans' instalments are checked. `--as` names
// the account the import is audited as (one with the ability `arrears.import`).
import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { parseArgs } from 'node:util';
import { plural } from '../../contracts/plural.ts';
import type { Role } from '../../contracts/roles.ts';
import { loadConfig } from '../config.ts';
import { applyBalanceFile, cancelBalanceFile, previewBalanceFile } from '../modules/arrears/index.ts';
import { isActiveWith, usersByEmail } from '../modules/identity/index.ts';
import { rolesWith } from '../platform/auth/abilities.ts';
import type { SessionContext } from '../platform/auth/sessions.repository.ts';
import { connectDatabase } from '../platform/db/bootstrap.ts';
import { organisationIdBySlug } from '../platform/db/organisations.ts';
import { createJobs } from '../platform/jobs/jobs.ts';
import { createLogger } from '../platform/logger.ts';
import { progressBar } from './progress.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { org: { type: 'string' }, as: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
});
const file = positionals[0];
const fail = (message: string, code = 2): never => {
  console.error(message);
  process.exit(code);
};
if (!file || !values.org || !values.as) fail('Usage : npm run import:balances -- <fichier.csv|xlsx> --org <organisme> --as <e-mail du compte> [--dry-run]');
if (!existsSync(file as string)) fail(`Fichier introuvable : ${file}`);

const config = loadConfig({ ...process.env, DEMO_SEED: 'false' });
const runtime = await connectDatabase(config);
const jobs = createJobs(runtime.ownerUrl, runtime.database, createLogger('warn'));
const deps = { config, database: runtime.database, jobs };
let exitCode = 0;
try {
  const organisationId = (await organisationIdBySlug(runtime.ownerUrl, values.org as string)) ?? fail(`Organisme inconnu : ${values.org}`);
  const who = await runtime.database.withOrg({ organisationId }, async (trx) => {
    const userId = (await usersByEmail(trx, [values.as as string])).get(values.as as string);
    if (!userId) return null;
    for (const role of rolesWith('arrears.import')) if (await isActiveWith(trx, { userId, roles: [role] })) return { userId, role: role as Role };
    return null;
  });
  if (!who) fail(`Aucun compte actif autorisé à importer des soldes (administrateur·rice, responsable, chargé·e de recouvrement) : ${values.as}`);
  const session: SessionContext = {
    sessionId: randomUUID(),
    organisationId,
    userId: (who as { userId: string }).userId,
    role: (who as { role: Role }).role,
    stage: 'active',
    agencyIds: [],
    authenticatedAt: new Date(),
  };
  const size = statSync(file as string).size;
  let read = 0;
  const bar = progressBar('Lecture et vérification');
  const counter = new Transform({
    transform(chunk: Buffer, _e, done) {
      read += chunk.length;
      bar.update(read, size);
      done(null, chunk);
    },
  });
  const preview = await previewBalanceFile(deps, session, createReadStream(file as string).pipe(counter), path.basename(file as string), '127.0.0.1');
  bar.done();
  console.log(
    `${plural(preview.totalLines, 'ligne lue', 'lignes lues')}, ${plural(preview.validLines, 'valide')}, ${plural(preview.errors.length, 'refusée')}.`,
  );
  for (const e of preview.errors.slice(0, 50)) console.error(`Ligne ${e.line} — ${e.column} : ${e.reason}`);
  if (preview.errors.length) {
    await cancelBalanceFile(deps, session, preview.id, '127.0.0.1');
    console.error('Fichier non appliqué : corrigez les lignes refusées puis relancez. Rien n’a été enregistré.');
    exitCode = 1;
  } else if (values['dry-run']) {
    await cancelBalanceFile(deps, session, preview.id, '127.0.0.1');
    console.log('Simulation : rien n’a été enregistré.');
  } else {
    const applied = await applyBalanceFile(deps, session, preview.id, '127.0.0.1');
    console.log(
      `${plural(applied.written, 'solde enregistré', 'soldes enregistrés')}, ${plural(applied.households, 'ménage à jour', 'ménages à jour')} ; ${plural(applied.checked, 'échéance vérifiée', 'échéances vérifiées')}, ${plural(applied.missed, 'non honorée', 'non honorées')}.`,
    );
  }
} catch (error) {
  console.error((error as Error).message);
  exitCode = 1;
} finally {
  await runtime.shutdown();
}
process.exit(exitCode);
