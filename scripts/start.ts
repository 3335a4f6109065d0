// `npm start`: build the web app when its sources are newer than the build, then start the server.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

const built = path.join(root, 'web/dist/index.html');
const sourcesTime = Math.max(newest(path.join(root, 'web')), newest(path.join(root, 'contracts')));
if (!existsSync(built) || statSync(built).mtimeMs < sourcesTime) {
  console.log("Construction de l'application web…");
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}
try {
  await import('../server/main.ts');
} catch (error) {
  // What the person starting Lien can fix (the embedded PostgreSQL's setup): one French line, no stack.
  const { EmbeddedPostgresError } = await import('../server/platform/db/embedded.ts');
  if (!(error instanceof EmbeddedPostgresError)) throw error;
  console.error(`Lien n’a pas pu démarrer : ${error.message}`);
  process.exit(1);
}
