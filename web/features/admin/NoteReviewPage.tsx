import { Anchor, Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { NoteFlag } from '../../../contracts/note-guard.ts';
import { DataTable, fromQuery } from '../../ui/DataTable.tsx';
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
      <DataTable
        label="Notes à relire"
        {...fromQuery(notes)}
        empty="Aucune note à relire."
        rowKey={(note) => note.id}
        columns={[
          { header: 'Date', cell: (note) => new Date(note.at).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' }) },
          { header: 'Campagne', cell: (note) => note.campaign },
          { header: 'Appelant·e', cell: (note) => note.caller },
          {
            header: 'Ménage',
            cell: (note) => (
              <Anchor component={Link} to={`/menages/${note.householdId}`}>
                Fiche du ménage
              </Anchor>
            ),
          },
          {
            header: 'Motif',
            cell: (note) => (
              <Group gap={4}>
                {note.flags.map((f) => (
                  <Badge key={f} color={f === 'health' ? 'orange' : 'red'} variant="light">
                    {flagLabels[f as NoteFlag] ?? f}
                  </Badge>
                ))}
              </Group>
            ),
          },
          { header: 'Note', style: { whiteSpace: 'pre-wrap', maxWidth: 360 }, cell: (note) => note.note },
          {
            header: 'Décision',
            cell: (note) => (
              <Group gap="xs" wrap="nowrap">
                <Button size="xs" variant="light" disabled={review.isPending} onClick={() => decide(note.id, 'kept')}>
                  Conserver
                </Button>
                <Button size="xs" variant="outline" color="red" disabled={review.isPending} onClick={() => decide(note.id, 'redacted')}>
                  Retirer la note
                </Button>
              </Group>
            ),
          },
        ]}
      />
    </Stack>
  );
}
