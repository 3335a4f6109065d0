// `npm run import -- <file> --org <slug> [--dry-run] [--valid-only] [--full] [--confirm-large] [--json]
//   [--rejected <out.csv>] [--mapping <mapping.json>] [--save-mapping]`
// Import a landlord's ERP export (CSV or XLSX) into the registry. Exit code 0 only when
// everything asked for was done. No personal data is written anywhere unless asked: the rejected
// lines go to the `--rejected` file; without it, only their line numbers and reasons are printed
// (on stderr), never their values.
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { parseArgs } from 'node:util';
import { importFieldNames } from '../../contracts/imports.ts';
import { plural } from '../../contracts/plural.ts';
import { loadConfig } from '../config.ts';
// Loaded for its side effect: the arrears module names the households (active payment plans) whose
// balance each import dates even when unchanged, as when the server applies an import.
import '../modules/arrears/index.ts';
import { cellsOfLines, importFile, largeChangeMessage } from '../modules/registry/index.ts';
import { CSV_BOM, csvLine } from '../platform/csv/csv-writer.ts';
import { connectDatabase } from '../platform/db/bootstrap.ts';
import { organisationIdBySlug } from '../platform/db/organisations.ts';
import { createJobs } from '../platform/jobs/jobs.ts';
import { createLogger } from '../platform/logger.ts';
import { phaseTicker, progressBar } from './progress.ts';

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
    mapping: { type: 'string' },
    'save-mapping': { type: 'boolean', default: false },
  },
});
const file = positionals[0];
const fail = (message: string, code = 2): never => {
  if (values.json) console.log(JSON.stringify({ ok: false, error: message }));
  else console.error(message);
  process.exit(code);
};
if (!file || !values.org)
  fail(
    'Usage : npm run import -- <fichier.csv|xlsx> --org <organisme> [--dry-run] [--valid-only] [--full] [--confirm-large] [--json] [--rejected rejets.csv] [--mapping correspondance.json] [--save-mapping]',
  );
if (!existsSync(file as string)) fail(`Fichier introuvable : ${file}`);
let mapping: unknown;
if (values.mapping) {
  if (!existsSync(values.mapping)) fail(`Fichier de correspondance introuvable : ${values.mapping}`);
  try {
    mapping = JSON.parse(readFileSync(values.mapping, 'utf8'));
  } catch {
    fail(`Le fichier de correspondance ${values.mapping} n’est pas un JSON valide : attendu { "colonne du fichier": "champ", … }. Rien n’a été importé.`);
  }
}

const phaseLabels = {
  staging: 'Enregistrement des lignes lues…',
  duplicates: 'Recherche des doublons…',
  preview: 'Simulation (comparaison avec le registre)…',
  applying: 'Écriture dans le registre (tout ou rien)…',
};
/** Lines printed on stderr without `--rejected` (line number, column, reason: never a value). */
const SHOWN_REJECTIONS = 50;

const config = loadConfig({ ...process.env, DEMO_SEED: 'false' });
const runtime = await connectDatabase(config);
const jobs = createJobs(runtime.ownerUrl, runtime.database, createLogger('warn'));
let exitCode = 0;
try {
  const organisationId = await organisationIdBySlug(runtime.ownerUrl, values.org as string);
  if (!organisationId) fail(`Organisme inconnu : ${values.org}`);
  const size = statSync(file as string).size;
  let read = 0;
  const bar = values.json ? null : progressBar('Lecture et vérification');
  const counter = new Transform({
    transform(chunk: Buffer, _e, done) {
      read += chunk.length;
      bar?.update(read, size);
      done(null, chunk);
    },
  });
  let phase = 'reading';
  // Imported lines whose phone or e-mail was unreadable (the value set aside): reported like rejections, said as such.
  const warned: { line: number; reasons: string }[] = [];
  const current: { ticker: ReturnType<typeof phaseTicker> | null } = { ticker: null };
  const result = await importFile(
    { config, database: runtime.database, jobs },
    { organisationId: organisationId as string },
    createReadStream(file as string).pipe(counter),
    {
      fileName: path.basename(file as string),
      dryRun: values['dry-run'],
      validOnly: values['valid-only'],
      fullExport: values.full,
      confirmLarge: values['confirm-large'],
      mapping,
      saveMapping: values['save-mapping'],
      onWarning: (line, _cells, warnings) => warned.push({ line, reasons: `Ligne importée — ${warnings.map((e) => `${e.column} : ${e.reason}`).join(' | ')}` }),
      onProgress: (next) => {
        // Reading is measured in bytes; each later phase shows its label and the time elapsed.
        if (next === 'reading' || next === phase) return;
        if (phase === 'reading') bar?.done();
        current.ticker?.done();
        phase = next;
        current.ticker = values.json ? null : phaseTicker(phaseLabels[next]);
      },
    },
  );
  if (phase === 'reading') bar?.done();
  current.ticker?.done();
  const s = result.summary;
  // Every rejection is a row, duplicates found after reading included, in line order.
  let rejectedFile: string | null = null;
  if ((result.rejected.length || warned.length) && values.rejected) {
    rejectedFile = values.rejected;
    const out = createWriteStream(rejectedFile);
    out.write(CSV_BOM + csvLine(['Ligne', 'Erreurs', ...result.headers]));
    const reasons = new Map([
      ...result.rejected.map((r) => [r.line, r.errors.map((e) => `${e.column} : ${e.reason}`).join(' | ')] as const),
      ...warned.map((w) => [w.line, w.reasons] as const),
    ]);
    for await (const row of cellsOfLines(createReadStream(file as string), new Set(reasons.keys()))) {
      out.write(csvLine([row.line, reasons.get(row.line) ?? '', ...row.cells]));
    }
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  } else if (result.rejected.length && !values.json) {
    for (const r of result.rejected.slice(0, SHOWN_REJECTIONS))
      console.error(`Ligne ${r.line} — ${r.errors.map((e) => `${e.column} : ${e.reason}`).join(' | ')}`);
    if (result.rejected.length > SHOWN_REJECTIONS) console.error(`… et ${result.rejected.length - SHOWN_REJECTIONS} autres lignes rejetées.`);
    console.error('Pour le détail des lignes rejetées avec leurs valeurs, relancez avec --rejected rejets.csv.');
  }
  if (warned.length && !values.rejected && !values.json)
    console.error(`${plural(warned.length, 'ligne importée', 'lignes importées')} sans une valeur illisible : le détail avec --rejected rejets.csv.`);
  const wanted = values['dry-run'] || result.applied;
  exitCode = wanted ? 0 : 1;
  const refusedForErrors = !result.applied && !values['dry-run'] && !values['valid-only'] && s.rejected_lines > 0;
  const refusedForSize = !result.applied && !values['dry-run'] && result.largeDiff && !values['confirm-large'];
  if (values.json) {
    console.log(
      JSON.stringify({
        ok: wanted,
        importId: result.importId,
        dialect: result.dialect,
        applied: result.applied,
        summary: s,
        rejectedFile,
        rejected: result.rejected.map((r) => ({ line: r.line, errors: r.errors.map((e) => ({ column: e.column, reason: e.reason })) })),
        nirColumns: result.nirColumns,
        largeChange: result.largeDiff ? largeChangeMessage(s) : null,
      }),
    );
  } else {
    console.log(
      `Format : ${result.dialect.format.toUpperCase()}${result.dialect.encoding ? `, ${result.dialect.encoding}, séparateur « ${result.dialect.delimiter === '\t' ? 'tabulation' : result.dialect.delimiter} »` : ''}`,
    );
    console.log(`Lignes : ${s.lines} — rejetées : ${s.rejected_lines}`);
    console.log(
      `Le fichier (lignes valides) : ${plural(s.file_households, 'ménage')}, ${plural(s.file_persons, 'personne')}, ${plural(s.file_residences, 'résidence')}, ${plural(s.file_units, 'logement')}`,
    );
    console.log(
      `Ménages : ${s.households_created} à créer, ${s.households_updated} à mettre à jour, ${s.households_unchanged} inchangés, ${s.households_left} sortis${values.full ? `, ${s.households_missing} absents de l'export` : ''}`,
    );
    console.log(`Personnes : ${s.persons_created} à créer, ${s.persons_updated} à mettre à jour, ${s.persons_unchanged} inchangées`);
    if (result.nirColumns.length)
      console.log(`Colonnes refusées (numéros de sécurité sociale, jamais lus ni enregistrés ; le reste est importé) : ${result.nirColumns.join(', ')}`);
    if (s.warning_lines)
      console.log(`Lignes importées sans une valeur illisible (téléphone, e-mail, canal) : ${s.warning_lines} — la valeur est ignorée, la personne importée`);
    if (rejectedFile) console.log(`Lignes rejetées, valeurs ignorées et leurs motifs : ${rejectedFile}`);
    if (values['save-mapping']) console.log('Correspondance des colonnes enregistrée pour les prochains imports de cet organisme.');
    if (values['dry-run']) {
      console.log('Simulation : rien n’a été écrit.');
      if (result.largeDiff) console.log(`À noter : ${largeChangeMessage(s)} L’import demandera --confirm-large.`);
    } else if (result.applied) console.log(values['valid-only'] && s.rejected_lines ? 'Import terminé pour les lignes valides.' : 'Import terminé.');
    else {
      if (refusedForErrors) console.log('Rien n’a été écrit : corrigez les lignes rejetées, ou relancez avec --valid-only pour importer les lignes valides.');
      if (refusedForSize) console.log(`Rien n’a été écrit : ${largeChangeMessage(s)} Vérifiez la simulation (--dry-run), puis relancez avec --confirm-large.`);
    }
  }
} catch (error) {
  const e = error as { message: string; code?: string; extra?: { headers?: string[] } };
  const headers = e.extra?.headers;
  if (values.json) console.log(JSON.stringify({ ok: false, error: e.message, ...(headers ? { headers } : {}) }));
  else {
    console.error(`Import impossible : ${e.message}`);
    if (headers && (e.code === 'mapping_incomplete' || e.code === 'mapping_invalid')) {
      console.error(`Colonnes trouvées dans le fichier : ${headers.map((h) => `« ${h} »`).join(', ')}.`);
      console.error(
        'Indiquez la correspondance dans un fichier JSON, colonne du fichier → champ, par exemple { "Réf. contrat": "lease_ref", "Code tiers": "household_ref" },',
      );
      console.error('puis relancez avec --mapping correspondance.json (et --save-mapping pour la retenir).');
      console.error(`Champs possibles : ${importFieldNames.join(', ')} (ou leur libellé français, par exemple « Référence bail »).`);
    }
  }
  exitCode = 1;
} finally {
  await runtime.shutdown();
}
process.exit(exitCode);
