import { z } from 'zod';

/** Canonical fields an export column can be mapped to (null: ignored). */
export const importFieldNames = [
  'agency_code',
  'agency_name',
  'residence_code',
  'residence_name',
  'address',
  'postal_code',
  'city',
  'insee_code',
  'qpv',
  'unit_ref',
  'floor',
  'rooms',
  'has_lift',
  'lease_ref',
  'lease_start',
  'lease_end',
  'household_ref',
  'person_ref',
  'civility',
  'last_name',
  'first_name',
  'birth_date',
  'household_role',
  'mobile',
  'landline',
  'email',
  'language',
  'preferred_channel',
  'balance',
  'reduced_mobility',
  'disability',
] as const;
export type ImportFieldName = (typeof importFieldNames)[number];

/** Column index (as a string) → field. */
export const importMapping = z.record(z.string().regex(/^\d{1,3}$/), z.enum(importFieldNames).nullable());

export const importStatus = z.enum(['staged', 'validating', 'previewed', 'applying', 'applied', 'failed', 'cancelled']);

/** An import as the page follows it (survives a page reload). */
export const importRun = z.object({
  id: z.string().uuid(),
  status: importStatus,
  fileName: z.string(),
  format: z.string(),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  headers: z.array(z.string()),
  mapping: importMapping.nullable(),
  fullExport: z.boolean(),
  validOnly: z.boolean(),
  totalLines: z.number(),
  progressDone: z.number(),
  progressTotal: z.number(),
  summary: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type ImportRun = z.infer<typeof importRun>;

/** What the upload returns: the staged import, a guessed mapping, a sample, refused NIR columns. */
export const importUpload = z.object({
  run: importRun,
  sample: z.array(z.array(z.string())),
  nirColumns: z.array(z.string()),
  fieldLabels: z.record(z.string(), z.string()),
  requiredFields: z.array(z.string()),
});
export type ImportUpload = z.infer<typeof importUpload>;

export const validateImportBody = z.strictObject({ mapping: importMapping, fullExport: z.boolean().default(false) });
export const applyImportBody = z.strictObject({ validOnly: z.boolean().default(false) });

export const rejectedLine = z.object({ line: z.number(), errors: z.array(z.object({ column: z.string(), value: z.string(), reason: z.string() })) });
