import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import { publicRoute } from '../auth/policy.ts';
import type { Database } from '../db/database.ts';
import { openDownload } from './files.ts';

/**
 * Opening a file through its signed link (TRUST IN-08, MT-08). The link is the authorisation: the
 * module that issued it checked who asked, and it expires within minutes. Always an attachment,
 * with its checked type, never sniffed by the browser, never cached.
 */
export async function filesRoutes(app: FastifyInstance, deps: { config: Config; database: Database }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/files/:token',
    {
      config: { policy: publicRoute },
      schema: {
        tags: ['files'],
        summary: 'Télécharger un fichier par son lien signé (valable quelques minutes)',
        params: z.object({ token: z.string().max(400) }),
      },
    },
    async (request, reply) => {
      const opened = await openDownload(deps.database, deps.config, request.params.token);
      if ('refused' in opened) return reply.code(404).send({ error: 'file_unavailable', message: opened.refused });
      return reply
        .header('content-type', opened.contentType)
        .header(
          'content-disposition',
          `attachment; filename="${opened.fileName.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(opened.fileName)}`,
        )
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(opened.bytes);
    },
  );
}
