import { Anchor, Button, Card, Checkbox, Group, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import { frenchDay } from '../../../contracts/paris-time.ts';
import { plural } from '../../../contracts/plural.ts';
import { type DistributionKind, distributionKindLabels, distributionKinds, type distributionRow, type PartnerList } from '../../../contracts/solidarity.ts';
import { api } from '../../app/api.ts';
import { useCan } from '../../app/session.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { type InvitationFigures, Invitations } from './Invitations.tsx';

type Distribution = z.infer<typeof distributionRow>;
const key = ['distributions'] as const;

/**
 * /distributions: food distributions with a partner. Staff plan one, invite the households of the
 * open food cases or of a segment, and follow who came; a partner's user sees their partner's
 * distributions and ticks who came on the list (only the name and the number of people).
 */
export function DistributionsPage() {
  usePageTitle('Distributions');
  const manages = useCan()('distributions.manage');
  const list = useQuery({ queryKey: [...key, 'list'], queryFn: () => api<Distribution[]>('GET', '/api/solidarity/distributions') });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Stack>
      <Title order={1}>Distributions</Title>
      <Text size="sm">
        Colis alimentaires, repas ou kits d’hygiène distribués avec une association. La liste du partenaire ne porte que le nom à appeler et le nombre de
        personnes du ménage : ni adresse, ni téléphone, ni la raison de l’invitation.
      </Text>
      {manages && <PlanDistribution />}
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Distributions prévues
        </Title>
        {list.data?.length === 0 && <Text size="sm">Aucune distribution.</Text>}
        {!!list.data?.length && (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Le</Table.Th>
                <Table.Th>Distribution</Table.Th>
                <Table.Th>Lieu</Table.Th>
                <Table.Th>Invités</Table.Th>
                <Table.Th>Venus</Table.Th>
                <Table.Th>Liste</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{frenchDay(d.heldOn)}</Table.Td>
                  <Table.Td>
                    {distributionKindLabels[d.kind]} — {d.partner}
                  </Table.Td>
                  <Table.Td>{d.place}</Table.Td>
                  <Table.Td>
                    {d.invited} / {d.capacity}
                  </Table.Td>
                  <Table.Td>{d.attended}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="light" onClick={() => setOpen(open === d.id ? null : d.id)}>
                      Ouvrir la liste du {frenchDay(d.heldOn)}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {open && <DistributionList id={open} manages={manages} invitations={list.data?.find((d) => d.id === open)?.invitations ?? null} />}
    </Stack>
  );
}

function PlanDistribution() {
  const client = useQueryClient();
  const partners = useQuery({
    queryKey: [...key, 'partners'],
    queryFn: () => api<{ id: string; name: string }[]>('GET', '/api/solidarity/distribution-partners'),
  });
  const [partnerId, setPartner] = useState<string | null>(null);
  const [kind, setKind] = useState<DistributionKind>('food_parcel');
  const [heldOn, setHeldOn] = useState('');
  const [place, setPlace] = useState('');
  const [capacity, setCapacity] = useState<number | string>(50);
  const create = useMutation({
    mutationFn: () => api<{ id: string }>('POST', '/api/solidarity/distributions', { partnerId, kind, heldOn, place, capacity: Number(capacity) }),
    onSuccess: () => {
      notifySuccess('Distribution prévue : invitez maintenant les ménages.');
      return client.invalidateQueries({ queryKey: key });
    },
    onError: notifyError,
  });
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h4">
          Prévoir une distribution
        </Title>
        <Group grow align="start">
          <Select label="Partenaire" data={(partners.data ?? []).map((p) => ({ value: p.id, label: p.name }))} value={partnerId} onChange={setPartner} />
          <Select
            label="Distribution"
            data={distributionKinds.map((k) => ({ value: k, label: distributionKindLabels[k] }))}
            value={kind}
            onChange={(v) => v && setKind(v as DistributionKind)}
            allowDeselect={false}
          />
        </Group>
        <Group grow align="start">
          <TextInput type="date" label="Le" value={heldOn} onChange={(e) => setHeldOn(e.currentTarget.value)} />
          <TextInput
            label="Lieu"
            description="Salle commune d’une résidence ou locaux du partenaire"
            value={place}
            onChange={(e) => setPlace(e.currentTarget.value)}
          />
          <NumberInput label="Ménages au plus" min={1} max={2000} value={capacity} onChange={setCapacity} />
        </Group>
        <Group>
          <Button onClick={() => create.mutate()} loading={create.isPending}>
            Prévoir la distribution
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function DistributionList({ id, manages, invitations }: { id: string; manages: boolean; invitations: InvitationFigures | null }) {
  const client = useQueryClient();
  const list = useQuery({ queryKey: [...key, 'detail', id], queryFn: () => api<PartnerList>('GET', `/api/solidarity/distributions/${id}/list`) });
  const refresh = () => client.invalidateQueries({ queryKey: key });
  const invite = useMutation({
    mutationFn: () => api<{ added: number }>('POST', `/api/solidarity/distributions/${id}/invitees`, { from: 'food_cases' }),
    onSuccess: (r) => {
      notifySuccess(`${plural(r.added, 'ménage invité', 'ménages invités')} (dossiers « alimentation » ouverts).`);
      return refresh();
    },
    onError: notifyError,
  });
  const mark = useMutation({
    mutationFn: (v: { householdId: string; attended: boolean }) => api('POST', `/api/solidarity/distributions/${id}/attendance`, v),
    onSuccess: refresh,
    onError: notifyError,
  });
  const l = list.data;
  if (!l) return null;
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {distributionKindLabels[l.kind]} — {l.partner}, le {frenchDay(l.heldOn)}
        </Title>
        <Group>
          {manages && (
            <Button variant="light" onClick={() => invite.mutate()} loading={invite.isPending}>
              Inviter les ménages des dossiers « alimentation »
            </Button>
          )}
          <Anchor href={`/api/solidarity/distributions/${id}/list.pdf`} download>
            Imprimer la liste du partenaire (PDF)
          </Anchor>
        </Group>
        <Text size="sm">{plural(l.lines.length, 'ménage invité', 'ménages invités')} : chacun reçoit un SMS, sinon un courrier à imprimer.</Text>
        <Invitations figures={invitations} />
        {l.lines.map((line) => (
          <Checkbox
            key={line.householdId}
            label={`${line.name} — ${plural(line.persons, 'personne', 'personnes')}`}
            checked={line.attended === true}
            onChange={(e) => mark.mutate({ householdId: line.householdId, attended: e.currentTarget.checked })}
          />
        ))}
      </Stack>
    </Card>
  );
}
