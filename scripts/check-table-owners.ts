// `npm run check`: a module's SQL names only the tables it owns (server/platform/db/tables.ts,
// issue 10). Exits 1 with file:line, the table and its owner for each other use.
// Usage: node scripts/check-table-owners.ts [--root=<checkout>]   (--root: check another checkout's
// server/, e.g. an older commit from `git archive`). No exceptions: cross a boundary through the owner's index.ts.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { violations } from '../server/platform/db/table-owners.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'migrations' || full === path.join('server', 'test') ? [] : sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

const root = process.argv.find((a) => a.startsWith('--root='))?.slice('--root='.length) ?? path.join(import.meta.dirname, '..');
process.chdir(root);
const found = sourceFiles('server').flatMap((file) => violations(file, readFileSync(file, 'utf8')));
for (const v of found) {
  console.error(
    `${v.file}:${v.line}  ${v.table} (owner: ${v.owner}) named by ${v.fileOwner ?? 'code outside any module'}${v.inFunction ? ` in ${v.inFunction}` : ''}`,
  );
}
if (found.length) {
  console.error(`\n${found.length} use(s) of another module's table: go through the owner's index.ts (server/platform/db/tables.ts lists the owners).`);
  process.exit(1);
}
console.log('table owners: every SQL table use is by its owner.');
