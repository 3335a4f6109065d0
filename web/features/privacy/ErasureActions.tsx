import { Alert, Badge, Button, Group, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { objectionLabels } from '../../../contracts/households.ts';
import { type ErasureAction, type ErasurePlan, erasureActionLabels, type SubjectRequestRow } from '../../../contracts/privacy.ts';
import { ApiError, api } from '../../app/api.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { ReauthModal } from '../../ui/ReauthModal.tsx';

const actionColors: Record<ErasureAction, string> = { delete: 'red', restrict: 'orange', keep: 'gray' };

/** The lines of a plan or outcome: per category, deleted / restricted / kept, how many, and why. */
function PlanTable({ plan }: { plan: ErasurePlan }) {
  if (!plan.lines.length) return <Text size="sm">Aucune donnée de ces finalités n’est conservée sur cette personne.</Text>;
  return (
    <Table striped withTableBorder aria-label={plan.executedAt ? 'Résultat' : 'Aperçu'}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Données</Table.Th>
          <Table.Th>Finalité</Table.Th>
          <Table.Th>Sort</Table.Th>
          <Table.Th>Éléments</Table.Th>
          <Table.Th>Pourquoi</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {plan.lines.map((l) => (
          <Table.Tr key={l.table}>
            <Table.Td>{l.label}</Table.Td>
            <Table.Td>{l.purposeLabel}</Table.Td>
            <Table.Td>
              <Badge color={actionColors[l.action]} variant="light">
                {erasureActionLabels[l.action]}
              </Badge>
            </Table.Td>
            <Table.Td>{l.rows}</Table.Td>
            <Table.Td>
              <Text size="xs">{l.reason}</Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

async function downloadLetter(id: string) {
  const response = await fetch(`/api/privacy/requests/${id}/letter`, { credentials: 'same-origin' });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    return notifyError(new Error(problem.detail ?? 'La lettre n’a pas pu être préparée. Réessayez.'));
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'reponse.pdf';
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/**
 * An erasure or objection request (TRUST DP-07): the preview of what will be deleted, restricted
 * or kept and why, the execution after a confirmation, then the outcome and the French letter.
 */
export function ErasureActions({ request }: { request: SubjectRequestRow }) {
  const client = useQueryClient();
  const [shown, setShown] = useState(false);
  const [confirming, setConfirming] = useState(false);
  // Signed in more than 5 minutes ago: the password and the code first, then the execution.
  const [reauthenticating, setReauthenticating] = useState(false);
  const plan = useQuery({
    queryKey: ['privacy-plan', request.id, request.executedAt],
    queryFn: () => api<ErasurePlan>('GET', `/api/privacy/requests/${request.id}/plan`),
    enabled: shown,
  });
  const execute = useMutation({
    mutationFn: () => api<ErasurePlan>('POST', `/api/privacy/requests/${request.id}/execute`),
    onSuccess: (outcome) => {
      client.setQueryData(['privacy-plan', request.id, outcome.executedAt], outcome);
      setConfirming(false);
      notifySuccess(request.kind === 'erasure' ? 'Effacement exécuté : la demande est répondue.' : 'Opposition exécutée : la demande est répondue.');
      void client.invalidateQueries({ queryKey: ['privacy-requests'] });
    },
    onError: (error) => (error instanceof ApiError && error.code === 'reauthentication_required' ? setReauthenticating(true) : notifyError(error)),
  });
  const done = request.executedAt !== null;
  if (request.refusalReason !== null) {
    return (
      <Alert color="gray" title={request.kind === 'erasure' ? 'Effacement refusé' : 'Opposition refusée'} mt="xs">
        Motif communiqué à la personne : {request.refusalReason}
      </Alert>
    );
  }
  return (
    <Stack gap="xs" mt="xs">
      <Group>
        <Button size="xs" variant="default" onClick={() => setShown((s) => !s)} aria-expanded={shown}>
          {done ? 'Voir le résultat' : 'Voir l’aperçu'}
        </Button>
        {!done && request.status === 'open' && <RefuseRequest request={request} />}
        {done && (
          <Button size="xs" variant="default" onClick={() => void downloadLetter(request.id)}>
            Télécharger la lettre de réponse (PDF)
          </Button>
        )}
      </Group>
      {shown && plan.error && <Alert color="red">{plan.error.message}</Alert>}
      {shown && plan.data && (
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {done ? 'Ce qui a été fait' : 'Ce que l’exécution fera'}
          </Text>
          <PlanTable plan={plan.data} />
          {plan.data.restriction && (
            <Alert color="orange" title="Accès limité">
              {plan.data.restriction.reason} Le ménage disparaît des listes, de la recherche et des campagnes pour tous les autres rôles.
            </Alert>
          )}
          {plan.data.objections.length > 0 && (
            <Text size="sm">Oppositions enregistrées sur le ménage : {plan.data.objections.map((k) => objectionLabels[k]).join(', ')}.</Text>
          )}
          {!done && request.status === 'open' && !confirming && (
            <Group>
              <Button size="xs" color="red" onClick={() => setConfirming(true)}>
                {request.kind === 'erasure' ? 'Exécuter l’effacement' : 'Exécuter l’opposition'}
              </Button>
            </Group>
          )}
          {confirming && (
            <Alert color="red" title="Confirmer l’exécution">
              <Stack gap="xs">
                <Text size="sm">Les données marquées « Effacées » le seront définitivement. La demande sera marquée comme répondue.</Text>
                <Group>
                  <Button size="xs" color="red" onClick={() => execute.mutate()} loading={execute.isPending}>
                    Confirmer et exécuter
                  </Button>
                  <Button size="xs" variant="default" onClick={() => setConfirming(false)}>
                    Annuler
                  </Button>
                </Group>
              </Stack>
            </Alert>
          )}
        </Stack>
      )}
      <ReauthModal
        opened={reauthenticating}
        onClose={() => setReauthenticating(false)}
        reason="L’exécution efface définitivement des données d’une personne : confirmez qu’il s’agit bien de vous."
        onConfirmed={() => {
          setReauthenticating(false);
          execute.mutate();
        }}
      />
    </Stack>
  );
}

/**
 * Refuses an open erasure or objection (a legal obligation to keep the data, a request manifestly
 * unfounded or excessive): the reason, required, is told to the person; the request is answered.
 */
function RefuseRequest({ request }: { request: SubjectRequestRow }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const refuse = useMutation({
    mutationFn: () => api('POST', `/api/privacy/requests/${request.id}/refuse`, { reason }),
    onSuccess: () => {
      setOpen(false);
      notifySuccess('Demande refusée : elle est marquée comme répondue, avec son motif.');
      void client.invalidateQueries({ queryKey: ['privacy-requests'] });
    },
    onError: (e) => setError(e.message),
  });
  if (!open) {
    return (
      <Button size="xs" variant="default" color="red" onClick={() => setOpen(true)}>
        Refuser la demande
      </Button>
    );
  }
  return (
    <form
      style={{ width: '100%' }}
      onSubmit={(event) => {
        event.preventDefault();
        if (!reason.trim()) return setError('Indiquez le motif du refus : il est communiqué à la personne.');
        setError(null);
        refuse.mutate();
      }}
    >
      <Stack gap="xs">
        <Textarea
          label="Motif du refus"
          description="Communiqué à la personne (par exemple : obligation légale de conserver ces données, demande manifestement infondée ou excessive)."
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          maxLength={2000}
          autosize
          minRows={2}
          error={error}
          // Mantine's red-6 error text (message and field) is 3.6:1 on white (axe): the message in red-9
          // (5.4:1), the field's text in the usual colour (the red border and the message say the error).
          styles={{ error: { color: 'var(--mantine-color-red-9)' }, input: { color: 'var(--mantine-color-text)' } }}
          withAsterisk
        />
        <Group>
          <Button size="xs" color="red" type="submit" loading={refuse.isPending}>
            Confirmer le refus
          </Button>
          <Button size="xs" variant="default" onClick={() => setOpen(false)}>
            Annuler
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
