/**
 * Files people give Lien (TRUST IN-08): a tenant's photo of a leak, a certificate, a PDF asked for.
 * A file is checked by its content, stripped of its metadata, written under a random name in the
 * organisation's folder of the data directory (outside anything served), recorded `pending`, and
 * scanned by ClamAV's daemon through the job queue. Only a `clean` file can be opened, and only
 * through a short-lived signed link (links.ts) that the module owning its record issues after its
 * own authorisation check. An infected file's bytes are deleted; its record stays, `infected`.
 * A file deleted by its owner (a purged request) loses its record in the owner's transaction and
 * its bytes once that commits (`deleteFiles`); bytes left with no record (a transaction that
 * stored a file and rolled back) are swept by the daily maintenance (`sweepOrphanFiles`).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type RawBuilder, sql } from 'kysely';
import type { Purpose } from '../../../contracts/data-protection.ts';
import type { Config } from '../../config.ts';
import { afterCommit, type Database, type Tx } from '../db/database.ts';
import type { PurgeTarget } from '../db/purge.ts';
import { invalid } from '../errors/app-error.ts';
import type { Jobs } from '../jobs/jobs.ts';
import type { MaintenanceTask } from '../jobs/maintenance.ts';
import { messageKey } from '../outbox/sealing.ts';
import { type ClamdAddress, clamdAddress, scanBytes } from './clamd.ts';
import { type AcceptedType, detectType, extensionOf, MalformedFile, withoutMetadata } from './content.ts';
import { deleteFileRows, insertFile, markScanned, recordedNames, storedFile } from './files.repository.ts';
import { type LinkTarget, openLink, signLink } from './links.ts';

export const FILES_SCAN_QUEUE = 'files-scan';

type FilesConfig = Pick<Config, 'LIEN_DATA_DIR' | 'LIEN_SECRET_KEY' | 'FILES_MAX_MB'>;

const folderOf = (config: Pick<Config, 'LIEN_DATA_DIR'>, organisationId: string) => path.join(config.LIEN_DATA_DIR, 'files', organisationId);

/** A file name fit for a download header: no folders, no control characters, 120 characters at most. */
export function safeFileName(name: string, type: AcceptedType): string {
  const base = (path.basename(name.replace(/\\/g, '/')) || 'fichier')
    .normalize('NFC')
    .replace(/[\p{Cc}"<>|:*?]/gu, '')
    .replace(/\.[^.]*$/, '')
    .slice(0, 110)
    .trim();
  return `${base || 'fichier'}.${extensionOf[type]}`;
}

/**
 * Checks and keeps a file, in the caller's transaction (the record and its scan job exist only if
 * the transaction commits). Refused in French, writing nothing: empty, too large, not a photo nor
 * a PDF, or broken. Returns the file's id.
 */
export async function storeFile(
  trx: Tx,
  jobs: Jobs,
  config: FilesConfig,
  organisationId: string,
  file: { fileName: string; purpose: string; bytes: Buffer; createdBy: string | null },
): Promise<string> {
  if (!file.bytes.length) throw invalid('file_empty', 'Le fichier est vide.');
  if (file.bytes.length > config.FILES_MAX_MB * 1024 * 1024)
    throw invalid('file_too_large', `Le fichier dépasse ${config.FILES_MAX_MB} Mo : réduisez la photo ou scannez le document en qualité moindre.`);
  const type = detectType(file.bytes);
  if (!type) throw invalid('file_type', 'Type de fichier refusé : seuls les photos (JPEG, PNG, WebP) et les documents PDF sont acceptés.');
  let bytes: Buffer;
  try {
    bytes = withoutMetadata(file.bytes, type);
  } catch (error) {
    if (error instanceof MalformedFile) throw invalid('file_malformed', `${error.message} Le fichier est peut-être abîmé.`);
    throw error;
  }
  const storageName = randomBytes(16).toString('hex');
  const folder = folderOf(config, organisationId);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const draft = path.join(folder, `${storageName}.part`);
  await writeFile(draft, bytes, { mode: 0o600 });
  await rename(draft, path.join(folder, storageName));
  try {
    const id = await insertFile(trx, {
      storageName,
      fileName: safeFileName(file.fileName, type),
      contentType: type,
      size: bytes.length,
      purpose: file.purpose,
      createdBy: file.createdBy,
    });
    await jobs.send(trx, FILES_SCAN_QUEUE, { organisationId, fileId: id });
    return id;
  } catch (error) {
    await rm(path.join(folder, storageName), { force: true });
    throw error;
  }
}

/** Scans one pending file (the queue's job; safe to run twice). clamd unreachable: throws, the queue retries, the file stays closed. */
export async function scanFile(database: Database, config: Pick<Config, 'LIEN_DATA_DIR'>, clamd: ClamdAddress, organisationId: string, fileId: string) {
  const file = await database.withOrg({ organisationId }, (trx) => storedFile(trx, fileId));
  if (file?.scan_status !== 'pending') return;
  const where = path.join(folderOf(config, organisationId), file.storage_name);
  const result = await scanBytes(clamd, await readFile(where));
  if (result.infected) await rm(where, { force: true });
  await database.withOrg({ organisationId }, (trx) =>
    markScanned(trx, fileId, result.infected ? { status: 'infected', signature: result.signature } : { status: 'clean', signature: null }),
  );
}

/** Registers the scanning worker. */
export function startFilesWorker(jobs: Jobs, config: Config) {
  const clamd = clamdAddress(config);
  return jobs.work<{ organisationId: string; fileId: string }>(FILES_SCAN_QUEUE, ({ database, organisationId, data }) =>
    scanFile(database, config, clamd, organisationId, data.fileId),
  );
}

/** What the owning module shows of a file, and a link to open it when it is clean. */
export async function fileForDownload(trx: Tx, config: FilesConfig, organisationId: string, fileId: string, now = Date.now()) {
  const file = await storedFile(trx, fileId);
  if (!file) return null;
  return {
    id: file.id,
    fileName: file.file_name,
    contentType: file.content_type,
    size: file.size_bytes,
    scanStatus: file.scan_status,
    link: file.scan_status === 'clean' ? `/api/files/${signLink(messageKey(config), { organisationId, fileId }, now)}` : null,
  };
}

/** The bytes a link opens, or why not (French): bad or expired link, unknown file, not (yet) clean. */
export async function openDownload(database: Database, config: FilesConfig, token: string, now = Date.now()) {
  const target = openLink(messageKey(config), token, now);
  if ('refused' in target) return target;
  return openTarget(database, config, target);
}

async function openTarget(database: Database, config: FilesConfig, target: LinkTarget) {
  const file = await database.withOrg({ organisationId: target.organisationId }, (trx) => storedFile(trx, target.fileId));
  if (!file) return { refused: 'Fichier introuvable.' };
  if (file.scan_status === 'pending') return { refused: 'Ce fichier est en cours d’analyse antivirus : réessayez dans quelques minutes.' };
  if (file.scan_status !== 'clean') return { refused: 'Ce fichier a été bloqué par l’antivirus et ne peut pas être ouvert.' };
  const bytes = await readFile(path.join(folderOf(config, target.organisationId), file.storage_name));
  return { fileName: file.file_name, contentType: file.content_type, bytes };
}

/**
 * Deletes files: their records in the caller's transaction, their bytes once it has committed
 * (database `afterCommit`). Not the other way round: a transaction that rolls back — the retention
 * preview always does — must find its files whole. If the process dies between the commit and
 * the removal, the bytes have no record any more and the sweep removes them. `config` null: the
 * bytes are left to the sweep. Returns how many records went.
 */
export async function deleteFiles(trx: Tx, config: Pick<Config, 'LIEN_DATA_DIR'> | null, organisationId: string, ids: readonly string[]): Promise<number> {
  const names = await deleteFileRows(trx, ids);
  if (config && names.length) {
    const folder = folderOf(config, organisationId);
    afterCommit(trx, async () => {
      for (const name of names) await rm(path.join(folder, name), { force: true }).catch(() => {});
    });
  }
  return names.length;
}

/** Bytes of a stored file (a random hex name) or of its draft (`.part`); anything else in the folder is not ours to touch. */
const storedName = /^([0-9a-f]{32})(\.part)?$/;
/** How long bytes may wait for their record: the transaction that stores a file is still open meanwhile. */
export const ORPHAN_AFTER_MS = 3_600_000;

/**
 * Removes an organisation's bytes that no record names and that are older than an hour: those of
 * a transaction that stored a file and rolled back (storeFile writes the bytes first), drafts
 * (`.part`) a crash left behind, and bytes whose deletion was interrupted. Returns how many went.
 */
export async function sweepOrphanBytes(trx: Tx, config: Pick<Config, 'LIEN_DATA_DIR'>, organisationId: string, now: Date): Promise<number> {
  const folder = folderOf(config, organisationId);
  const entries = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const old: { name: string; base: string; draft: boolean }[] = [];
  for (const name of entries) {
    const m = storedName.exec(name);
    if (!m) continue;
    const info = await stat(path.join(folder, name)).catch(() => null);
    if (info?.isFile() && info.mtimeMs <= now.getTime() - ORPHAN_AFTER_MS) old.push({ name, base: m[1] as string, draft: !!m[2] });
  }
  const kept = await recordedNames(
    trx,
    old.filter((x) => !x.draft).map((x) => x.base),
  );
  let removed = 0;
  for (const x of old) {
    if (!x.draft && kept.has(x.base)) continue;
    await rm(path.join(folder, x.name), { force: true });
    removed++;
  }
  return removed;
}

/** The daily maintenance task sweeping every organisation's orphaned bytes. */
export const sweepOrphanFiles = (config: Pick<Config, 'LIEN_DATA_DIR'>): MaintenanceTask => ({
  name: 'sweepOrphanFiles',
  run: (trx, now, organisationId) => sweepOrphanBytes(trx, config, organisationId, now),
});

/**
 * The retention purge's target for the files a module's records hold (TRUST DP-02): the files of
 * `filePurpose` that no record holds any more (`heldBy(file id)`, a condition the owning module
 * writes on its own table) are deleted, records now and bytes once the purge commits. Runs after
 * the owner's own targets: the records that held them went first (or with their household).
 */
export function unheldFilesTarget(o: {
  filePurpose: string;
  purpose: Purpose;
  label: string;
  heldBy: (fileId: RawBuilder<unknown>) => RawBuilder<unknown>;
}): PurgeTarget {
  return {
    table: 'files',
    purpose: o.purpose,
    action: 'delete',
    label: o.label,
    purge: async (trx, _expiry, ctx) => {
      const r = await sql<{ id: string }>`select f.id from files f where f.purpose = ${o.filePurpose} and not ${o.heldBy(sql.ref('f.id'))}`.execute(trx);
      return deleteFiles(
        trx,
        ctx.files,
        ctx.organisationId,
        r.rows.map((x) => x.id),
      );
    },
  };
}
