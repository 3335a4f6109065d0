import { Alert, Anchor, Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { NoteFlag } from '../../../contracts/note-guard.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { usePendingNotes, useReviewNote } from '../campaigns/api.ts';

const flagLabels: Record<NoteFlag, string> = { health: 'Information de santé', pejorative: 'Terme péjoratif' };

/** /admin/notes: call notes flagged by the lexicon check, reviewed by the DPO (TRUST DP-05). */
export function NoteReviewPage() {
  usePageTitle('Notes à relire');
  const notes = usePendingNotes();
  const review = useReviewNote();
  const decide = (id: string, decision: 'kept' | 'redacted') =>
    review.mutate(
      { id, decision },
      { onSuccess: () => notifySuccess(decision === 'kept' ? 'Note conservée.' : 'Note retirée : elle est remplacée par une mention.'), onError: notifyError },
    );
  return (
    <Stack>
      <Title order={1}>Notes à relire</Title>
      <Text size="sm">
        Notes d’appel où un terme péjoratif ou une information de santé a été repéré. Le locataire peut lire ces notes : conservez-les si elles restent
        factuelles, retirez-les sinon.
      </Text>
      {notes.isPending && <Loader aria-label="Chargement" />}
      {notes.error && <Alert color="red">{notes.error.message}</Alert>}
      {notes.data && notes.data.length === 0 && <Text>Aucune note à relire.</Text>}
      {notes.data && notes.data.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped aria-label="Notes à relire">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th>Campagne</Table.Th>
                <Table.Th>Appelant·e</Table.Th>
                <Table.Th>Ménage</Table.Th>
                <Table.Th>Motif</Table.Th>
                <Table.Th>Note</Table.Th>
                <Table.Th>Décision</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {notes.data.map((note) => (
                <Table.Tr key={note.id}>
                  <Table.Td>{new Date(note.at).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' })}</Table.Td>
                  <Table.Td>{note.campaign}</Table.Td>
                  <Table.Td>{note.caller}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/menages/${note.householdId}`}>
                      Fiche du ménage
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {note.flags.map((f) => (
                        <Badge key={f} color={f === 'health' ? 'orange' : 'red'} variant="light">
                          {flagLabels[f as NoteFlag] ?? f}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'pre-wrap', maxWidth: 360 }}>{note.note}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="light" disabled={review.isPending} onClick={() => decide(note.id, 'kept')}>
                        Conserver
                      </Button>
                      <Button size="xs" variant="outline" color="red" disabled={review.isPending} onClick={() => decide(note.id, 'redacted')}>
                        Retirer la note
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
