import type { Config } from '../../config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import type { Logger } from '../../platform/logger.ts';
import { PURGE_CRON, purgeAllOrganisations } from './retention.service.ts';

/** Every day at 02:30 UTC (pg-boss schedule, one run whatever the number of servers): the retention purge of every organisation (files' bytes under `config`'s data directory). */
export async function startRetentionPurge(jobs: Jobs, database: Database, logger: Logger, config: Pick<Config, 'LIEN_DATA_DIR'>) {
  await jobs.every('retention-purge', PURGE_CRON, async () => {
    const result = await purgeAllOrganisations(database, new Date(), logger, config);
    logger.info(result, 'retention purge');
  });
}
