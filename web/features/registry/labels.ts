import type { ImportRun } from '../../../contracts/imports.ts';

export const statusLabels: Record<ImportRun['status'], string> = {
  staged: 'À vérifier',
  validating: 'Simulation en cours',
  previewed: 'Prêt à importer',
  applying: 'Écriture en cours',
  applied: 'Importé',
  failed: 'Échec',
  cancelled: 'Abandonné',
};
