// Benchmark: the call-campaign dispatch queue (« Appeler le suivant ») on a 100,000-household
// organisation, through the real HTTP stack (Fastify, session cookie, policy, zod, RLS, audit):
//  - saturated: 500 callers loop « next » → outcome without pause; claims/s, latencies, errors;
//    no household handed to two callers at once (checked by the client and in the database), and
//    every acknowledged outcome is a row of call_attempts (TRUST LD-03);
//  - bare: the same claim and settle statements on direct connections (the physical limit);
//  - paced: 500 callers asking « next » once every 5 s, the latency a caller feels;
//  - balanced: saturated and paced again on a fresh campaign, through nginx (started here from
//    Debian's package, config and pid in a temporary folder) in front of two server processes
//    (`bench/dispatch-server.ts`) on the same PostgreSQL: dispatch state lives only in the
//    database, so two processes must hand no household to two callers either (`--servers 1`
//    skips it; without nginx it is skipped with the command to install it).
// The server runs on this thread; the callers run in a worker thread with their own event loop.
// Per phase it also reports the server thread's event-loop delay and GC pauses and PostgreSQL's
// lock waits (stalls); diagnosis: `--refresh 0` (no manager refreshing the dashboard during the
// paced run), `LIEN_BENCH_CPU_PROFILE=<dir>` (a CPU profile of the server thread per phase),
// `--warm-seconds N` (the saturated load N s before its measured window: the steady state).
// Prints one JSON line; progress on stderr.
import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { constants, monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pg from 'pg';
import { postmasterPid, treeCpuSeconds } from './process-cpu.ts';

// ——— Shared ———

type Answer = string | number | boolean;
type ScriptQuestion = { key: string; type: string; choices?: string[]; rules?: { effect: string }[] };
type Mix = 'realistic' | 'reached';
type LoadInput = { mode: 'saturated' | 'paced'; baseUrl: string; campaignId: string; cookies: string[]; seconds: number; periodMs: number; mix: Mix };
/** One claim seen by a caller: handed when « next » answered, released when the outcome was sent. */
/** One 100 ms sample of a phase: the app pool's queue and connections, what the application's backends were doing. */
type TimelineSample = {
  at: number;
  poolWaiting: number;
  poolTotal: number;
  walWaiting: number;
  lockWaiting: number;
  running: number;
  active: number;
  /** Application backends idle inside a transaction: a pooled connection waiting for the server's event loop. */
  idleInTransaction: number;
  autovacuumWorkers: number;
};
type Timeline = { samples: TimelineSample[]; gcPauses: { at: number; ms: number }[] };
type Claim = { targetId: string; caller: number; handedAt: number; releasedAt: number; acknowledged: boolean };
type LoadResult = {
  nextMs: number[];
  /** When each « next » was sent, in seconds from the start of the run (same order as nextMs). */
  nextAt: number[];
  outcomeMs: number[];
  claims: Claim[];
  claimsInWindow: number;
  empty: number;
  statuses: Record<string, number>;
  elapsedSeconds: number;
  cpuSeconds: number;
  eventLoopUtilisation: number;
  /** Wall-clock instant (ms since the epoch) of the run's start: `nextAt` is relative to it (threads have different performance origins). */
  startEpochMs: number;
};

/** Outcome mix of a heat-wave campaign's first pass: ~40 % reached, ~45 % no answer. */
const outcomeMix: [string, number][] = [
  ['reached', 0.4],
  ['no_answer', 0.45],
  ['voicemail', 0.05],
  ['busy', 0.04],
  ['wrong_number', 0.03],
  ['refused', 0.03],
];

/** `reached` (diagnosis): every call reached, so no household goes back into the queue. */
function pickOutcome(mix: Mix) {
  if (mix === 'reached') return 'reached';
  let r = Math.random();
  for (const [outcome, share] of outcomeMix) {
    r -= share;
    if (r < 0) return outcome;
  }
  return 'no_answer';
}

/** A few answers from the campaign's own script: an emergency 1 % of the time, other « yes » 10 %. */
function answersFor(questions: ScriptQuestion[]) {
  const answers: Record<string, Answer> = {};
  for (const q of questions) {
    if (Math.random() < 0.4) continue;
    if (q.type === 'yes_no') {
      const urgent = q.rules?.some((r) => r.effect === 'urgent');
      answers[q.key] = Math.random() < (urgent ? 0.01 : 0.1) ? 'yes' : 'no';
    } else if (q.type === 'choice' && q.choices?.length) {
      answers[q.key] = q.choices[Math.floor(Math.random() * q.choices.length)] as string;
    } else if (q.type === 'number') {
      answers[q.key] = Math.floor(Math.random() * 5);
    }
  }
  return answers;
}

/** CPU of this thread (Node ≥ 23.9); on an older Node, of the whole process (then the server's figure includes the load generator's). */
const threadCpuUsage = (previous?: NodeJS.CpuUsage): NodeJS.CpuUsage => {
  const own = (process as { threadCpuUsage?: (p?: NodeJS.CpuUsage) => NodeJS.CpuUsage }).threadCpuUsage;
  return own ? own.call(process, previous) : process.cpuUsage(previous);
};

function pct(xs: number[], p: number) {
  if (!xs.length) return null;
  const s = Float64Array.from(xs).sort();
  return Number((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number).toFixed(1));
}

/** The seconds of a run with the most « next » slower than 50 ms: a stall shows as a few such seconds, a backlog as all of them. */
function slowSeconds(r: { nextMs: number[]; nextAt: number[] }) {
  const bySecond = new Map<number, { slow: number; total: number; maxMs: number }>();
  r.nextMs.forEach((ms, i) => {
    const second = Math.floor(r.nextAt[i] ?? 0);
    const b = bySecond.get(second) ?? { slow: 0, total: 0, maxMs: 0 };
    b.total++;
    if (ms > 50) b.slow++;
    b.maxMs = Math.max(b.maxMs, Math.round(ms));
    bySecond.set(second, b);
  });
  const withSlow = [...bySecond.entries()].filter(([, b]) => b.slow > 0);
  return {
    secondsWithSlowNext: withSlow.length,
    worst: withSlow
      .sort((a, b) => b[1].slow - a[1].slow)
      .slice(0, 3)
      .map(([second, b]) => ({ second, ...b })),
  };
}

/** Pairs of claims of one household by two callers whose holding intervals overlap. */
function overlappingClaims(claims: Claim[]) {
  const byTarget = new Map<string, Claim[]>();
  for (const c of claims) byTarget.set(c.targetId, [...(byTarget.get(c.targetId) ?? []), c]);
  let overlaps = 0;
  let handedTwice = 0;
  for (const list of byTarget.values()) {
    if (list.length < 2) continue;
    handedTwice++;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i] as Claim;
        const b = list[j] as Claim;
        // [handedAt, releasedAt] is surely inside the server-side holding: overlap is a true double assignment.
        if (a.caller !== b.caller && a.handedAt < b.releasedAt && b.handedAt < a.releasedAt) overlaps++;
      }
    }
  }
  return { overlaps, handedTwice };
}

/**
 * The run second by second, slow « next » (> 50 ms, by the second they were sent in) beside what
 * the samplers saw in that second: the pool's queue, backends waiting on the WAL (`IO:WalSync`,
 * `LWLock:WALWrite`…) or on a lock, backends running, the server thread's GC pauses. The worst
 * seconds, and the means over the seconds with and without a slow « next »: what a stall goes with.
 */
function stallSeconds(r: Pick<LoadResult, 'nextMs' | 'nextAt' | 'startEpochMs'>, t: Timeline | undefined) {
  if (!t || !r.nextMs.length) return undefined;
  type Second = {
    second: number;
    next: number;
    slow: number;
    maxMs: number;
    poolWaitingMax: number;
    poolTotalMax: number;
    walWaitingMax: number;
    lockWaitingMax: number;
    runningMax: number;
    idleInTransactionMax: number;
    autovacuumWorkersMax: number;
    gcMs: number;
  };
  const seconds = new Map<number, Second>();
  const at = (second: number) => {
    let x = seconds.get(second);
    if (!x) {
      x = {
        second,
        next: 0,
        slow: 0,
        maxMs: 0,
        poolWaitingMax: 0,
        poolTotalMax: 0,
        walWaitingMax: 0,
        lockWaitingMax: 0,
        runningMax: 0,
        idleInTransactionMax: 0,
        autovacuumWorkersMax: 0,
        gcMs: 0,
      };
      seconds.set(second, x);
    }
    return x;
  };
  const secondOf = (epochMs: number) => Math.floor((epochMs - r.startEpochMs) / 1000);
  const last = Math.max(...r.nextAt.map(Math.floor));
  r.nextMs.forEach((ms, i) => {
    const x = at(Math.floor(r.nextAt[i] ?? 0));
    x.next++;
    if (ms > 50) x.slow++;
    x.maxMs = Math.max(x.maxMs, Math.round(ms));
  });
  for (const s of t.samples) {
    const second = secondOf(s.at);
    if (second < 0 || second > last) continue;
    const x = at(second);
    x.poolWaitingMax = Math.max(x.poolWaitingMax, s.poolWaiting);
    x.poolTotalMax = Math.max(x.poolTotalMax, s.poolTotal);
    x.walWaitingMax = Math.max(x.walWaitingMax, s.walWaiting);
    x.lockWaitingMax = Math.max(x.lockWaitingMax, s.lockWaiting);
    x.runningMax = Math.max(x.runningMax, s.running);
    x.idleInTransactionMax = Math.max(x.idleInTransactionMax, s.idleInTransaction);
    x.autovacuumWorkersMax = Math.max(x.autovacuumWorkersMax, s.autovacuumWorkers);
  }
  for (const g of t.gcPauses) {
    const second = secondOf(g.at);
    if (second >= 0 && second <= last) at(second).gcMs += g.ms;
  }
  const all = [...seconds.values()].map((x) => ({ ...x, gcMs: Math.round(x.gcMs) }));
  const mean = (xs: Second[], k: keyof Second) => (xs.length ? Number((xs.reduce((sum, x) => sum + x[k], 0) / xs.length).toFixed(1)) : null);
  const describe = (xs: Second[]) => ({
    seconds: xs.length,
    poolWaitingMax: mean(xs, 'poolWaitingMax'),
    walWaitingMax: mean(xs, 'walWaitingMax'),
    lockWaitingMax: mean(xs, 'lockWaitingMax'),
    runningMax: mean(xs, 'runningMax'),
    idleInTransactionMax: mean(xs, 'idleInTransactionMax'),
    autovacuumWorkersMax: mean(xs, 'autovacuumWorkersMax'),
    gcMs: mean(xs, 'gcMs'),
  });
  return {
    withSlowNext: describe(all.filter((x) => x.slow > 0)),
    withoutSlowNext: describe(all.filter((x) => x.slow === 0)),
    worst: all.sort((a, b) => b.maxMs - a.maxMs).slice(0, 5),
  };
}

// ——— Load generator (worker thread) ———

async function loadGenerator(input: LoadInput): Promise<LoadResult> {
  // node:http with a keep-alive agent: one connection per caller in flight, kept between requests.
  // (The global fetch did the same at about twice the CPU per request — WHATWG streams and
  // headers objects — and the load generator shares the 2 cores with the server and PostgreSQL.)
  const target = new URL(input.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: input.cookies.length, maxFreeSockets: input.cookies.length });
  const request = (method: 'GET' | 'POST', url: string, cookie: string, body?: unknown) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: http.OutgoingHttpHeaders = { cookie };
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(payload);
      }
      const req = http.request({ agent, host: target.hostname, port: target.port, method, path: url, headers }, (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  const post = async (url: string, body: unknown, cookie: string) => {
    const t0 = performance.now();
    try {
      const res = await request('POST', url, cookie, body);
      const json = res.status === 200 ? JSON.parse(res.text) : null;
      return { status: res.status, json, t0, t1: performance.now() };
    } catch {
      return { status: 0, json: null, t0, t1: performance.now() };
    }
  };
  const out: LoadResult = {
    nextMs: [],
    nextAt: [],
    outcomeMs: [],
    claims: [],
    claimsInWindow: 0,
    empty: 0,
    statuses: {},
    elapsedSeconds: 0,
    cpuSeconds: 0,
    eventLoopUtilisation: 0,
    startEpochMs: 0,
  };
  const count = (key: string) => {
    out.statuses[key] = (out.statuses[key] ?? 0) + 1;
  };
  // Callers have their page open: one keep-alive connection each before the clock starts.
  await Promise.all(input.cookies.map((cookie) => request('GET', '/api/auth/me', cookie)));
  parentPort?.postMessage('started');
  const cpu0 = threadCpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const start = performance.now();
  out.startEpochMs = performance.timeOrigin + start;
  const deadline = start + input.seconds * 1000;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

  async function cycle(caller: number, cookie: string) {
    const next = await post('/api/calls/next', { campaignId: input.campaignId }, cookie);
    out.nextMs.push(next.t1 - next.t0);
    out.nextAt.push((next.t0 - start) / 1000);
    count(`next ${next.status}`);
    const call = (next.json as { call: { targetId: string; script: { questions: ScriptQuestion[] } } | null } | null)?.call;
    if (next.status !== 200) return;
    if (!call) {
      out.empty++;
      return;
    }
    if (next.t1 <= deadline) out.claimsInWindow++;
    const outcome = pickOutcome(input.mix);
    const body = { outcome, answers: outcome === 'reached' ? answersFor(call.script.questions) : {} };
    const done = await post(`/api/calls/${call.targetId}/outcome`, body, cookie);
    out.outcomeMs.push(done.t1 - done.t0);
    count(`outcome ${done.status}`);
    out.claims.push({ targetId: call.targetId, caller, handedAt: next.t1, releasedAt: done.t0, acknowledged: done.status === 200 });
  }

  await Promise.all(
    input.cookies.map(async (cookie, caller) => {
      if (input.mode === 'saturated') {
        while (performance.now() < deadline) await cycle(caller, cookie);
        return;
      }
      // Paced: every caller asks once per period, start times spread over the first period.
      const offset = (caller * input.periodMs) / input.cookies.length;
      for (let k = 0; ; k++) {
        const at = start + offset + k * input.periodMs;
        if (at >= deadline) return;
        await sleep(at - performance.now());
        await cycle(caller, cookie);
      }
    }),
  );
  const cpu = threadCpuUsage(cpu0);
  out.elapsedSeconds = (performance.now() - start) / 1000;
  out.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  out.eventLoopUtilisation = performance.eventLoopUtilization(elu0).utilization;
  agent.destroy();
  return out;
}

if (!isMainThread) {
  parentPort?.postMessage(await loadGenerator(workerData as LoadInput));
} else {
  await main();
}

// ——— Orchestration (main thread: database, app, bare loop, checks) ———

async function main() {
  const { loadConfig } = await import('../server/config.ts');
  const { buildApp } = await import('../server/app.ts');
  const { hashPassword } = await import('../server/platform/auth/password.ts');
  const { currentTotp, newTotpSecret } = await import('../server/platform/auth/totp.ts');
  const { connectDatabase } = await import('../server/platform/db/bootstrap.ts');
  const { APP_ROLE, openDatabase, openOwnerPool } = await import('../server/platform/db/database.ts');
  const { createOrganisation } = await import('../server/platform/db/organisations.ts');
  const { createJobs } = await import('../server/platform/jobs/jobs.ts');
  const { createLogger } = await import('../server/platform/logger.ts');

  const { values } = parseArgs({
    options: {
      households: { type: 'string', default: '100000' },
      callers: { type: 'string', default: '500' },
      seconds: { type: 'string', default: '30' },
      'paced-seconds': { type: 'string', default: '60' },
      'paced-period': { type: 'string', default: '5' },
      'bare-connections': { type: 'string', default: '20' },
      // Diagnosis: every call reached (no retry back into the queue); ANALYZE the queue after each launch.
      mix: { type: 'string', default: 'realistic' },
      analyze: { type: 'boolean', default: false },
      // Diagnosis: the server's pool size (default: the one main.ts gets from connectDatabase).
      'app-pool': { type: 'string' },
      keep: { type: 'string' },
      // 2 (default): the saturated and paced runs again through nginx in front of two server processes; 1: one process only.
      servers: { type: 'string', default: '2' },
      // Diagnosis: seconds between the manager's refreshes of the dashboard and follow-ups during the paced run (0: none).
      refresh: { type: 'string', default: '2' },
      // Diagnosis: the saturated load this many seconds before the measured window (0: none), so every pooled
      // connection has filled its catalog caches and planned its statements before the clock starts.
      'warm-seconds': { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`npm run bench -- dispatch [options]
  --households N        households generated (100000)
  --callers N           callers signed in (500)
  --seconds N           saturated run and bare loop, seconds (30)
  --paced-seconds N     paced run, seconds (60)
  --paced-period S      seconds between two « next » of one caller in the paced run (5: 100/s with 500 callers)
  --bare-connections N  connections of the bare loop (20)
  --servers 1|2         2: the runs again through nginx in front of two server processes (2)
  --refresh S           seconds between the manager's dashboard refreshes in the paced run, 0: none (2)
  --warm-seconds N      unmeasured saturated load before the measured window (0)
  --app-pool N          the server's pool size (as main.ts)
  --mix reached         every call reached (diagnosis)
  --analyze             ANALYZE the queue after each launch (diagnosis)
  --keep DIR            keep and reuse the cluster (port 54402; load pg_stat_statements there for per-statement figures)
Environment: LIEN_BENCH_CPU_PROFILE=DIR writes a CPU profile of the server thread per phase.
The paced run is also printed second by second (paced.stallSeconds): slow « next » beside the pool's queue,
connections idle in a transaction, WAL and lock waits, autovacuum workers and GC pauses.
`);
    return;
  }
  const households = Number(values.households);
  const callers = Number(values.callers);
  const seconds = Number(values.seconds);
  const pacedSeconds = Number(values['paced-seconds']);
  const pacedPeriodMs = Number(values['paced-period']) * 1000;
  const bareConnections = Number(values['bare-connections']);
  const warmSeconds = Number(values['warm-seconds']);
  const mix: Mix = values.mix === 'reached' ? 'reached' : 'realistic';
  const PASSWORD = 'bench dispatch correct horse';

  const log = (m: string) => process.stderr.write(`${m}\n`);
  let lastBar = '';
  const bar = (label: string, done: number, total: number) => {
    const percent = total ? Math.floor((done / total) * 100) : 100;
    if (`${label}${percent}` === lastBar) return;
    lastBar = `${label}${percent}`;
    const line = `${label} [${'█'.repeat(Math.round(percent * 0.3))}${'░'.repeat(30 - Math.round(percent * 0.3))}] ${percent} %`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${done >= total ? '\n' : ''}`);
    else if (done >= total || percent % 25 === 0) log(line);
  };
  const seconds1 = (t0: number) => Number(((performance.now() - t0) / 1000).toFixed(1));

  // --keep DIR keeps (and reuses) the generated database, for diagnosis.
  const dir = values.keep ?? (await mkdtemp(path.join(os.tmpdir(), 'lien-bench-dispatch-')));
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  const config = loadConfig({
    LIEN_DATA_DIR: path.join(dir, 'data'),
    LIEN_PG_PORT: values.keep ? '54402' : String(40000 + Math.floor(Math.random() * 20000)),
    LOG_LEVEL: 'silent',
  });

  // Statement counter on the application role's connections (the server's pool and the bare
  // loop): wraps pg's client query, leaves the server code untouched.
  const stats = { statements: 0, sqlMs: 0, byKind: new Map<string, { count: number; ms: number }>() };
  const kindOf = (text: string) => text.slice(0, 300).replace(/\s+/g, ' ').trim().slice(0, 70);
  const originalQuery = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const result = (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
    if ((this as unknown as { connectionParameters?: { user?: string } }).connectionParameters?.user === APP_ROLE) {
      stats.statements++;
      const t0 = performance.now();
      const kind = kindOf(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string })?.text));
      if (result instanceof Promise)
        result.then(
          () => {
            const ms = performance.now() - t0;
            stats.sqlMs += ms;
            const k = stats.byKind.get(kind) ?? { count: 0, ms: 0 };
            k.count++;
            k.ms += ms;
            stats.byKind.set(kind, k);
          },
          () => {},
        );
    }
    return result;
  } as typeof pg.Client.prototype.query;

  const runtime = await connectDatabase(config);
  const jobs = createJobs(runtime.ownerUrl, runtime.database, createLogger('silent'));
  await jobs.start(); // urgent calls enqueue an e-mail to the managers (pg-boss); no worker runs here.
  const owner = openOwnerPool(runtime.ownerUrl, 2);
  const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) => (await owner.query(text, params)).rows as T[];
  // pg_stat_activity shows another role's state and wait events only to a superuser (or pg_read_all_stats):
  // the stall probe reads it through the cluster's own account, not the owner role the pool takes.
  const statsPool = new pg.Pool({ connectionString: runtime.ownerUrl, max: 1 });
  const database = values['app-pool'] ? openDatabase(runtime.appUrl, Number(values['app-pool'])) : runtime.database;
  const deps = { config, database, jobs };
  const app = await buildApp(deps, false);
  try {
    // ——— Data ———
    const reused = (await q<{ id: string }>(`select id from organisations where slug = 'bench-dispatch'`))[0]?.id;
    const org = reused ?? (await createOrganisation(runtime.database, { slug: 'bench-dispatch', name: 'Bench dispatch' }));
    if (!reused) {
      const t0 = performance.now();
      log(`Generating ${households} households…`);
      await q(`select setseed(0.42)`);
      await q(
        `insert into agencies (organisation_id, code, name, duty_phone) select $1, 'A' || i, 'Agence ' || i, '+3314000000' || i from generate_series(1, 4) i`,
        [org],
      );
      const residences = Math.max(1, Math.ceil(households / 200));
      await q(
        `insert into residences (organisation_id, agency_id, erp_code, name, address, postal_code, city)
        select $1, (select id from agencies where organisation_id = $1 and code = 'A' || (1 + i % 4)), 'R' || i, 'Résidence ' || i,
          i || ' rue ' || (array['Jean Jaurès','Victor Hugo','de la République','Gabriel Péri','des Lilas','Pasteur'])[1 + i % 6],
          '94' || lpad((i % 1000)::text, 3, '0'), 'Ville ' || (i % 50)
        from generate_series(1, $2::int) i`,
        [org, residences],
      );
      const { femaleNamesList, lastNamesList, maleNamesList } = await import('../server/modules/demo/index.ts');
      // Units → households → persons (a holder, half of them an occupant too) → a mobile each, by chunks.
      const chunk = 10_000;
      for (let from = 1; from <= households; from += chunk) {
        const to = Math.min(households, from + chunk - 1);
        await q(
          `with u as (
            insert into housing_units (organisation_id, residence_id, erp_ref)
            select $1, r.id, 'L' || i from generate_series($2::int, $3::int) i join residences r on r.organisation_id = $1 and r.erp_code = 'R' || (1 + i % $4::int)
            returning id, erp_ref),
          h as (insert into households (organisation_id, unit_id, erp_ref) select $1, u.id, 'M' || substr(u.erp_ref, 2) from u returning id),
          p as (
            insert into persons (organisation_id, household_id, person_key, first_name, last_name, birth_date, household_role)
            select $1, h.id, 'K' || h.id || k, (case when random() < 0.5 then $6::text[] else $7::text[] end)[1 + floor(random() * 24)::int],
              ($5::text[])[1 + floor(power(random(), 2) * array_length($5::text[], 1))::int],
              date '1930-01-01' + (random() * 28000)::int, case when k = 1 then 'holder' else 'occupant' end
            from h cross join generate_series(1, 2) k where k = 1 or random() < 0.5
            returning id)
          insert into contact_points (organisation_id, person_id, kind, value, source)
          select $1, p.id, 'mobile', '+336' || lpad((floor(random() * 100000000))::text, 8, '0'), 'demo' from p`,
          [org, from, to, residences, lastNamesList, femaleNamesList, maleNamesList],
        );
        bar('Households', to, households);
      }
      log('Indicators, objections, summaries, users…');
      await q(
        `insert into vulnerability_indicators (organisation_id, household_id, kind, source)
        select $1, h.id, k.kind, 'demo' from households h
        join (values ('lives_alone', 0.3), ('reduced_mobility', 0.1), ('financial_fragility', 0.12), ('disability', 0.05), ('single_parent', 0.06), ('needs_interpreter', 0.02)) k(kind, share)
          on random() < k.share
        where h.organisation_id = $1`,
        [org],
      );
      await q(
        `insert into objections (organisation_id, household_id, kind) select $1, id, 'no_call' from households where organisation_id = $1 and random() < 0.005`,
        [org],
      );
      await q(`select lien_refresh_household_summary(array(select id from households where organisation_id = $1))`, [org]);
      log(`Generated in ${seconds1(t0)} s`);
    }
    // Callers (staff: no charter needed) and one manager, all sharing one argon2 hash and one
    // TOTP secret (every account has a second factor; each user's last used step is its own).
    const hash = await hashPassword(PASSWORD);
    const totpSecret = newTotpSecret();
    await q(
      `insert into users (organisation_id, email, first_name, last_name, role, status, password_hash, totp_secret, totp_enabled)
      select $1::uuid, 'dispatch-caller-' || lpad(i::text, 5, '0') || '@bench.lien.fr', 'Appelant', 'Bench ' || i, 'staff', 'active', $3, $4, true from generate_series(1, $2::int) i
      union all select $1::uuid, 'dispatch-manager@bench.lien.fr', 'Responsable', 'Bench', 'manager', 'active', $3, $4, true
      on conflict (organisation_id, email) do update set totp_secret = excluded.totp_secret, totp_enabled = true, totp_last_step = null`,
      [org, callers, hash, totpSecret],
    );
    const callerUsers = await q<{ id: string; email: string }>(
      `select id, email from users where organisation_id = $1 and email like 'dispatch-caller-%' order by email limit $2`,
      [org, callers],
    );
    await q('vacuum analyze');

    // ——— Server ———
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const http = async (method: string, url: string, cookie: string | null, body?: unknown) => {
      const res = await fetch(baseUrl + url, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(cookie ? { cookie } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text}`);
      return { json: text ? JSON.parse(text) : null, cookie: res.headers.getSetCookie()[0]?.split(';')[0] ?? null };
    };

    // Sessions: every caller signs in through the real endpoint, as the page does. The sign-in
    // throttle (server/platform/auth/throttle.ts) counts failures only, so 500 successful
    // sign-ins from one address are not throttled and need no forged x-forwarded-for; the cost
    // is argon2 (one verification each), paid before the runs.
    const t0 = performance.now();
    const signIn = async (email: string) => {
      const r = await http('POST', '/api/auth/sign-in', null, { email, password: PASSWORD });
      if (r.json.stage !== 'second_factor' || !r.cookie) throw new Error(`sign-in of ${email}: ${JSON.stringify(r.json)}`);
      const second = await http('POST', '/api/auth/second-factor', r.cookie, { code: currentTotp(totpSecret) });
      if (second.json.stage !== 'active' || !second.cookie) throw new Error(`second factor of ${email}: ${JSON.stringify(second.json)}`);
      return second.cookie;
    };
    const cookies: string[] = new Array(callerUsers.length);
    let signedIn = 0;
    await Promise.all(
      Array.from({ length: 4 }, async (_, w) => {
        for (let i = w; i < callerUsers.length; i += 4) {
          cookies[i] = await signIn((callerUsers[i] as { email: string }).email);
          bar('Sign-ins', ++signedIn, callerUsers.length);
        }
      }),
    );
    const manager = await signIn('dispatch-manager@bench.lien.fr');
    const signInSeconds = seconds1(t0);

    // ——— Campaigns, through the API ———
    const script = (await http('GET', '/api/campaigns/script-template', manager)).json;
    const campaignBody = (name: string) => ({
      name,
      segment: { status: 'active' },
      script,
      callWindows: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' },
      // Bench callers are machines, each one claiming far more than a person would in an hour: the
      // highest claims ceiling (they record an outcome for every claim, so hand-backs stay at 0).
      callerLimits: { releasesPerHour: 5, claimsPerHour: 10_000 },
      callerIds: callerUsers.map((u) => u.id),
    });
    const launch = async (name: string) => {
      const id = (await http('POST', '/api/campaigns', manager, campaignBody(name))).json.id as string;
      log(`Launching « ${name} »…`);
      const t = performance.now();
      const result = (await http('POST', `/api/campaigns/${id}/launch`, manager)).json as { targets: number; excludedNoCall: number };
      const launched = { id, seconds: seconds1(t), ...result };
      if (values.analyze) await q('analyze campaign_targets');
      return launched;
    };
    const campaign = await launch(`Veille canicule ${new Date().toISOString()}`);
    log(`Launched: ${campaign.targets} targets in ${campaign.seconds} s`);

    // ——— Profile: one caller, sequential, statements per request ———
    const probe = { nextStatements: 0, outcomeStatements: 0, nextSqlMs: 0, outcomeSqlMs: 0, nextMs: 0, outcomeMs: 0, sessionOnlyStatements: 0 };
    const probeRounds = 50;
    let probeAcknowledged = 0;
    const probeCookie = cookies[0] as string;
    const snap = () => ({ ...stats, at: performance.now() });
    for (let i = 0; i < probeRounds + 5; i++) {
      if (i === 5) stats.byKind.clear();
      const a = snap();
      const next = (await http('POST', '/api/calls/next', probeCookie, { campaignId: campaign.id })).json.call as { targetId: string };
      const b = snap();
      await http('POST', `/api/calls/${next.targetId}/outcome`, probeCookie, { outcome: pickOutcome(mix), answers: {} });
      probeAcknowledged++;
      const c = snap();
      if (i < 5) continue; // warm-up
      probe.nextStatements += b.statements - a.statements;
      probe.nextSqlMs += b.sqlMs - a.sqlMs;
      probe.nextMs += b.at - a.at;
      probe.outcomeStatements += c.statements - b.statements;
      probe.outcomeSqlMs += c.sqlMs - b.sqlMs;
      probe.outcomeMs += c.at - b.at;
    }
    const topKinds = (claims: number, n: number) =>
      [...stats.byKind.entries()]
        .sort((a, b) => b[1].ms - a[1].ms)
        .slice(0, n)
        .map(([text, k]) => ({ sql: text, perClaim: Number((k.count / Math.max(1, claims)).toFixed(2)), avgMs: Number((k.ms / k.count).toFixed(2)) }));
    const probeKinds = topKinds(probeRounds, 6);
    const me0 = snap();
    await http('GET', '/api/auth/me', probeCookie);
    probe.sessionOnlyStatements = snap().statements - me0.statements; // session resolution + a small read
    const per = (x: number) => Number((x / probeRounds).toFixed(2));
    const profile = {
      statementsPerNext: per(probe.nextStatements),
      statementsPerOutcome: per(probe.outcomeStatements),
      statementsOfAuthMe: probe.sessionOnlyStatements,
      sequentialNextMs: per(probe.nextMs),
      sequentialNextSqlMs: per(probe.nextSqlMs),
      sequentialOutcomeMs: per(probe.outcomeMs),
      sequentialOutcomeSqlMs: per(probe.outcomeSqlMs),
      slowestStatements: probeKinds,
    };
    log(`Profile: ${JSON.stringify({ ...profile, slowestStatements: undefined })}`);

    // ——— Resource sampling around a phase ———
    const postgresPid = postmasterPid(path.join(config.LIEN_DATA_DIR, 'pg'));
    // postmaster (with its reaped children) + live backends, in clock ticks (100 Hz).
    const ticks = () => treeCpuSeconds(postgresPid, true) * 100;
    const xacts = async () =>
      Number((await q<{ n: number }>(`select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()`))[0]?.n);
    /** Checkpoints and autovacuum/autoanalyze runs so far: what PostgreSQL did besides serving requests during a phase. */
    const background = async () => {
      const [row] = await q<{ checkpoints: number; autovacuums: number }>(
        `select (select num_timed + num_requested from pg_stat_checkpointer)::int as checkpoints,
          (select coalesce(sum(autovacuum_count + autoanalyze_count), 0) from pg_stat_all_tables)::int as autovacuums`,
      );
      return { checkpoints: row?.checkpoints ?? 0, autovacuums: row?.autovacuums ?? 0 };
    };
    /**
     * Where a stall comes from, measured in the server's thread and in PostgreSQL during a phase:
     * the event loop's delay (a blocked loop delays every request), garbage-collection pauses, and
     * PostgreSQL's backends of the application waiting on a lock (sampled every 100 ms).
     */
    const stallProbe = () => {
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      const gc = { count: 0, totalMs: 0, maxMs: 0, major: { count: 0, totalMs: 0, maxMs: 0 } };
      /** What each 100 ms sample saw, and every GC pause, at wall-clock instants: read against the slow « next » of the same second. */
      const timeline: TimelineSample[] = [];
      const gcPauses: { at: number; ms: number }[] = [];
      const gcObserver = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          gcPauses.push({ at: performance.timeOrigin + e.startTime, ms: e.duration });
          gc.count++;
          gc.totalMs += e.duration;
          gc.maxMs = Math.max(gc.maxMs, e.duration);
          // Mark-sweep-compact (the old generation), as opposed to scavenges of the young one.
          if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
            gc.major.count++;
            gc.major.totalMs += e.duration;
            gc.major.maxMs = Math.max(gc.major.maxMs, e.duration);
          }
        }
      });
      const lockWaits = { samples: 0, withLockWait: 0, maxWaiting: 0 };
      /** Application backends seen per wait (« Lock:advisory », « IO:WalSync », « cpu » when running, …), over all samples. */
      const waits = new Map<string, number>();
      let pgSampler: NodeJS.Timeout | undefined;
      return {
        start() {
          loopDelay.enable();
          gcObserver.observe({ entryTypes: ['gc'] });
          pgSampler = setInterval(() => {
            const at = Date.now();
            const poolWaiting = database.pool.waitingCount;
            const poolTotal = database.pool.totalCount;
            void statsPool
              .query<{ wait: string; n: number }>(
                `select coalesce(wait_event_type || ':' || wait_event, 'cpu') as wait, count(*)::int as n
                 from pg_stat_activity where usename = '${APP_ROLE}' and state = 'active' group by 1
                 union all select '(idle in transaction)', count(*)::int from pg_stat_activity where usename = '${APP_ROLE}' and state = 'idle in transaction'
                 union all select '(autovacuum)', count(*)::int from pg_stat_activity where backend_type = 'autovacuum worker'`,
              )
              .then(
                ({ rows: all }) => {
                  const other = (name: string) => all.find((r) => r.wait === name)?.n ?? 0;
                  const rows = all.filter((r) => !r.wait.startsWith('('));
                  lockWaits.samples++;
                  const locked = rows.filter((r) => r.wait.startsWith('Lock:')).reduce((sum, r) => sum + r.n, 0);
                  if (locked) lockWaits.withLockWait++;
                  lockWaits.maxWaiting = Math.max(lockWaits.maxWaiting, locked);
                  for (const r of rows) waits.set(r.wait, (waits.get(r.wait) ?? 0) + r.n);
                  const n = (test: (wait: string) => boolean) => rows.filter((r) => test(r.wait)).reduce((sum, r) => sum + r.n, 0);
                  timeline.push({
                    at,
                    poolWaiting,
                    poolTotal,
                    walWaiting: n((w) => w === 'IO:WalSync' || w.startsWith('LWLock:WAL') || w === 'IO:WalWrite'),
                    lockWaiting: locked,
                    running: n((w) => w === 'cpu'),
                    active: n(() => true),
                    idleInTransaction: other('(idle in transaction)'),
                    autovacuumWorkers: other('(autovacuum)'),
                  });
                },
                () => {},
              );
          }, 100);
        },
        stop() {
          loopDelay.disable();
          gcObserver.disconnect();
          clearInterval(pgSampler);
          const ms = (ns: number) => Number((ns / 1e6).toFixed(1));
          return {
            eventLoopDelayMs: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
            gc: {
              count: gc.count,
              totalMs: Math.round(gc.totalMs),
              maxMs: Number(gc.maxMs.toFixed(1)),
              major: { count: gc.major.count, totalMs: Math.round(gc.major.totalMs), maxMs: Number(gc.major.maxMs.toFixed(1)) },
            },
            heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1e6),
            postgresLockWaits: lockWaits,
            postgresWaits: Object.fromEntries([...waits.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8)),
          };
        },
        timeline: () => ({ samples: timeline, gcPauses }),
      };
    };
    /** Diagnosis: LIEN_BENCH_CPU_PROFILE=<dir> writes a CPU profile of the server's thread for each measured phase. */
    const profileDir = process.env.LIEN_BENCH_CPU_PROFILE;
    const inspector = profileDir ? new (await import('node:inspector/promises')).Session() : null;
    if (inspector) {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.setSamplingInterval', { interval: 500 });
    }
    // PostgreSQL's own time per statement (calls, execution and planning), when the cluster loads
    // pg_stat_statements: a kept cluster (`--keep DIR`) after
    // `echo "shared_preload_libraries = 'pg_stat_statements'" >> DIR/data/pg/postgresql.auto.conf`
    // (and `pg_stat_statements.track_planning = on` for planning). Reset at each phase's start; less
    // sensitive to the machine's load than round-trip times, since it counts the backend's time only.
    const statementStats = (await statsPool.query(`select current_setting('shared_preload_libraries') as l`)).rows[0]?.l?.includes('pg_stat_statements')
      ? await statsPool.query('create extension if not exists pg_stat_statements').then(() => true)
      : false;
    const resetStatementStats = () => (statementStats ? statsPool.query('select pg_stat_statements_reset()').then(() => {}) : Promise.resolve());
    const readStatementStats = async () => {
      if (!statementStats) return undefined;
      const rows = (
        await statsPool.query(
          `select left(regexp_replace(query, '\\s+', ' ', 'g'), 70) as sql, calls::int, plans::int, round(total_exec_time::numeric, 1)::float as "totalMs",
            round(mean_exec_time::numeric, 3)::float as "meanMs", round(mean_plan_time::numeric, 3)::float as "meanPlanMs"
          from pg_stat_statements where userid = (select oid from pg_roles where rolname = $1) order by total_exec_time desc limit 14`,
          [APP_ROLE],
        )
      ).rows as { sql: string; calls: number; plans: number; totalMs: number; meanMs: number; meanPlanMs: number }[];
      return rows;
    };
    let phase = 0;
    /** Resources used from `begin()` (once the callers are connected) to the end of `fn`. */
    const measure = async <T>(fn: (begin: () => void) => Promise<T>) => {
      const pool = database.pool;
      const waiting: number[] = [];
      const stalls = stallProbe();
      const phaseName = `phase-${++phase}`;
      let sampler: NodeJS.Timeout | undefined;
      let [cpu0, elu0, pg0, x0, s0, t] = [threadCpuUsage(), performance.eventLoopUtilization(), ticks(), await xacts(), stats.statements, performance.now()];
      let bg0 = await background();
      const begin = () => {
        void background().then((b) => {
          bg0 = b;
        });
        sampler = setInterval(() => waiting.push(pool.waitingCount), 100);
        stalls.start();
        if (inspector) void inspector.post('Profiler.start');
        stats.byKind.clear();
        void resetStatementStats();
        [cpu0, elu0, pg0, s0, t] = [threadCpuUsage(), performance.eventLoopUtilization(), ticks(), stats.statements, performance.now()];
        void xacts().then((x) => {
          x0 = x;
        });
      };
      const result = await fn(begin);
      clearInterval(sampler);
      const wall = (performance.now() - t) / 1000;
      const stallFigures = stalls.stop();
      if (inspector && profileDir) {
        const { profile } = await inspector.post('Profiler.stop');
        await writeFile(path.join(profileDir, `${phaseName}.cpuprofile`), JSON.stringify(profile));
      }
      const cpu = threadCpuUsage(cpu0);
      const statementTimes = await readStatementStats();
      const resources = {
        serverThreadCpuPct: Math.round(((cpu.user + cpu.system) / 1e6 / wall) * 100),
        serverEventLoopUtilisation: Number(performance.eventLoopUtilization(elu0).utilization.toFixed(2)),
        postgresCpuPct: Math.round(((ticks() - pg0) / 100 / wall) * 100),
        transactions: (await xacts()) - x0,
        statements: stats.statements - s0,
        poolWaitingAvg: Math.round(waiting.reduce((a, b) => a + b, 0) / Math.max(1, waiting.length)),
        poolWaitingMax: Math.max(0, ...waiting),
        ...(await background().then((b) => ({ checkpoints: b.checkpoints - bg0.checkpoints, autovacuumRuns: b.autovacuums - bg0.autovacuums }))),
        loadAverage1m: Number((os.loadavg()[0] as number).toFixed(1)),
        ...stallFigures,
        ...(statementTimes ? { pgStatStatements: statementTimes } : {}),
      };
      return { result, resources, timeline: stalls.timeline() };
    };
    const runLoad = (mode: LoadInput['mode'], secs: number, begin: () => void, target = { url: baseUrl, campaignId: campaign.id }) =>
      new Promise<LoadResult>((resolve, reject) => {
        const worker = new Worker(new URL(import.meta.url), {
          workerData: { mode, baseUrl: target.url, campaignId: target.campaignId, cookies, seconds: secs, periodMs: pacedPeriodMs, mix } satisfies LoadInput,
        });
        worker.on('message', (m: LoadResult | 'started') => {
          if (m === 'started') return begin();
          resolve(m);
          void worker.terminate();
        });
        worker.once('error', reject);
      });
    const summary = (r: LoadResult) => ({
      claims: r.claimsInWindow,
      nextP50Ms: pct(r.nextMs, 50),
      nextP99Ms: pct(r.nextMs, 99),
      outcomeP50Ms: pct(r.outcomeMs, 50),
      outcomeP99Ms: pct(r.outcomeMs, 99),
      noCallHandedOut: r.empty,
      slowNext: slowSeconds(r),
      statuses: r.statuses,
      loadGeneratorCpuPct: Math.round((r.cpuSeconds / r.elapsedSeconds) * 100),
    });
    /**
     * Database side, two ways: attempts of one household whose [claimed_at, recorded_at] overlap;
     * and, from the audit trail, a `call.claimed` of a household by a caller while another caller's
     * claim of it was not yet settled by an attempt (retries are hours away, so no claim of this
     * run may legitimately follow another's outcome within the run).
     */
    const dbDoubleAssignments = async (campaignId = campaign.id) => {
      const [row] = await q<{ attempts: number; trail: number }>(
        `with attempts as (select target_id, caller_id, claimed_at, recorded_at from call_attempts where campaign_id = $1),
        claims as (select e.object_id as target_id, e.actor_id, e.at from audit_events e
          where e.action = 'call.claimed' and e.object_id in (select id from campaign_targets where campaign_id = $1)),
        held as (select c.target_id, c.actor_id, c.at, min(a.recorded_at) as released from claims c
          left join attempts a on a.target_id = c.target_id and a.caller_id = c.actor_id and a.recorded_at >= c.at group by 1, 2, 3)
        select
          (select count(*)::int from attempts a join attempts b on b.target_id = a.target_id and (b.claimed_at, b.caller_id) > (a.claimed_at, a.caller_id)
            where tstzrange(a.claimed_at, a.recorded_at) && tstzrange(b.claimed_at, b.recorded_at)) as attempts,
          (select count(*)::int from held x join held y on y.target_id = x.target_id and y.actor_id <> x.actor_id and x.at <= y.at
            and y.at < coalesce(x.released, 'infinity')) as trail`,
        [campaignId],
      );
      return { callAttempts: row?.attempts ?? -1, auditTrail: row?.trail ?? -1 };
    };
    const attemptsRows = async (campaignId = campaign.id) =>
      Number((await q<{ n: number }>(`select count(*)::int as n from call_attempts where campaign_id = $1`, [campaignId]))[0]?.n);

    // ——— Saturated run ———
    log(`Saturated run: ${cookies.length} callers, no pause, ${seconds} s…`);
    // Diagnosis (`--warm-seconds N`): the pool opens its connections and each backend plans its
    // statements for the first time (cold catalog caches) before the measured window, not in it.
    let warmAcknowledged = 0;
    if (warmSeconds > 0) {
      log(`Warm-up: the same load for ${warmSeconds} s, not measured…`);
      const warm = await runLoad('saturated', warmSeconds, () => {});
      warmAcknowledged = warm.claims.filter((c) => c.acknowledged).length;
    }
    const saturated = await measure((begin) => runLoad('saturated', seconds, begin));
    // Where the database time of the API path goes: statement kinds by total round-trip time.
    const statementKinds = topKinds(saturated.result.claims.length, 15);
    const sat = saturated.result;
    const satClient = overlappingClaims(sat.claims);
    const satAcknowledged = probeAcknowledged + warmAcknowledged + sat.claims.filter((c) => c.acknowledged).length;
    const satRows = await attemptsRows();
    const satDb = await dbDoubleAssignments();
    const apiClaimsPerSecond = Math.round(sat.claimsInWindow / seconds);
    log(
      `  ${apiClaimsPerSecond} claims/s, next p50 ${pct(sat.nextMs, 50)} ms p99 ${pct(sat.nextMs, 99)} ms; double assignments ${satClient.overlaps} / ${satDb.callAttempts} / ${satDb.auditTrail}`,
    );

    // ——— Bare claim loop: same statements, direct connections as lien_app under RLS ———
    const bareCampaign = await launch(`Boucle nue ${new Date().toISOString()}`);
    log(`Bare claim loop: ${bareConnections} connections, ${seconds} s…`);
    // As the application role under RLS; the organisation is set once per connection (session
    // level), so each claim and each settle is one autocommit statement: the physical minimum.
    const barePool = new pg.Pool({ connectionString: runtime.appUrl, max: bareConnections });
    const bare = await measure(async (begin) => {
      begin();
      let claims = 0;
      let drained = false;
      const deadline = performance.now() + seconds * 1000;
      const t = performance.now();
      await Promise.all(
        Array.from({ length: bareConnections }, async (_, w) => {
          const client = await barePool.connect();
          try {
            await client.query(`select set_config('lien.org_id', $1, false)`, [org]);
            for (let i = 0; performance.now() < deadline && !drained; i++) {
              const userId = (callerUsers[(w + i * bareConnections) % callerUsers.length] as { id: string }).id;
              const now = new Date();
              const r = await client.query(
                `with pick as (select id from campaign_targets
                  where campaign_id = $1 and status = 'queued'
                  order by priority desc, last_contact_at asc nulls first, id limit 1 for update skip locked)
                update campaign_targets t set status = 'assigned', assigned_to = $3, assigned_at = $2,
                  claim_expires_at = $2::timestamptz + make_interval(mins => 15), updated_at = $2
                from pick where t.id = pick.id returning t.id`,
                [bareCampaign.id, now, userId],
              );
              const id = r.rows[0]?.id as string | undefined;
              if (!id) {
                drained = true;
                break;
              }
              claims++;
              const retry = ['no_answer', 'voicemail', 'busy'].includes(pickOutcome(mix));
              await client.query(
                retry
                  ? `update campaign_targets set status = 'waiting', next_attempt_at = now() + interval '3 hours', tried_slots = tried_slots || 'morning'::text,
                      attempts = attempts + 1, assigned_to = null, assigned_at = null, claim_expires_at = null, updated_at = now() where id = $1`
                  : `update campaign_targets set status = 'done', final_outcome = 'reached', attempts = attempts + 1, assigned_to = null, assigned_at = null,
                      claim_expires_at = null, updated_at = now() where id = $1`,
                [id],
              );
            }
          } finally {
            client.release();
          }
        }),
      );
      return { claims, seconds: (performance.now() - t) / 1000, drained };
    });
    await barePool.end();
    const bareClaimsPerSecond = Math.round(bare.result.claims / bare.result.seconds);
    log(`  ${bareClaimsPerSecond} claims/s${bare.result.drained ? ' (queue drained before the end)' : ''}`);

    // ——— Paced run ———
    log(`Paced run: ${cookies.length} callers, one « next » every ${pacedPeriodMs / 1000} s each, ${pacedSeconds} s…`);
    // Meanwhile a manager keeps the dashboard and the follow-ups open (TRUST LD-03: list refresh p95 < 500 ms).
    const refresh = { dashboard: [] as number[], followups: [] as number[] };
    // Like the page (TanStack Query's refetchInterval), a list is not asked again while its previous
    // answer is still on its way: a slow answer delays the next refresh instead of piling them up.
    const inFlight = new Set<number[]>();
    const timed = async (into: number[], fn: () => Promise<unknown>) => {
      if (inFlight.has(into)) return;
      inFlight.add(into);
      const t = performance.now();
      try {
        await fn();
        into.push(performance.now() - t);
      } finally {
        inFlight.delete(into);
      }
    };
    const refreshSeconds = Number(values.refresh);
    const refresher = refreshSeconds
      ? setInterval(() => {
          void timed(refresh.dashboard, () => http('GET', `/api/campaigns/${campaign.id}/dashboard`, manager)).catch(() => {});
          void timed(refresh.followups, () => http('POST', '/api/followups/list', manager, { campaignId: campaign.id })).catch(() => {});
        }, refreshSeconds * 1000)
      : undefined;
    const paced = await measure((begin) => runLoad('paced', pacedSeconds, begin));
    clearInterval(refresher);
    log(`  manager's refresh p95: dashboard ${pct(refresh.dashboard, 95)} ms, follow-ups ${pct(refresh.followups, 95)} ms`);
    const pacedClient = overlappingClaims([...sat.claims, ...paced.result.claims]);
    const acknowledged = satAcknowledged + paced.result.claims.filter((c) => c.acknowledged).length;
    const rows = await attemptsRows();
    const dbOverlaps = await dbDoubleAssignments();
    log(`  next p50 ${pct(paced.result.nextMs, 50)} ms p99 ${pct(paced.result.nextMs, 99)} ms`);
    log(`  stalls: ${JSON.stringify(stallSeconds(paced.result, paced.timeline))}`);

    // ——— Balanced: two server processes behind nginx, one PostgreSQL ———
    /**
     * The saturated and paced runs again on a fresh campaign, the callers going through nginx
     * (round robin, keep-alive upstream) to two server processes started here. No process knows
     * what the other handed out: the same checks must find no household held by two callers.
     */
    async function balancedRun() {
      const nginx = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'].find((f) => existsSync(f));
      if (!nginx) {
        const message =
          'nginx est introuvable : la mesure à deux processus derrière nginx est sautée. Installez-le avec « apt-get install nginx-light » (Debian) puis relancez. / ' +
          'nginx not found: the two-process run behind nginx is skipped. Install it with `apt-get install nginx-light` (Debian) and run again.';
        log(message);
        return { skipped: message };
      }
      // `nginx -v` prints on stderr.
      const version =
        spawnSync(nginx, ['-v'], { encoding: 'utf8' })
          .stderr.trim()
          .replace(/^nginx version: /, '') || 'nginx';
      const prefix = path.join(dir, 'nginx');
      await mkdir(path.join(prefix, 'logs'), { recursive: true });
      const { freePort } = await import('../e2e/machine.ts');
      const children: ChildProcess[] = [];
      let balancer: ChildProcess | null = null;
      try {
        // Two server processes, each its own pool of the default size, on the one PostgreSQL.
        const ports = [await freePort(), await freePort()];
        for (const port of ports) {
          const child = fork(path.join(import.meta.dirname, 'dispatch-server.ts'), [], {
            env: {
              ...process.env,
              LIEN_BENCH_OWNER_URL: runtime.ownerUrl,
              LIEN_BENCH_APP_URL: runtime.appUrl,
              LIEN_DATA_DIR: config.LIEN_DATA_DIR,
              PORT: String(port),
            },
            stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
          });
          children.push(child);
          await new Promise<void>((resolve, reject) => {
            child.once('message', () => resolve());
            child.once('exit', (code) => reject(new Error(`bench server on port ${port} exited (${code})`)));
          });
        }
        const listen = await freePort();
        // `daemon off`, pid and logs in the temporary folder: nothing outside it, no service.
        await writeFile(
          path.join(prefix, 'nginx.conf'),
          `daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  upstream lien { ${ports.map((p) => `server 127.0.0.1:${p};`).join(' ')} keepalive 256; }
  server {
    listen 127.0.0.1:${listen};
    location / {
      proxy_pass http://lien;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }
  }
}
`,
        );
        balancer = spawn(nginx, ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-e', path.join(prefix, 'logs', 'error.log')], {
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        const url = `http://127.0.0.1:${listen}`;
        for (let i = 0; ; i++) {
          const up = await fetch(`${url}/healthz`).then(
            (r) => r.ok,
            () => false,
          );
          if (up) break;
          if (i > 100 || balancer.exitCode !== null) throw new Error(`nginx did not start (see ${prefix}/logs/error.log)`);
          await new Promise((r) => setTimeout(r, 100));
        }
        log(`Balanced: ${version}, two server processes (ports ${ports.join(', ')}) behind 127.0.0.1:${listen}`);
        const c = await launch(`Veille à deux processus ${new Date().toISOString()}`);
        const target = { url, campaignId: c.id };
        const ask = (child: ChildProcess) =>
          new Promise<{ statements: number; cpuSeconds: number; poolWaiting: number }>((resolve) => {
            child.once('message', (m) => resolve(m as { statements: number; cpuSeconds: number; poolWaiting: number }));
            child.send('stats');
          });
        const nginxTicks = () => (balancer?.pid ? treeCpuSeconds(balancer.pid) * 100 : 0);
        /** Resources of the two processes, nginx and PostgreSQL from `begin()` to the end of `fn`. */
        const measureBalanced = async <T>(fn: (begin: () => void) => Promise<T>) => {
          let before = await Promise.all(children.map(ask));
          let [pg0, ng0, x0, t] = [ticks(), nginxTicks(), await xacts(), performance.now()];
          const begin = () => {
            void Promise.all(children.map(ask)).then((b) => {
              before = b;
            });
            [pg0, ng0, t] = [ticks(), nginxTicks(), performance.now()];
            void xacts().then((x) => {
              x0 = x;
            });
          };
          const result = await fn(begin);
          const wall = (performance.now() - t) / 1000;
          const after = await Promise.all(children.map(ask));
          return {
            result,
            resources: {
              serverProcessesCpuPct: after.map((a, i) => Math.round(((a.cpuSeconds - (before[i]?.cpuSeconds ?? 0)) / wall) * 100)),
              nginxCpuPct: Math.round(((nginxTicks() - ng0) / 100 / wall) * 100),
              postgresCpuPct: Math.round(((ticks() - pg0) / 100 / wall) * 100),
              transactions: (await xacts()) - x0,
              statements: after.reduce((sum, a, i) => sum + a.statements - (before[i]?.statements ?? 0), 0),
              loadAverage1m: Number((os.loadavg()[0] as number).toFixed(1)),
            },
          };
        };

        log(`Balanced saturated run: ${cookies.length} callers through nginx, ${seconds} s…`);
        const bSat = await measureBalanced((begin) => runLoad('saturated', seconds, begin, target));
        const bSatClient = overlappingClaims(bSat.result.claims);
        const bSatAcknowledged = bSat.result.claims.filter((x) => x.acknowledged).length;
        const bSatRows = await attemptsRows(c.id);
        const bSatDb = await dbDoubleAssignments(c.id);
        const bClaimsPerSecond = Math.round(bSat.result.claimsInWindow / seconds);
        log(
          `  ${bClaimsPerSecond} claims/s, next p50 ${pct(bSat.result.nextMs, 50)} ms p99 ${pct(bSat.result.nextMs, 99)} ms; double assignments ${bSatClient.overlaps} / ${bSatDb.callAttempts} / ${bSatDb.auditTrail}`,
        );
        log(`Balanced paced run: one « next » every ${pacedPeriodMs / 1000} s each, ${pacedSeconds} s…`);
        const bPaced = await measureBalanced((begin) => runLoad('paced', pacedSeconds, begin, target));
        const bClient = overlappingClaims([...bSat.result.claims, ...bPaced.result.claims]);
        const bAcknowledged = bSatAcknowledged + bPaced.result.claims.filter((x) => x.acknowledged).length;
        const bRows = await attemptsRows(c.id);
        const bDb = await dbDoubleAssignments(c.id);
        log(`  next p50 ${pct(bPaced.result.nextMs, 50)} ms p99 ${pct(bPaced.result.nextMs, 99)} ms`);
        return {
          servers: 2,
          balancer: version,
          launch: { targets: c.targets, seconds: c.seconds },
          saturated: {
            seconds,
            claimsPerSecond: bClaimsPerSecond,
            ...summary(bSat.result),
            resources: bSat.resources,
            statementsPerClaim: Number((bSat.resources.statements / Math.max(1, bSat.result.claims.length)).toFixed(1)),
            transactionsPerClaim: Number((bSat.resources.transactions / Math.max(1, bSat.result.claims.length)).toFixed(1)),
            doubleAssignments: { client: bSatClient.overlaps, ...bSatDb, householdsHandedTwice: bSatClient.handedTwice },
            reconciliation: { acknowledged: bSatAcknowledged, callAttemptsRows: bSatRows, match: bSatAcknowledged === bSatRows },
          },
          paced: {
            seconds: pacedSeconds,
            periodSeconds: pacedPeriodMs / 1000,
            ...summary(bPaced.result),
            resources: bPaced.resources,
            targetNextP99Ms: 50,
            targetMet: (pct(bPaced.result.nextMs, 99) ?? Infinity) < 50,
          },
          total: {
            doubleAssignments: { client: bClient.overlaps, ...bDb },
            reconciliation: { acknowledged: bAcknowledged, callAttemptsRows: bRows, match: bAcknowledged === bRows },
          },
          failed: Boolean(bClient.overlaps || bDb.callAttempts || bDb.auditTrail || bAcknowledged !== bRows),
        };
      } finally {
        if (balancer && balancer.exitCode === null) {
          const exited = new Promise((r) => balancer?.once('exit', r));
          balancer.kill('SIGQUIT');
          await exited;
        }
        await Promise.all(
          children.map(async (child) => {
            if (child.exitCode !== null) return;
            const exited = new Promise((r) => child.once('exit', r));
            child.send('stop');
            await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
            if (child.exitCode === null) child.kill('SIGKILL');
          }),
        );
      }
    }
    const balanced = Number(values.servers) >= 2 ? await balancedRun() : { skipped: 'option --servers 1' };

    const targetClaimsPerSecond = 250;
    console.log(
      JSON.stringify({
        benchmark: 'campaign-dispatch',
        households,
        callers: cookies.length,
        ...(mix === 'reached' || values.analyze || values['app-pool'] || values.refresh !== '2'
          ? { diagnosis: { mix, analyzeAfterLaunch: values.analyze, managerRefreshSeconds: Number(values.refresh) } }
          : {}),
        cores: os.availableParallelism(),
        appPoolConnections: database.pool.options.max,
        signInSeconds,
        launch: { targets: campaign.targets, excludedNoCall: campaign.excludedNoCall, seconds: campaign.seconds, secondLaunchSeconds: bareCampaign.seconds },
        profile,
        saturated: {
          seconds,
          ...(warmSeconds > 0 ? { warmSeconds } : {}),
          claimsPerSecond: apiClaimsPerSecond,
          ...summary(sat),
          resources: saturated.resources,
          statementsPerClaim: Number((saturated.resources.statements / Math.max(1, sat.claims.length)).toFixed(1)),
          transactionsPerClaim: Number((saturated.resources.transactions / Math.max(1, sat.claims.length)).toFixed(1)),
          doubleAssignments: { client: satClient.overlaps, ...satDb, householdsHandedTwice: satClient.handedTwice },
          reconciliation: { acknowledged: satAcknowledged, callAttemptsRows: satRows, match: satAcknowledged === satRows },
          statementKinds,
        },
        bare: {
          connections: bareConnections,
          claimsPerSecond: bareClaimsPerSecond,
          drained: bare.result.drained,
          resources: bare.resources,
        },
        apiToBareRatio: Number((apiClaimsPerSecond / Math.max(1, bareClaimsPerSecond)).toFixed(2)),
        aimApiToBareRatio: 0.33,
        targetClaimsPerSecond,
        targetMet: apiClaimsPerSecond >= targetClaimsPerSecond,
        paced: {
          seconds: pacedSeconds,
          periodSeconds: pacedPeriodMs / 1000,
          ...summary(paced.result),
          stallSeconds: stallSeconds(paced.result, paced.timeline),
          resources: paced.resources,
          targetNextP99Ms: 50,
          targetMet: (pct(paced.result.nextMs, 99) ?? Infinity) < 50,
          managerRefresh: {
            dashboardP95Ms: pct(refresh.dashboard, 95),
            followupsP95Ms: pct(refresh.followups, 95),
            samples: refresh.dashboard.length,
            targetP95Ms: 500,
          },
        },
        total: {
          doubleAssignments: { client: pacedClient.overlaps, ...dbOverlaps },
          reconciliation: { acknowledged, callAttemptsRows: rows, match: acknowledged === rows },
        },
        balanced,
      }),
    );
    // Speed is reported, never enforced; a household given to two callers or a lost outcome is a bug.
    const balancedFailed = 'failed' in balanced && balanced.failed;
    if (pacedClient.overlaps || dbOverlaps.callAttempts || dbOverlaps.auditTrail || acknowledged !== rows || balancedFailed) {
      log('FAILED: double assignment or outcomes not reconciled (see JSON).');
      process.exitCode = 1;
    }
  } finally {
    await app.close();
    if (database !== runtime.database) await database.close();
    await owner.end();
    await statsPool.end();
    await jobs.stop();
    await runtime.shutdown();
    if (!values.keep) await rm(dir, { recursive: true, force: true });
  }
}
