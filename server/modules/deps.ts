import type { Config } from '../config.ts';
import type { Database } from '../platform/db/database.ts';
import type { Jobs } from '../platform/jobs/jobs.ts';

/** What every module receives from the platform. `clock` lets tests move time (call windows, retries). */
export type Deps = { config: Config; database: Database; jobs: Jobs; clock?: () => Date };

/** The current instant, from the deps' clock when one is set. */
export const nowOf = (deps: Deps): Date => deps.clock?.() ?? new Date();
