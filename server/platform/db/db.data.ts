/** Data classification of the tables platform/db owns (TRUST DP-01; see classification.ts). */
import { classify, type ModuleClassification } from './classification.ts';

export const dbData = {
  organisations: {
    about: 'Organismes (bailleurs) qui utilisent Lien',
    columns: {
      id: classify('internal', 'service_operation'),
      name: classify('public', 'service_operation'),
      slug: classify('public', 'service_operation'),
      kind: classify('internal', 'service_operation'),
      is_demo: classify('internal', 'service_operation'),
      created_at: classify('internal', 'service_operation'),
    },
  },
  kysely_migration: {
    about: 'Migrations de la base déjà appliquées',
    columns: {
      name: classify('internal', 'service_operation'),
      timestamp: classify('internal', 'service_operation'),
    },
  },
  kysely_migration_lock: {
    about: 'Verrou des migrations de la base',
    columns: {
      id: classify('internal', 'service_operation'),
      is_locked: classify('internal', 'service_operation'),
    },
  },
} satisfies ModuleClassification<'platform/db'>;
