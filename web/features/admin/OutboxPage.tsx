import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { OutboxMessage } from '../../../contracts/admin.ts';
import { messageStatusLabel } from '../../../contracts/message-status.ts';
import { api } from '../../app/api.ts';
import { fromQuery, ListView } from '../../ui/DataTable.tsx';
import { Linkified } from '../../ui/Linkified.tsx';
import { usePageTitle } from '../../ui/usePageTitle.ts';

/** The status as a badge: its one French label, capitalised. */
const statusLabel = (status: string) => {
  const label = messageStatusLabel(status);
  return label.charAt(0).toUpperCase() + label.slice(1);
};

/**
 * Every e-mail and SMS Lien sends, newest first. Personal links (invitations, password resets)
 * arrive masked from the API: only their recipient ever receives them (ADR 0008).
 */
export function OutboxPage() {
  usePageTitle('Boîte d’envoi');
  const messages = useQuery({ queryKey: ['outbox'], queryFn: () => api<OutboxMessage[]>('POST', '/api/outbox/search', { limit: 100 }), refetchInterval: 5000 });
  return (
    <Stack>
      <Title order={1}>Boîte d’envoi</Title>
      <Text size="sm" c="dimmed">
        Tous les e-mails et SMS envoyés par Lien passent par cette boîte d’envoi. Les liens personnels (invitation, nouveau mot de passe) n’y apparaissent
        jamais : ils sont remplacés par « [lien personnel masqué] » et seul·e leur destinataire les reçoit. Avec l’adaptateur local (par défaut), rien ne sort
        de Lien ; sur un poste de développement, le texte complet est déposé dans la boîte de développement (dossier <code>mail</code> des données de Lien).
      </Text>
      <ListView {...fromQuery(messages)} empty="Aucun message pour l’instant." loadingLabel="Chargement des messages…">
        {(rows) => (
          <Stack gap="sm" aria-label="Messages envoyés" role="list" aria-busy={messages.isFetching || undefined}>
            {rows.map((m) => (
              <Card key={m.id} withBorder role="listitem">
                <Group justify="space-between">
                  <Text fw={600}>{m.subject ?? '(SMS)'}</Text>
                  <Badge variant="light">{statusLabel(m.status)}</Badge>
                </Group>
                <Text size="sm" c="dimmed">
                  {m.channel === 'email' ? 'E-mail' : 'SMS'} à {m.recipient} · {new Date(m.createdAt).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })}
                </Text>
                <Text size="sm" mt="xs" style={{ whiteSpace: 'pre-wrap' }}>
                  <Linkified text={m.body} />
                </Text>
                {m.status === 'delayed' && m.nextAttemptAt && (
                  <Text size="sm" fw={500}>
                    Retardé : le fournisseur ne répond pas, nouvel essai automatique vers{' '}
                    {new Date(m.nextAttemptAt).toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' })}. Le message n’est
                    pas perdu.
                  </Text>
                )}
                {m.lastError && (
                  <Text size="sm" c={m.status === 'delayed' ? 'dimmed' : 'red'}>
                    {m.lastError}
                  </Text>
                )}
              </Card>
            ))}
          </Stack>
        )}
      </ListView>
    </Stack>
  );
}
