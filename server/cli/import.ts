// `npm run import -- <file> --org <slug> [--dry-run] [--valid-only] [--full] [--json] [--rejected <out.csv>]`
// Import a landlord's ERP export (CSV or XLSX) into the registry. Exit code 0 only when
// everything asked for was done.
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { importFile } from '../modules/registry/index.ts';
import { CSV_BOM, csvLine } from '../platform/csv/csv-writer.ts';
import { connectDatabase } from '../platform/db/bootstrap.ts';
import { organisationIdBySlug } from '../platform/db/organisations.ts';
import { createJobs } from '../platform/jobs/jobs.ts';
import { createLogger } from '../platform/logger.ts';
import { progressBar } from './progress.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    org: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    'valid-only': { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
    'confirm-large': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    rejected: { type: 'string' },
  },
});
const file = positionals[0];
const fail = (message: string, code = 2): never => {
  if (values.json) console.log(JSON.stringify({ ok: false, error: message }));
  else console.error(message);
  process.exit(code);
};
if (!file || !values.org)
  fail('Usage : npm run import -- <fichier.csv|xlsx> --org <organisme> [--dry-run] [--valid-only] [--full] [--json] [--rejected rejets.csv]');
if (!existsSync(file as string)) fail(`Fichier introuvable : ${file}`);

const config = loadConfig({ ...process.env, DEMO_SEED: 'false' });
const runtime = await connectDatabase(config);
const jobs = createJobs(runtime.ownerUrl, runtime.database, createLogger('warn'));
let exitCode = 0;
try {
  const organisationId = await organisationIdBySlug(runtime.ownerUrl, values.org as string);
  if (!organisationId) fail(`Organisme inconnu : ${values.org}`);
  const size = statSync(file as string).size;
  let read = 0;
  const bar = values.json ? null : progressBar('Lecture');
  const counter = new Transform({
    transform(chunk: Buffer, _e, done) {
      read += chunk.length;
      bar?.update(read, size);
      done(null, chunk);
    },
  });
  const rejectedPath = values.rejected ?? `${path.basename(file as string).replace(/\.[^.]+$/, '')}.rejets.csv`;
  let rejectedOut: ReturnType<typeof createWriteStream> | null = null;
  const report = () => {
    if (!rejectedOut) {
      rejectedOut = createWriteStream(rejectedPath);
      rejectedOut.write(CSV_BOM + csvLine(['Ligne', 'Erreurs', '…colonnes du fichier']));
    }
    return rejectedOut;
  };
  const result = await importFile(
    { config, database: runtime.database, jobs },
    { organisationId: organisationId as string },
    createReadStream(file as string).pipe(counter),
    {
      fileName: path.basename(file as string),
      dryRun: values['dry-run'],
      validOnly: values['valid-only'],
      fullExport: values.full,
      onProgress: (phase) => {
        if (phase === 'applying') bar?.done();
      },
      onRejected: (line, cells, errors) => report().write(csvLine([line, errors.map((e) => `${e.column} : ${e.reason}`).join(' | '), ...cells])),
      // Imported lines whose phone or e-mail was unreadable: in the same report, said as such.
      onWarning: (line, cells, warnings) =>
        report().write(csvLine([line, `Ligne importée — ${warnings.map((e) => `${e.column} : ${e.reason}`).join(' | ')}`, ...cells])),
    },
  );
  bar?.done();
  if (rejectedOut) await new Promise((r) => (rejectedOut as unknown as { end: (cb: () => void) => void }).end(() => r(null)));
  const s = result.summary;
  const wanted = values['dry-run'] || result.applied;
  exitCode = wanted ? 0 : 1;
  if (values.json) {
    console.log(
      JSON.stringify({
        ok: wanted,
        importId: result.importId,
        dialect: result.dialect,
        applied: result.applied,
        summary: s,
        rejectedFile: s.rejected_lines || s.warning_lines ? rejectedPath : null,
        nirColumns: result.nirColumns,
      }),
    );
  } else {
    console.log(
      `Format : ${result.dialect.format.toUpperCase()}${result.dialect.encoding ? `, ${result.dialect.encoding}, séparateur « ${result.dialect.delimiter === '\t' ? 'tabulation' : result.dialect.delimiter} »` : ''}`,
    );
    console.log(`Lignes : ${s.lines} — rejetées : ${s.rejected_lines}`);
    console.log(
      `Ménages : ${s.households_created} à créer, ${s.households_updated} à mettre à jour, ${s.households_unchanged} inchangés, ${s.households_left} sortis${values.full ? `, ${s.households_missing} absents de l'export` : ''}`,
    );
    console.log(`Personnes : ${s.persons_created} à créer, ${s.persons_updated} à mettre à jour, ${s.persons_unchanged} inchangées`);
    if (result.nirColumns.length) console.log(`Colonnes refusées (numéro de sécurité sociale, jamais enregistré) : ${result.nirColumns.join(', ')}`);
    if (s.warning_lines)
      console.log(`Lignes importées sans une valeur illisible (téléphone, e-mail, canal) : ${s.warning_lines} — la valeur est ignorée, la personne importée`);
    if (s.rejected_lines || s.warning_lines) console.log(`Lignes rejetées, valeurs ignorées et leurs motifs : ${rejectedPath}`);
    if (values['dry-run']) console.log('Simulation : rien n’a été écrit.');
    else if (result.applied) console.log(values['valid-only'] && s.rejected_lines ? 'Import terminé pour les lignes valides.' : 'Import terminé.');
    else if (result.largeDiff && !values['confirm-large'] && !s.rejected_lines)
      console.log('Rien n’a été écrit : cet import modifie ou retire plus de 5 % des ménages. Vérifiez la simulation, puis relancez avec --confirm-large.');
    else console.log('Rien n’a été écrit : corrigez les lignes rejetées, ou relancez avec --valid-only pour importer les lignes valides.');
  }
} catch (error) {
  const e = error as { message: string; status?: number };
  if (values.json) console.log(JSON.stringify({ ok: false, error: e.message }));
  else console.error(`Import impossible : ${e.message}`);
  exitCode = 1;
} finally {
  await runtime.shutdown();
}
process.exit(exitCode);
