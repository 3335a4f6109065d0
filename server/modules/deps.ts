import type { Config } from '../config.ts';
import type { Database } from '../platform/db/database.ts';
import type { Jobs } from '../platform/jobs/jobs.ts';

/** What every module receives from the platform. */
export type Deps = { config: Config; database: Database; jobs: Jobs };
