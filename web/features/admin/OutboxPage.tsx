import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { OutboxMessage } from '../../../contracts/admin.ts';
import { api } from '../../app/api.ts';
import { Linkified } from '../../ui/Linkified.tsx';

const statusLabels: Record<string, string> = {
  queued: 'En attente',
  sending: 'Envoi en cours',
  sent: 'Envoyé',
  delivered_locally: 'Conservé dans Lien',
  failed: 'Échec',
  unknown: 'À vérifier',
};

/** Every e-mail and SMS Lien sends, newest first. With the local adapter, nothing leaves Lien. */
export function OutboxPage() {
  const messages = useQuery({ queryKey: ['outbox'], queryFn: () => api<OutboxMessage[]>('POST', '/api/outbox/search', { limit: 100 }), refetchInterval: 5000 });
  return (
    <Stack>
      <Title order={2}>Boîte d’envoi</Title>
      <Text size="sm" c="dimmed">
        Tous les e-mails et SMS envoyés par Lien passent par cette boîte d’envoi. Avec l’adaptateur local (par défaut), rien ne sort de Lien : les messages sont
        lisibles ici, liens compris.
      </Text>
      {messages.data?.length === 0 && <Text>Aucun message pour l’instant.</Text>}
      {(messages.data ?? []).map((m) => (
        <Card key={m.id} withBorder>
          <Group justify="space-between">
            <Text fw={600}>{m.subject ?? '(SMS)'}</Text>
            <Badge variant="light">{statusLabels[m.status] ?? m.status}</Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {m.channel === 'email' ? 'E-mail' : 'SMS'} à {m.recipient} · {new Date(m.createdAt).toLocaleString('fr-FR')}
          </Text>
          <Text size="sm" mt="xs" style={{ whiteSpace: 'pre-wrap' }}>
            <Linkified text={m.body} />
          </Text>
          {m.lastError && (
            <Text size="sm" c="red">
              {m.lastError}
            </Text>
          )}
        </Card>
      ))}
    </Stack>
  );
}
