import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { AudienceBody, previewAnswer, SendAnswer, sendListRow, TemplateBody, templateRow } from '../../../contracts/messaging-api.ts';
import { api } from '../../app/api.ts';

export type Template = z.infer<typeof templateRow>;
export type Preview = z.infer<typeof previewAnswer>;
export type SendRow = z.infer<typeof sendListRow>;
export type { SendAnswer };

const keys = { templates: ['messaging', 'templates'] as const, sends: ['messaging', 'sends'] as const };

/** The opt-out mention the server adds to a send's SMS (it depends on the provider). */
export const useSmsMention = () =>
  useQuery({ queryKey: ['messaging', 'sms-mention'], queryFn: () => api<{ mention: string }>('GET', '/api/messaging/sms-mention'), staleTime: Infinity });
export const useTemplates = () => useQuery({ queryKey: keys.templates, queryFn: () => api<Template[]>('GET', '/api/messaging/templates') });

export function useSaveTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: TemplateBody }): Promise<unknown> =>
      id ? api<{ ok: true }>('PUT', `/api/messaging/templates/${id}`, body) : api<{ id: string }>('POST', '/api/messaging/templates', body),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.templates }),
  });
}

export const previewText = (body: { body: string; subject: string | null; householdId: string; values: Record<string, string> }) =>
  api<Preview>('POST', '/api/messaging/preview', body);

export const dryRun = (body: { templateId: string; audience: AudienceBody; values: Record<string, string> }) =>
  api<SendAnswer>('POST', '/api/messaging/dry-run', body);

export const useSends = () => useQuery({ queryKey: keys.sends, queryFn: () => api<SendRow[]>('GET', '/api/messaging/sends') });

/** A send, polled every second while it is prepared or its messages drain (the progress bars). */
export const useSend = (id: string) =>
  useQuery({
    queryKey: [...keys.sends, id],
    queryFn: () => api<SendAnswer>('GET', `/api/messaging/sends/${id}`),
    refetchInterval: (q) => {
      const s = q.state.data;
      if (!s) return false;
      return s.status === 'preparing' || (s.status === 'queued' && s.report.queued > 0) ? 1000 : false;
    },
  });

export function useSendAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'confirm' | 'approve' }) => api<SendAnswer>('POST', `/api/messaging/sends/${id}/${action}`),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.sends }),
  });
}
