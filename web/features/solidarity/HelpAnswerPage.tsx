import { Alert, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import type { HelpAnswerView } from '../../../contracts/solidarity.ts';
import { api } from '../../app/api.ts';
import { AuthLayout } from '../../ui/AuthLayout.tsx';

/**
 * /aide/:token — the personal link of a call for help (no account): the question, « Oui » /
 * « Non » and, for a yes, when one is available. Made for a phone; the answer can change while
 * the call is open.
 */
export function HelpAnswerPage() {
  const { token = '' } = useParams();
  const client = useQueryClient();
  const view = useQuery({ queryKey: ['help-answer', token], queryFn: () => api<HelpAnswerView>('GET', `/api/public/help/${token}`), retry: false });
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [done, setDone] = useState<'yes' | 'no' | null>(null);
  if (view.isError) {
    return (
      <AuthLayout title="Appel à l’aide">
        <Text>Ce lien de réponse n’existe pas ou n’est plus valable.</Text>
      </AuthLayout>
    );
  }
  const v = view.data;
  if (!v) return null;
  const answer = async (a: 'yes' | 'no') => {
    setError(null);
    setSending(true);
    try {
      await api('POST', `/api/public/help/${token}`, { answer: a, ...(a === 'yes' && (note ?? v.note) ? { note: note ?? v.note ?? '' } : {}) });
      setDone(a);
      await client.invalidateQueries({ queryKey: ['help-answer', token] });
    } catch (e) {
      setError(e instanceof Error ? e.message : 'La réponse n’a pas pu être enregistrée.');
    } finally {
      setSending(false);
    }
  };
  return (
    <AuthLayout title="Appel à l’aide">
      <Stack>
        <Text size="sm" c="dimmed">
          {v.organisation} vous pose une question :
        </Text>
        <Text fw={600} fz="lg">
          {v.question}
        </Text>
        {!v.open && <Alert color="gray">Cet appel à l’aide est clos : merci, il n’attend plus de réponse.</Alert>}
        {done === 'yes' && <Alert color="teal">Merci ! Votre « oui » est enregistré : le bailleur vous rappelle.</Alert>}
        {done === 'no' && <Alert color="teal">Merci, votre réponse est enregistrée.</Alert>}
        {!done && v.answer && <Text size="sm">Vous avez répondu « {v.answer === 'yes' ? 'oui' : 'non'} » : vous pouvez changer votre réponse.</Text>}
        {v.open && (
          <>
            <Textarea
              label="Vos disponibilités (si oui, facultatif)"
              placeholder="Par exemple : le mardi et le jeudi après-midi"
              maxLength={300}
              value={note ?? v.note ?? ''}
              onChange={(e) => setNote(e.currentTarget.value)}
            />
            {error && <Alert color="red">{error}</Alert>}
            <Group grow>
              <Button size="lg" color="teal" onClick={() => answer('yes')} loading={sending}>
                Oui
              </Button>
              <Button size="lg" variant="default" onClick={() => answer('no')} loading={sending}>
                Non
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </AuthLayout>
  );
}
