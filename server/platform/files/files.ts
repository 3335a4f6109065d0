/**
 * Files people give Lien (TRUST IN-08): a tenant's photo of a leak, a certificate, a PDF asked for.
 * A file is checked by its content, stripped of its metadata, written under a random name in the
 * organisation's folder of the data directory (outside anything served), recorded `pending`, and
 * scanned by ClamAV's daemon through the job queue. Only a `clean` file can be opened, and only
 * through a short-lived signed link (links.ts) that the module owning its record issues after its
 * own authorisation check. An infected file's bytes are deleted; its record stays, `infected`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config.ts';
import type { Database, Tx } from '../db/database.ts';
import { invalid } from '../errors/app-error.ts';
import type { Jobs } from '../jobs/jobs.ts';
import { messageKey } from '../outbox/sealing.ts';
import { type ClamdAddress, clamdAddress, scanBytes } from './clamd.ts';
import { type AcceptedType, detectType, extensionOf, MalformedFile, withoutMetadata } from './content.ts';
import { insertFile, markScanned, storedFile } from './files.repository.ts';
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
  if (!file || file.scan_status !== 'pending') return;
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
