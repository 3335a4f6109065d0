import { Alert, Anchor, Badge, Button, Card, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { reportGroupLabels, reportGroups, sendStatusLabels } from '../../../contracts/messaging-api.ts';
import { plural } from '../../../contracts/plural.ts';
import { ApiError } from '../../app/api.ts';
import { useCan, useMe } from '../../app/session.ts';
import { ReauthModal } from '../../ui/ReauthModal.tsx';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { useSend, useSendAction } from './api.ts';
import { PlanTable, sendAudienceLabels } from './PlanTable.tsx';

/** /messages/envois/:id: the dry run, the confirmation (and approval above 1,000), the progress and the report. */
export function SendPage() {
  usePageTitle('Envoi de messages');
  const { id = '' } = useParams();
  const send = useSend(id);
  const action = useSendAction();
  const can = useCan();
  const me = useMe();
  const [error, setError] = useState<string | null>(null);
  const [reauth, setReauth] = useState(false);
  const s = send.data;
  const run = (a: 'confirm' | 'approve') => {
    setError(null);
    action.mutate(
      { id, action: a },
      {
        onError: (err) => {
          if (err instanceof ApiError && err.code === 'reauthentication_required') setReauth(true);
          else setError(err.message);
        },
      },
    );
  };
  const settled = s ? s.report.sent + s.report.delivered + s.report.failed + s.report.opted_out + s.report.unknown : 0;
  return (
    <Stack maw={900}>
      <Anchor component={Link} to="/messages" size="sm">
        ← Messages
      </Anchor>
      <Title order={1}>Envoi de messages</Title>
      {send.error && <Alert color="red">{send.error.message}</Alert>}
      {s && (
        <>
          <Group>
            <Text>
              Modèle « {s.template} », {sendAudienceLabels[s.audience].toLowerCase()}
            </Text>
            <Badge variant="light" data-testid="send-status">
              {sendStatusLabels[s.status]}
            </Badge>
          </Group>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Card withBorder>
            <Title order={2} size="h3">
              Simulation : {plural(s.recipients, 'destinataire')}
            </Title>
            <PlanTable plan={s.plan} />
          </Card>
          {s.status === 'draft' && s.createdBy === me.data?.id && (
            <Stack gap="xs">
              {s.needsApproval && (
                <Text size="sm">
                  Plus de 1 000 destinataires : vous confirmerez votre identité, puis une autre personne (responsable ou administration) validera l’envoi.
                </Text>
              )}
              <Group>
                <Button onClick={() => run('confirm')} loading={action.isPending} disabled={s.recipients === 0}>
                  Confirmer l’envoi
                </Button>
              </Group>
            </Stack>
          )}
          {s.status === 'awaiting_approval' && (
            <Alert color="yellow" title="En attente de validation">
              Une autre personne que l’auteur de l’envoi doit le valider (plus de 1 000 destinataires).
              {can('messages.approve') && s.createdBy !== me.data?.id && (
                <Group mt="xs">
                  <Button onClick={() => run('approve')} loading={action.isPending}>
                    Valider l’envoi
                  </Button>
                </Group>
              )}
            </Alert>
          )}
          {(s.status === 'preparing' || s.status === 'queued' || s.status === 'failed') && (
            <Card withBorder>
              <Stack gap="xs">
                <Title order={2} size="h3">
                  Progression
                </Title>
                <Text size="sm">
                  Préparation : {plural(s.prepared, 'destinataire préparé', 'destinataires préparés')} sur {s.recipients}
                </Text>
                <Progress value={s.recipients ? Math.min(100, (100 * s.prepared) / s.recipients) : 0} aria-label="Préparation de l’envoi" />
                {s.messages > 0 && (
                  <>
                    <Text size="sm">
                      Envoi : {plural(settled, 'message traité', 'messages traités')} sur {s.messages}
                    </Text>
                    <Progress value={Math.min(100, (100 * settled) / s.messages)} aria-label="Envoi des SMS et e-mails" color="teal" />
                  </>
                )}
                {s.error && <Alert color="red">{s.error}</Alert>}
                <Table data-testid="send-report">
                  <Table.Tbody>
                    {reportGroups.map((g) => (
                      <Table.Tr key={g}>
                        <Table.Td>{reportGroupLabels[g]}</Table.Td>
                        <Table.Td>{s.report[g]}</Table.Td>
                      </Table.Tr>
                    ))}
                    <Table.Tr>
                      <Table.Td>Courriers à imprimer</Table.Td>
                      <Table.Td>{s.letters}</Table.Td>
                    </Table.Tr>
                  </Table.Tbody>
                </Table>
                {s.letters > 0 && (s.createdBy === me.data?.id || can('messages.approve')) && (
                  <Anchor href={`/api/messaging/sends/${s.id}/letters`} download>
                    Télécharger les courriers ({plural(s.letters, 'page')}, PDF pour enveloppes DL à fenêtre)
                  </Anchor>
                )}
                {can('audit.read') && (
                  <Anchor component={Link} to="/admin/messages" size="sm">
                    Voir la boîte d’envoi
                  </Anchor>
                )}
              </Stack>
            </Card>
          )}
        </>
      )}
      <ReauthModal
        opened={reauth}
        onClose={() => setReauth(false)}
        reason="Un envoi à plus de 1 000 destinataires : confirmez qu’il s’agit bien de vous."
        onConfirmed={() => {
          setReauth(false);
          run('confirm');
        }}
      />
    </Stack>
  );
}
