import { rolesWith } from '../../platform/auth/abilities.ts';

/** Who reads the dashboards and exports them (issue 18): the managers and administrators. */
export const reportReaders = rolesWith('reports.view');
