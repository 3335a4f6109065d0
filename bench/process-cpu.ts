// CPU used by a local PostgreSQL cluster (the postmaster, its live processes and those it has
// reaped), in seconds: a figure the neighbours of a shared machine disturb less than a wall time.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const TICKS_PER_SECOND = 100;

function fields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: split after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** A reader of the cluster's CPU seconds so far; null where /proc or the data folder cannot be read. */
export async function postgresCpu(ownerUrl: string): Promise<() => number | null> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  const dir = (await client.query<{ data_directory: string }>('show data_directory')).rows[0]?.data_directory ?? '';
  await client.end();
  let postmaster: number;
  try {
    postmaster = Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return () => null;
  }
  return () => {
    // After the name: state is [0], ppid [1], utime [11], stime [12], cutime [13], cstime [14].
    const own = fields(postmaster);
    if (!own) return null;
    let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const f = fields(Number(entry));
      if (f && Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
    }
    return ticks / TICKS_PER_SECOND;
  };
}
