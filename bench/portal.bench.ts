// Benchmark (issue 16): 1,000 tenants of one landlord use the portal at once, through the real
// HTTP server on an embedded PostgreSQL. Each tenant has a household (one person, one mobile) with
// three requests, one of them with two exchanges. Each tenant comes from its own address behind a
// trusted proxy, so the per-address limits apply as in production. Two modes, both run:
//  - burst: five waves, each fired all at once (1,000 concurrent requests, one per tenant): ask
//    for a code, verify it (the code read from the outbox's sealed text, as the phone would
//    receive it), list the household's requests, open one request with its exchanges, list the
//    household's documents (one published attestation each);
//    `--spread S`: each wave's requests start evenly over S seconds instead of at one instant;
//  - sessions: the 1,000 tenants' sessions all open at once, each tenant going through its flow
//    (ask a code → verify → list requests → open a request → list documents → sign out once every
//    tenant is in)
//    with a human pause between steps (`--pause 2-8` seconds, seeded random), all tenants starting
//    within `--session-start 60` seconds; p50 / p95 / max per step and the peak number of sessions
//    open at once (seen by the client, and counted in `tenant_sessions` every second).
// The server runs on this thread; the tenants' browsers run in a worker thread with their own
// event loop (as in `dispatch.bench.ts`). Per wave: CPU of the server thread, the load generator
// and PostgreSQL; statements the application role sent and transactions PostgreSQL committed,
// per request. The outbox's workers are not started: the codes' SMS are queued (message and job
// rows, as in production) but not sent, so sending costs nothing here. Prints one JSON line;
// progress on stderr. `--mode burst|sessions|both`.
// Bar (issue 16): p95 under 300 ms on the 2-core machine.
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pg from 'pg';
import { messageKey, openSealed, sealContext } from '../server/platform/outbox/sealing.ts';
import { postmasterPid, treeCpuSeconds } from './process-cpu.ts';

// ——— Shared ———

type Stats = { p50: number; p95: number; max: number; errors: number };
type GeneratorInput = {
  baseUrl: string;
  ownerUrl: string;
  keyConfig: { LIEN_SECRET_KEY?: string | undefined; LIEN_DATA_DIR: string };
  orgId: string;
  slug: string;
  mobiles: string[];
};
type Command =
  | { kind: 'wave'; wave: 'code' | 'verify' | 'list' | 'request' | 'documents'; spreadSeconds: number }
  | { kind: 'sessions'; startSeconds: number; pauseMin: number; pauseMax: number; seed: number };
type WaveResult = { stats: Stats; seconds: number; cpuSeconds: number; firstError?: string };
type SessionsResult = {
  steps: Record<string, Stats>;
  peakOpen: number;
  slowSeconds: { count: number; worst: { second: number; requests: number }[] };
  seconds: number;
  cpuSeconds: number;
  phoneStatements: number;
  firstError?: string;
};

const quantile = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0;
function statsOf(ms: number[], errors: number): Stats {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: Math.round(quantile(s, 0.5)), p95: Math.round(quantile(s, 0.95)), max: Math.round(s.at(-1) ?? 0), errors };
}

/** CPU of this thread (Node ≥ 23.9), in seconds. */
const threadCpuSeconds = () => {
  const own = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
  const u = own ? own.call(process) : process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

// ——— Load generator (worker thread): the tenants' phones and browsers ———

async function loadGenerator(input: GeneratorInput) {
  const n = input.mobiles.length;
  const address = (i: number) => `10.${Math.floor(i / 250) % 250}.${i % 250}.7`;
  const call = (url: string, i: number, init: { body?: unknown; cookie?: string | undefined; method?: string } = {}) =>
    fetch(`${input.baseUrl}${url}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        'x-forwarded-for': address(i),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.cookie ? { cookie: init.cookie } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  // The phone: reads the SMS the outbox sealed (one statement of its own, not the application's).
  const phone = new pg.Pool({ connectionString: input.ownerUrl, max: 4 });
  let phoneStatements = 0;
  const key = messageKey(input.keyConfig as never);
  const codesOf = async (challenges: (string | undefined)[]) => {
    phoneStatements++;
    const keys = challenges.filter(Boolean).map((c) => `portal-code:${c}`);
    const rows = (
      await phone.query(
        `select organisation_id, recipient, idempotency_key, sealed_body from messages where organisation_id = $1 and purpose = 'portal_code' and idempotency_key = any($2)`,
        [input.orgId, keys],
      )
    ).rows;
    const byKey = new Map(rows.map((m) => [m.idempotency_key as string, m]));
    return challenges.map((c) => {
      const m = c ? byKey.get(`portal-code:${c}`) : undefined;
      return m ? (/code de connexion : (\d{6})/.exec(openSealed(key, { body: m.sealed_body, context: sealContext(m) }))?.[1] ?? '') : '';
    });
  };

  // One tenant's steps; each answers ok and what the next step needs.
  const steps = {
    code: async (i: number) => {
      const res = await call(`/api/portal/landlords/${input.slug}/code`, i, { body: { contact: input.mobiles[i] } });
      const json = (await res.json()) as { challenge?: string; detail?: string };
      return { ok: res.ok, value: json.challenge, error: res.ok ? undefined : `${res.status} ${json.detail}` };
    },
    verify: async (i: number, challenge: string | undefined, code: string) => {
      const res = await call(`/api/portal/landlords/${input.slug}/verify`, i, { body: { challenge, code } });
      await res.arrayBuffer();
      return { ok: res.ok, value: res.ok ? (res.headers.get('set-cookie') ?? '').split(';')[0] : undefined, error: res.ok ? undefined : String(res.status) };
    },
    list: async (i: number, cookie: string | undefined) => {
      const res = await call('/api/portal/requests', i, { cookie });
      const rows = res.ok ? ((await res.json()) as { id: string; category: string }[]) : [];
      return { ok: res.ok && rows.length === 3, value: rows.find((r) => r.category === 'technical')?.id, error: `list ${res.status}` };
    },
    request: async (i: number, cookie: string | undefined, id: string | undefined) => {
      const res = await call(`/api/portal/requests/${id}`, i, { cookie });
      const ok = res.ok && ((await res.json()) as { exchanges: unknown[] }).exchanges.length === 2;
      return { ok, value: undefined, error: `request ${res.status}` };
    },
    documents: async (i: number, cookie: string | undefined) => {
      const res = await call('/api/portal/documents', i, { cookie });
      const ok = res.ok && ((await res.json()) as { documents: unknown[] }).documents.length === 1;
      return { ok, value: undefined, error: `documents ${res.status}` };
    },
    signOut: async (i: number, cookie: string | undefined) => {
      const res = await call('/api/portal/sign-out', i, { cookie, method: 'POST', body: {} });
      await res.arrayBuffer();
      return { ok: res.ok, value: undefined, error: `sign-out ${res.status}` };
    },
  };

  // State carried from one burst wave to the next.
  let challenges: (string | undefined)[] = [];
  let cookies: (string | undefined)[] = [];
  let requestIds: (string | undefined)[] = [];

  async function wave(command: Extract<Command, { kind: 'wave' }>): Promise<WaveResult> {
    const codes = command.wave === 'verify' ? await codesOf(challenges) : [];
    let firstError: string | undefined;
    const cpu0 = threadCpuSeconds();
    const start = performance.now();
    const results = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        if (command.spreadSeconds) await new Promise((resolve) => setTimeout(resolve, (i / n) * command.spreadSeconds * 1000));
        const t0 = performance.now();
        const r = await (async () => {
          if (command.wave === 'code') return steps.code(i);
          if (command.wave === 'verify') return steps.verify(i, challenges[i], codes[i] ?? '');
          if (command.wave === 'list') return steps.list(i, cookies[i]);
          if (command.wave === 'documents') return steps.documents(i, cookies[i]);
          return steps.request(i, cookies[i], requestIds[i]);
        })().catch((e) => ({ ok: false, value: undefined, error: String(e) }));
        if (!r.ok) firstError ??= r.error;
        return { ...r, ms: performance.now() - t0 };
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const cpuSeconds = threadCpuSeconds() - cpu0;
    const values = results.map((r) => r.value);
    if (command.wave === 'code') challenges = values;
    if (command.wave === 'verify') cookies = values;
    if (command.wave === 'list') requestIds = values;
    const ok = results.filter((r) => r.ok).map((r) => r.ms);
    return { stats: statsOf(ok, n - ok.length), seconds, cpuSeconds, ...(firstError ? { firstError } : {}) };
  }

  async function sessions(command: Extract<Command, { kind: 'sessions' }>): Promise<SessionsResult> {
    // mulberry32: the same pauses from one run to the next.
    let seed = command.seed >>> 0;
    const random = () => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const plan = Array.from({ length: n }, () => ({
      startMs: random() * command.startSeconds * 1000,
      pausesMs: Array.from({ length: 4 }, () => (command.pauseMin + random() * (command.pauseMax - command.pauseMin)) * 1000),
    }));
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const ms: Record<string, number[]> = { code: [], verify: [], list: [], request: [], documents: [], signOut: [] };
    const errors: Record<string, number> = { code: 0, verify: 0, list: 0, request: 0, documents: 0, signOut: 0 };
    let firstError: string | undefined;
    /** Requests slower than 300 ms, by the second (from the start) they were sent in: a stall shows as a few seconds, a backlog as many. */
    const slow = new Map<number, number>();
    let open = 0;
    let peakOpen = 0;
    let flowsDone = 0;
    let allIn: () => void = () => {};
    const everyoneIn = new Promise<void>((resolve) => {
      allIn = resolve;
    });
    const timed = async <T extends { ok: boolean; value: unknown; error?: string | undefined }>(step: string, fn: () => Promise<T>) => {
      const t0 = performance.now();
      const r = await fn().catch((e) => ({ ok: false, value: undefined, error: String(e) }) as unknown as T);
      const elapsed = performance.now() - t0;
      if (elapsed > 300) {
        const second = Math.floor((t0 - start) / 1000);
        slow.set(second, (slow.get(second) ?? 0) + 1);
      }
      if (r.ok) ms[step]?.push(elapsed);
      else {
        errors[step] = (errors[step] ?? 0) + 1;
        firstError ??= `${step}: ${r.error}`;
      }
      return r;
    };
    const cpu0 = threadCpuSeconds();
    const start = performance.now();
    await Promise.all(
      plan.map(async (p, i) => {
        let cookie: string | undefined;
        try {
          await sleep(p.startMs);
          const asked = await timed('code', () => steps.code(i));
          await sleep(p.pausesMs[0] as number);
          const [code] = await codesOf([asked.value as string | undefined]);
          const verified = await timed('verify', () => steps.verify(i, asked.value as string | undefined, code ?? ''));
          cookie = verified.value as string | undefined;
          if (!verified.ok) return;
          open++;
          peakOpen = Math.max(peakOpen, open);
          await sleep(p.pausesMs[1] as number);
          const listed = await timed('list', () => steps.list(i, cookie));
          await sleep(p.pausesMs[2] as number);
          await timed('request', () => steps.request(i, cookie, listed.value as string | undefined));
          await sleep(p.pausesMs[3] as number);
          await timed('documents', () => steps.documents(i, cookie));
        } finally {
          if (++flowsDone === n) allIn();
        }
        // The page stays open until every tenant went through their flow; then each signs out, in
        // the order and with the spacing they arrived in (the sign-outs spread as the arrivals did).
        await everyoneIn;
        if (!cookie) return;
        await sleep(p.startMs);
        const out = await timed('signOut', () => steps.signOut(i, cookie));
        if (out.ok) open--;
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    return {
      steps: Object.fromEntries(Object.entries(ms).map(([step, xs]) => [step, statsOf(xs, errors[step] ?? 0)])),
      peakOpen,
      slowSeconds: {
        count: slow.size,
        worst: [...slow]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 5)
          .map(([second, requests]) => ({ second, requests })),
      },
      seconds,
      cpuSeconds: threadCpuSeconds() - cpu0,
      phoneStatements,
      ...(firstError ? { firstError } : {}),
    };
  }

  parentPort?.on('message', async (command: Command | 'stop') => {
    if (command === 'stop') {
      await phone.end();
      parentPort?.postMessage('stopped');
      return;
    }
    parentPort?.postMessage(command.kind === 'wave' ? await wave(command) : await sessions(command));
  });
  parentPort?.postMessage('ready');
}

if (!isMainThread) {
  await loadGenerator(workerData as GeneratorInput);
} else {
  await main();
}

// ——— Orchestration (main thread: database, server, measures) ———

async function main() {
  const { freePort } = await import('../e2e/machine.ts');
  const { buildApp } = await import('../server/app.ts');
  const { APP_ROLE, openDatabase } = await import('../server/platform/db/database.ts');
  const { createOrganisation } = await import('../server/platform/db/organisations.ts');
  const { openBenchDatabase } = await import('./database.ts');

  const { values } = parseArgs({
    options: {
      tenants: { type: 'string', default: '1000' },
      spread: { type: 'string', default: '0' },
      mode: { type: 'string', default: 'both' },
      'session-start': { type: 'string', default: '60' },
      pause: { type: 'string', default: '2-8' },
      seed: { type: 'string', default: '16' },
      // Diagnosis: the server's pool size (default: the one main.ts gets from connectDatabase, 20).
      'app-pool': { type: 'string' },
    },
  });
  const tenants = Number(values.tenants);
  /** Seconds over which each burst wave's requests start (0: all at the same instant). */
  const spread = Number(values.spread);
  const mode = values.mode as 'burst' | 'sessions' | 'both';
  const [pauseMin, pauseMax] = (values.pause as string).split('-').map(Number) as [number, number];
  const log = (m: string) => process.stderr.write(`${m}\n`);

  // Statements the application role sends (the server's pool), by kind: pg's client query wrapped from outside.
  const counter = { statements: 0, byKind: new Map<string, number>() };
  const kindOf = (text: string) =>
    text
      .replace(/\/\*[^*]*\*\//g, '')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 90);
  const originalQuery = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if ((this as unknown as { connectionParameters?: { user?: string } }).connectionParameters?.user === APP_ROLE) {
      counter.statements++;
      const kind = kindOf(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string })?.text));
      counter.byKind.set(kind, (counter.byKind.get(kind) ?? 0) + 1);
    }
    return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pg.Client.prototype.query;

  const bench = await openBenchDatabase('portal', undefined, 0);
  const { q } = bench;
  const config = { ...bench.config, TRUSTED_PROXIES: ['127.0.0.1'], PORT: await freePort() };
  await bench.jobs.start();
  const database = values['app-pool'] ? openDatabase(bench.runtime.appUrl, Number(values['app-pool'])) : bench.runtime.database;
  const app = await buildApp({ config, database, jobs: bench.jobs }, false);
  await app.listen({ port: config.PORT, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${config.PORT}`;
  let worker: Worker | undefined;

  try {
    log(`${tenants} tenants…`);
    const orgId = await createOrganisation(bench.runtime.database, { slug: 'bench-portail', name: 'Bailleur du banc' });
    await q(`insert into agencies (organisation_id, code, name) values ($1, 'A1', 'Agence 1')`, [orgId]);
    await q(
      `insert into residences (organisation_id, agency_id, erp_code, name, address, postal_code, city)
       select $1, a.id, 'G1', 'Les Tilleuls', '1 rue A', '94400', 'Vitry' from agencies a where a.organisation_id = $1`,
      [orgId],
    );
    await q(
      `insert into housing_units (organisation_id, residence_id, erp_ref) select $1, r.id, 'U-' || i from residences r, generate_series(1, $2) i where r.organisation_id = $1`,
      [orgId, tenants],
    );
    await q(
      `insert into households (organisation_id, unit_id, erp_ref) select $1, u.id, 'H-' || substr(u.erp_ref, 3) from housing_units u where u.organisation_id = $1`,
      [orgId],
    );
    await q(
      `insert into persons (organisation_id, household_id, household_role, first_name, last_name, person_key)
       select $1, h.id, 'holder', 'Prénom', 'Nom ' || h.erp_ref, 'K:' || h.erp_ref from households h where h.organisation_id = $1`,
      [orgId],
    );
    // Mobiles +33 6 10 00 00 00 onwards, one per person.
    await q(
      `insert into contact_points (organisation_id, person_id, kind, value)
       select $1, p.id, 'mobile', '+3361' || lpad((row_number() over (order by p.id))::text, 7, '0') from persons p where p.organisation_id = $1`,
      [orgId],
    );
    await q(
      `insert into portal_requests (organisation_id, household_id, agency_id, person_id, category, description, due_at)
       select $1, h.id, h.agency_id, p.id, c, 'Fuite sous l’évier de la cuisine, depuis hier soir.', now() + interval '3 days'
       from households h join persons p on p.organisation_id = h.organisation_id and p.household_id = h.id,
            unnest(array['technical', 'rent', 'other']) c
       where h.organisation_id = $1`,
      [orgId],
    );
    await q(
      `insert into portal_request_messages (organisation_id, request_id, household_id, author, body)
       select $1, r.id, r.household_id, a, 'Le plombier passe jeudi matin.' from portal_requests r, unnest(array['landlord', 'tenant']) a
       where r.organisation_id = $1 and r.category = 'technical'`,
      [orgId],
    );
    // Documents (issue 16): one published attestation per household, its file already scanned clean
    // (the list reads the file's record, not its bytes).
    await q(
      `with f as (
         insert into files (organisation_id, storage_name, file_name, content_type, size_bytes, purpose, scan_status)
         select $1, md5(h.id::text), 'attestation.pdf', 'application/pdf', 1000, 'portal_document', 'clean' from households h where h.organisation_id = $1
         returning id, storage_name)
       insert into portal_documents (organisation_id, household_id, kind, title, file_id)
       select $1, h.id, 'attestation', 'Attestation de loyer', f.id from households h join f on f.storage_name = md5(h.id::text) where h.organisation_id = $1`,
      [orgId],
    );
    await q('analyze');
    const mobiles = (await q(`select value from contact_points where organisation_id = $1 order by value`, [orgId])).rows.map((r) => r.value as string);

    // ——— Measures around each wave ———
    const postgresPid = postmasterPid(path.join(config.LIEN_DATA_DIR, 'pg'));
    /** PostgreSQL's CPU so far, in clock ticks (100 Hz): the postmaster with its reaped children, and its live backends. */
    const postgresTicks = () => treeCpuSeconds(postgresPid, true) * 100;
    /** Transactions PostgreSQL ended in the database (all roles: the server, its job queue, the phone). */
    const transactions = async () => {
      // An idle backend flushes its counts at most 10 s after its last transaction (PostgreSQL 15+).
      await new Promise((resolve) => setTimeout(resolve, 11_000));
      return Number((await q(`select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()`)).rows[0]?.n);
    };

    worker = new Worker(new URL(import.meta.url), {
      workerData: {
        baseUrl: base,
        ownerUrl: bench.runtime.ownerUrl,
        keyConfig: { LIEN_SECRET_KEY: config.LIEN_SECRET_KEY, LIEN_DATA_DIR: config.LIEN_DATA_DIR },
        orgId,
        slug: 'bench-portail',
        mobiles,
      } satisfies GeneratorInput,
    });
    const generator = worker;
    await new Promise((resolve, reject) => {
      generator.once('message', resolve);
      generator.once('error', reject);
    });
    const send = <T>(command: Command) =>
      new Promise<T>((resolve, reject) => {
        generator.once('message', resolve);
        generator.once('error', reject);
        generator.postMessage(command);
      });

    /** Run a command in the generator; CPU of each side, statements and transactions per request, load average. */
    const measured = async <T extends { seconds: number; cpuSeconds: number }>(command: Command, requests: number, sample?: () => void) => {
      const [serverCpu0, pg0, x0] = [threadCpuSeconds(), postgresTicks(), await transactions()];
      const [statements0, kinds0] = [counter.statements, new Map(counter.byKind)];
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      const wall0 = performance.now();
      const sampler = sample ? setInterval(sample, 1000) : undefined;
      const result = await send<T>(command);
      if (sampler) clearInterval(sampler);
      const wall = (performance.now() - wall0) / 1000;
      loop.disable();
      const serverCpu = threadCpuSeconds() - serverCpu0;
      const postgresCpu = (postgresTicks() - pg0) / 100;
      const statements = counter.statements - statements0;
      const xacts = (await transactions()) - x0;
      const kinds = [...counter.byKind]
        .map(([kind, count]) => [kind, count - (kinds0.get(kind) ?? 0)] as const)
        .filter(([, count]) => count > 0)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([kind, count]) => ({ statement: kind, perRequest: Number((count / requests).toFixed(2)) }));
      return {
        result,
        resources: {
          wallSeconds: Number(wall.toFixed(1)),
          requestsPerSecond: Math.round(requests / result.seconds),
          cpuPct: {
            server: Math.round((serverCpu / wall) * 100),
            loadGenerator: Math.round((result.cpuSeconds / wall) * 100),
            postgres: Math.round((postgresCpu / wall) * 100),
          },
          cpuMsPerRequest: {
            server: Number(((serverCpu * 1000) / requests).toFixed(2)),
            postgres: Number(((postgresCpu * 1000) / requests).toFixed(2)),
          },
          serverEventLoopDelayMs: { p99: Math.round(loop.percentile(99) / 1e6), max: Math.round(loop.max / 1e6) },
          statementsPerRequest: Number((statements / requests).toFixed(2)),
          transactionsPerRequest: Number((xacts / requests).toFixed(2)),
          loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10),
        },
        statementKinds: kinds,
      };
    };

    const out: Record<string, unknown> = {};
    if (mode !== 'sessions') {
      const waves: Record<string, unknown> = {};
      for (const name of ['code', 'verify', 'list', 'request', 'documents'] as const) {
        log(`burst: ${name}…`);
        const m = await measured<WaveResult>({ kind: 'wave', wave: name, spreadSeconds: spread }, tenants);
        if (m.result.firstError) log(`  first error: ${m.result.firstError}`);
        log(`  p95 ${m.result.stats.p95} ms, ${m.resources.requestsPerSecond} req/s, ${m.resources.statementsPerRequest} statements/request`);
        waves[name] = { ...m.result.stats, seconds: Number(m.result.seconds.toFixed(1)), ...m.resources, statementKinds: m.statementKinds };
      }
      const all = Object.values(waves) as Stats[];
      out.burst = { spreadSeconds: spread, ...waves, met: all.every((w) => w.p95 < 300 && w.errors === 0) };
    }
    if (mode !== 'burst') {
      log(`sessions: ${tenants} tenants starting within ${values['session-start']} s, pauses ${pauseMin}–${pauseMax} s…`);
      let peakOpenInDatabase = 0;
      const countOpen = () =>
        void q(`select count(*)::int as n from tenant_sessions where organisation_id = $1 and ended_at is null`, [orgId]).then((r) => {
          peakOpenInDatabase = Math.max(peakOpenInDatabase, r.rows[0]?.n ?? 0);
        });
      // Sessions the burst opened are ended first: the count is of this mode's sessions only.
      await q(`update tenant_sessions set ended_at = now(), end_reason = 'signed_out' where organisation_id = $1 and ended_at is null`, [orgId]);
      const command: Command = { kind: 'sessions', startSeconds: Number(values['session-start']), pauseMin, pauseMax, seed: Number(values.seed) };
      const m = await measured<SessionsResult>(command, tenants * 5, countOpen);
      if (m.result.firstError) log(`  first error: ${m.result.firstError}`);
      const steps = m.result.steps;
      log(
        `  peak open ${m.result.peakOpen} (database ${peakOpenInDatabase}); ${Object.entries(steps)
          .map(([k, s]) => `${k} p95 ${s.p95}`)
          .join(', ')}`,
      );
      out.sessions = {
        startWithinSeconds: command.startSeconds,
        pauseSeconds: [pauseMin, pauseMax],
        seed: command.seed,
        ...steps,
        peakSessionsOpen: m.result.peakOpen,
        peakSessionsOpenInDatabase: peakOpenInDatabase,
        secondsWithRequestsOver300Ms: m.result.slowSeconds,
        seconds: Math.round(m.result.seconds),
        ...m.resources,
        note: 'per request: the 6 steps of each tenant; transactions include the phone reading each code (1 per tenant) and the open-session count (1 a second)',
        met: Object.values(steps).every((s) => s.p95 < 300 && s.errors === 0) && m.result.peakOpen === tenants,
      };
    }
    console.log(
      JSON.stringify({
        bench: 'portal',
        tenants,
        ...out,
        barP95Ms: 300,
        appPoolConnections: database.pool.options.max,
        cpus: os.cpus().length,
        loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10),
        note: 'machine shared with other sessions running tests; the load generator runs in a worker thread of the same process',
      }),
    );
  } finally {
    if (worker) {
      const w = worker;
      await new Promise((resolve) => {
        w.once('message', resolve);
        w.postMessage('stop');
      });
      await w.terminate();
    }
    await app.close();
    if (database !== bench.runtime.database) await database.close();
    await bench.close();
  }
}
