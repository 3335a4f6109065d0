import '../../contracts/locale.ts';
import { schemaResolver } from '@mantine/form';

/**
 * `useForm({ validate: validateWith(schema) })`: a form checked by the same zod contract as the
 * API, its French messages (the contract's own, else zod's French locale) shown under each field.
 * Mantine reads the schema as a Standard Schema (zod 4 is one): no adapter package is needed.
 */
export const validateWith = (schema: Parameters<typeof schemaResolver>[0]) => schemaResolver(schema, { sync: true });
