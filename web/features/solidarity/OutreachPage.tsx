import { Alert, Button, Card, Checkbox, Group, MultiSelect, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { HouseholdHit } from '../../../contracts/households.ts';
import { frenchDay } from '../../../contracts/paris-time.ts';
import { plural } from '../../../contracts/plural.ts';
import { type OutreachTopic, type outreachEventRow, type outreachSummary, outreachTopicLabels, outreachTopics } from '../../../contracts/solidarity.ts';
import { api } from '../../app/api.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { type InvitationFigures, Invitations } from './Invitations.tsx';

type EventRow = z.infer<typeof outreachEventRow>;
type Summary = z.infer<typeof outreachSummary>;
type Options = { residences: { id: string; name: string }[]; partners: { id: string; name: string }[]; staff: { id: string; name: string }[] };
const key = ['outreach'] as const;

/**
 * /au-pied-des-immeubles: plan an afternoon at the foot of a building, then on a phone note each
 * contact and its topics (a topic with a household opens its case), and read the summary.
 */
export function OutreachPage() {
  usePageTitle('Au pied des immeubles');
  const events = useQuery({ queryKey: [...key, 'list'], queryFn: () => api<EventRow[]>('GET', '/api/solidarity/outreach') });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Stack>
      <Title order={1}>Au pied des immeubles</Title>
      <Text size="sm">
        Un après-midi au pied d’une résidence avec des partenaires : notez chaque contact et les sujets abordés. Avec le ménage, chaque sujet ouvre (ou rejoint)
        son dossier dans l’agence du ménage.
      </Text>
      <PlanEvent />
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Après-midis prévus
        </Title>
        {events.data?.length === 0 && <Text size="sm">Aucun après-midi prévu.</Text>}
        {!!events.data?.length && (
          <Table>
            <Table.Tbody>
              {events.data.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{frenchDay(e.heldOn)}</Table.Td>
                  <Table.Td>{e.residence}</Table.Td>
                  <Table.Td>{plural(e.contacts, 'contact', 'contacts')}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="light" onClick={() => setOpen(e.id)}>
                      Ouvrir {e.residence}, le {frenchDay(e.heldOn)}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {open && <EventDay id={open} invitations={events.data?.find((e) => e.id === open)?.invitations ?? null} />}
    </Stack>
  );
}

function PlanEvent() {
  const client = useQueryClient();
  const options = useQuery({ queryKey: [...key, 'options'], queryFn: () => api<Options>('GET', '/api/solidarity/outreach/options') });
  const [residenceId, setResidence] = useState<string | null>(null);
  const [heldOn, setHeldOn] = useState('');
  const [partnerIds, setPartners] = useState<string[]>([]);
  const [staffIds, setStaff] = useState<string[]>([]);
  const plan = useMutation({
    mutationFn: () => api<{ id: string }>('POST', '/api/solidarity/outreach', { residenceId, heldOn, partnerIds, staffIds }),
    onSuccess: () => {
      notifySuccess('Après-midi prévu.');
      return client.invalidateQueries({ queryKey: key });
    },
    onError: notifyError,
  });
  const as = (xs: { id: string; name: string }[] | undefined) => (xs ?? []).map((x) => ({ value: x.id, label: x.name }));
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h4">
          Prévoir un après-midi
        </Title>
        <Select label="Résidence" data={as(options.data?.residences)} value={residenceId} onChange={setResidence} searchable />
        <TextInput type="date" label="Le" value={heldOn} onChange={(e) => setHeldOn(e.currentTarget.value)} />
        <MultiSelect label="Partenaires présents" data={as(options.data?.partners)} value={partnerIds} onChange={setPartners} searchable />
        <MultiSelect label="Salarié·es et gardien·nes présents" data={as(options.data?.staff)} value={staffIds} onChange={setStaff} searchable />
        <Group>
          <Button onClick={() => plan.mutate()} loading={plan.isPending}>
            Prévoir l’après-midi
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function EventDay({ id, invitations }: { id: string; invitations: InvitationFigures | null }) {
  const client = useQueryClient();
  const summary = useQuery({ queryKey: [...key, 'summary', id], queryFn: () => api<Summary>('GET', `/api/solidarity/outreach/${id}`) });
  const [query, setQuery] = useState('');
  const [household, setHousehold] = useState<HouseholdHit | null>(null);
  const [topics, setTopics] = useState<OutreachTopic[]>([]);
  const [healthAgreed, setHealthAgreed] = useState(false);
  const hits = useQuery({
    queryKey: ['outreach-search', query],
    queryFn: () => api<HouseholdHit[]>('POST', '/api/households/search', { query }),
    enabled: query !== '',
    retry: false,
  });
  const record = useMutation({
    mutationFn: () =>
      api<{ caseIds: string[] }>('POST', `/api/solidarity/outreach/${id}/contacts`, {
        ...(household ? { householdId: household.id } : {}),
        topics,
        healthAgreed,
      }),
    onSuccess: (r) => {
      notifySuccess(
        r.caseIds.length ? `Contact noté : ${plural(r.caseIds.length, 'dossier ouvert ou complété', 'dossiers ouverts ou complétés')}.` : 'Contact noté.',
      );
      setHousehold(null);
      setQuery('');
      setTopics([]);
      setHealthAgreed(false);
      return client.invalidateQueries({ queryKey: key });
    },
    onError: notifyError,
  });
  const invite = useMutation({
    mutationFn: () => api<{ invited: number }>('POST', `/api/solidarity/outreach/${id}/invitations`),
    onSuccess: (r) => {
      notifySuccess(`${plural(r.invited, 'ménage invité', 'ménages invités')} : un SMS, sinon un courrier à imprimer.`);
      return client.invalidateQueries({ queryKey: key });
    },
    onError: notifyError,
  });
  const s = summary.data;
  return (
    <>
      <Card withBorder>
        <Stack gap="xs">
          <Title order={2} size="h4">
            Inviter la résidence
          </Title>
          <Invitations figures={invitations} />
          {!invitations && (
            <Group>
              <Button variant="light" onClick={() => invite.mutate()} loading={invite.isPending}>
                Inviter les ménages de la résidence (SMS, sinon courrier)
              </Button>
            </Group>
          )}
        </Stack>
      </Card>
      <Card withBorder>
        <Stack gap="xs">
          <Title order={2} size="h4">
            Noter un contact{s ? ` — ${s.residence}, le ${frenchDay(s.heldOn)}` : ''}
          </Title>
          {!household && (
            <form
              aria-label="Rechercher le ménage (facultatif)"
              onSubmit={(e) => {
                e.preventDefault();
                setQuery(String(new FormData(e.currentTarget).get('query') ?? '').trim());
              }}
            >
              <Group align="end">
                <TextInput name="query" label="Ménage (facultatif)" description="Nom, adresse ou référence" style={{ flex: 1 }} />
                <Button type="submit" variant="default">
                  Rechercher
                </Button>
              </Group>
            </form>
          )}
          {hits.error && <Alert color="red">{hits.error.message}</Alert>}
          {!household &&
            hits.data?.map((h) => (
              <Group key={h.id} justify="space-between">
                <Text size="sm">
                  {h.persons.join(', ')} — {h.erpRef}
                </Text>
                <Button size="xs" variant="light" onClick={() => setHousehold(h)}>
                  Choisir le ménage {h.erpRef}
                </Button>
              </Group>
            ))}
          {household && (
            <Text size="sm">
              Ménage : {household.persons.join(', ')} — {household.erpRef}{' '}
              <Button size="xs" variant="subtle" onClick={() => setHousehold(null)}>
                Sans le ménage
              </Button>
            </Text>
          )}
          <Checkbox.Group label="Sujets abordés" value={topics} onChange={(v) => setTopics(v as OutreachTopic[])}>
            <Group mt={4}>
              {outreachTopics.map((t) => (
                <Checkbox key={t} value={t} label={outreachTopicLabels[t]} />
              ))}
            </Group>
          </Checkbox.Group>
          {household && topics.includes('health') && (
            <Checkbox label="Le ménage accepte d’être suivi pour sa santé" checked={healthAgreed} onChange={(e) => setHealthAgreed(e.currentTarget.checked)} />
          )}
          <Group>
            <Button onClick={() => record.mutate()} loading={record.isPending} disabled={topics.length === 0}>
              Noter le contact
            </Button>
          </Group>
        </Stack>
      </Card>
      {s && (
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            Bilan
          </Title>
          <Text size="sm">
            {plural(s.contacts, 'contact', 'contacts')} (dont {s.withHousehold} avec le ménage) ·{' '}
            {plural(s.casesOpened, 'dossier ouvert ou complété', 'dossiers ouverts ou complétés')}
          </Text>
          <Text size="sm">{outreachTopics.map((t) => `${outreachTopicLabels[t]} : ${s.topics[t]}`).join(' · ')}</Text>
          {s.partners.length > 0 && <Text size="sm">Partenaires : {s.partners.join(', ')}</Text>}
          {s.staff.length > 0 && <Text size="sm">Présents : {s.staff.join(', ')}</Text>}
        </Card>
      )}
    </>
  );
}
