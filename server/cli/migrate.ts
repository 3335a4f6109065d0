// `npm run migrate`: apply pending migrations (the server also does it on start).
import { loadConfig } from '../config.ts';
import { resolveOwnerUrl } from '../platform/db/bootstrap.ts';
import { prepareRoles } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';

const config = loadConfig();
const { ownerUrl, stop, embedded } = await resolveOwnerUrl(config);
try {
  await prepareRoles(ownerUrl, { appUrl: config.APP_DATABASE_URL, dataDir: embedded ? config.LIEN_DATA_DIR : null });
  const applied = await migrateToLatest(ownerUrl);
  console.log(applied.length ? `Migrations appliquées : ${applied.join(', ')}` : 'Base à jour : aucune migration à appliquer.');
} catch (error) {
  console.error(`Échec de la migration : ${(error as Error).message}\nLa base est restée dans son état précédent.`);
  process.exitCode = 1;
} finally {
  await stop();
}
