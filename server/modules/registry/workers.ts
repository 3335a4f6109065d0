import type { Deps } from '../deps.ts';
import { applyJob, IMPORT_APPLY_QUEUE, IMPORT_VALIDATE_QUEUE, validateStaged } from './import/import.service.ts';

/** Background workers of the registry (import validation and application). */
export async function startRegistryWorkers(deps: Deps) {
  await deps.jobs.work<{ organisationId: string; importId: string }>(IMPORT_VALIDATE_QUEUE, ({ organisationId, data }) =>
    validateStaged(deps, { organisationId }, data.importId).then(() => undefined),
  );
  await deps.jobs.work<{ organisationId: string; importId: string }>(IMPORT_APPLY_QUEUE, ({ organisationId, data }) =>
    applyJob(deps, organisationId, data.importId),
  );
}
