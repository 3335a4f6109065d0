// `npm run bench`: run every benchmark in turn; each prints one JSON line of figures.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const benches = [
  'import.bench.ts',
  'import-real-shaped.bench.ts',
  'search.bench.ts',
  'dispatch.bench.ts',
  'page-weight.bench.ts',
  'purge.bench.ts',
  'access-export.bench.ts',
  'cases.bench.ts',
  'arrears.bench.ts',
  'federation.bench.ts',
  'reporting.bench.ts',
  'messaging.bench.ts',
  'sms-drain.bench.ts',
  'lending.bench.ts',
  'appointments.bench.ts',
  'portal.bench.ts',
];
const only = process.argv[2];
for (const name of benches.filter((b) => !only || b.startsWith(only))) {
  process.stderr.write(`\n== ${name} ==\n`);
  execFileSync(process.execPath, [path.join(import.meta.dirname, name), ...process.argv.slice(3)], { stdio: 'inherit' });
}
