/** Data classification of the tables platform/files owns (TRUST DP-01; see platform/db/classification.ts). */
import { classify, type ModuleClassification } from '../db/classification.ts';

// A file belongs to the record that names it (a tenant's request, a document made available);
// its purpose is that record's: the tenant portal's (the retention purge deletes a request's files
// with its exchanges), the service's own for the rest.
export const filesData = {
  files: {
    about: 'Fichiers déposés (photos, PDF), analysés par l’antivirus',
    columns: {
      id: classify('internal', 'service_operation'),
      organisation_id: classify('internal', 'service_operation'),
      storage_name: classify('internal', 'service_operation'),
      file_name: classify('personal', 'service_operation', 'portal'),
      content_type: classify('internal', 'service_operation'),
      size_bytes: classify('internal', 'service_operation'),
      purpose: classify('internal', 'service_operation'),
      scan_status: classify('internal', 'security'),
      scan_signature: classify('internal', 'security'),
      scanned_at: classify('internal', 'security'),
      created_by: classify('personal', 'service_operation', 'portal'),
      created_at: classify('internal', 'service_operation'),
    },
  },
} satisfies ModuleClassification<'platform/files'>;
