// CPU used by a process tree (Linux /proc), in seconds: a figure the neighbours of a shared machine
// disturb less than a wall time. The benchmarks read PostgreSQL's cluster (the postmaster, its
// live processes and those it has reaped), nginx and the server processes through it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat after the command name: state [0], ppid [1], utime [11], stime [12], cutime [13], cstime [14]. */
function fields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: split after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Child process ids of a process. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(fields(Number(entry))?.[1]) === pid)
    .map(Number);
}

/** CPU seconds of a process and its live children; with `reaped`, also of the children it has waited for. */
export function treeCpuSeconds(pid: number, reaped = false): number {
  const own = fields(pid);
  if (!own) return 0;
  let ticks = Number(own[11]) + Number(own[12]) + (reaped ? Number(own[13]) + Number(own[14]) : 0);
  for (const child of childrenOf(pid)) {
    const f = fields(child);
    if (f) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks / TICKS_PER_SECOND;
}

/** The postmaster's process id of a cluster's data folder. */
export function postmasterPid(dataDirectory: string): number {
  return Number(readFileSync(path.join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** A reader of the cluster's CPU seconds so far; null where /proc or the data folder cannot be read. */
export async function postgresCpu(ownerUrl: string): Promise<() => number | null> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  const dir = (await client.query<{ data_directory: string }>('show data_directory')).rows[0]?.data_directory ?? '';
  await client.end();
  let postmaster: number;
  try {
    postmaster = postmasterPid(dir);
  } catch {
    return () => null;
  }
  return () => (fields(postmaster) ? treeCpuSeconds(postmaster, true) : null);
}
