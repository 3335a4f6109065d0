/** Reading a tenant's or a staff member's upload (issue 16): one file per form, French refusals. */
import type { FastifyRequest } from 'fastify';
import { AppError, invalid } from '../../platform/errors/app-error.ts';

/** The one file of a multipart form (field « file ») and its text fields; too large: a French 413. */
export async function formOf(request: FastifyRequest, maxMb: number) {
  if (!request.isMultipart()) throw invalid('file_missing', 'Envoyez le fichier dans un formulaire (champ « file »).');
  const file = await request.file({ limits: { fileSize: maxMb * 1024 * 1024, files: 1 } });
  if (!file) throw invalid('file_missing', 'Aucun fichier reçu.');
  let bytes: Buffer;
  try {
    bytes = await file.toBuffer();
  } catch {
    file.file.resume();
    throw new AppError('file_too_large', 413, `Le fichier dépasse ${maxMb} Mo : réduisez la photo ou scannez le document en qualité moindre.`);
  }
  const fields: Record<string, string> = {};
  for (const [name, field] of Object.entries(file.fields))
    if (field && !Array.isArray(field) && field.type === 'field' && typeof field.value === 'string') fields[name] = field.value;
  return { upload: { fileName: file.filename || 'document', bytes }, fields };
}
