/**
 * The « registre des activités de traitement » as Lien can pre-fill it (RGPD art. 30, TRUST
 * DP-12, issue 13): one entry per purpose, the data classes and tables that serve it from the
 * classification, who receives the data (roles, from the abilities; processors by category), and
 * where the retention is set. A model the landlord's DPO copies into the organisation's own
 * register and completes: Lien does not know the controller's name, its DPO or its processors.
 */
import { z } from 'zod';
import { dataClasses, purposes } from './data-protection.ts';

/** One entry of the register: one purpose. */
export const registerEntry = z.object({
  purpose: z.enum(purposes),
  label: z.string(),
  /** What the processing is for, in French. */
  description: z.string(),
  /** The legal basis Lien's authors propose (RGPD art. 6, and art. 9 for health data): for the DPO to confirm. */
  legalBasis: z.string(),
  /** Whose data. */
  persons: z.string(),
  /** The roles inside the landlord that see these data (from the abilities of the code). */
  recipients: z.array(z.string()),
  /** Processor categories involved (docs/aipd/sous-traitants.md). */
  processors: z.array(z.string()),
  /** Columns of personal data serving the purpose, by data class, most sensitive first (classification). */
  classes: z.array(z.object({ class: z.enum(dataClasses), label: z.string(), columns: z.number().int() })),
  /** Tables holding personal data for the purpose, with what they hold and their most sensitive class for it. */
  tables: z.array(z.object({ table: z.string(), label: z.string(), class: z.enum(dataClasses), classLabel: z.string() })),
  /** Where the retention period is set. */
  retention: z.string(),
});
export type RegisterEntry = z.infer<typeof registerEntry>;

/** The register: an entry per purpose. */
export const processingRegister = z.object({ entries: z.array(registerEntry) });
export type ProcessingRegister = z.infer<typeof processingRegister>;
