import { Anchor, Badge, Button, Card, Group, NumberInput, Select, Stack, Switch, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { frenchDay } from '../../../contracts/paris-time.ts';
import {
  type LendingAudience,
  type LendingOfferRow,
  lendingAudienceLabels,
  lendingAudiences,
  offerStatusLabels,
  type RequesterKind,
  requesterKindLabels,
  requesterKinds,
} from '../../../contracts/solidarity.ts';
import { useCan } from '../../app/session.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { useCreateOffer, useCreateRequest, useLend, useMatches, useOffers, useRequests, useVacantUnits, useWithdrawOffer } from './api.ts';

const audienceOptions = lendingAudiences.map((a) => ({ value: a, label: lendingAudienceLabels[a] }));
const placeText = (o: LendingOfferRow) =>
  o.place ? `${o.place.unitRef}, ${o.place.residence} — ${o.place.address}` : `Adresse confidentielle — ${o.postalCode} ${o.city}`;

/**
 * /logements-pretes: vacant homes lent to health workers and as shelters (issue 17). Staff offer
 * vacant units and lend them to requests; a partner's user files requests and follows its own. A
 * shelter's address shows only to its keeper and the request's referent (the database decides).
 */
export function LendingPage() {
  usePageTitle('Logements prêtés');
  const manages = useCan()('lending.manage');
  return (
    <Stack>
      <Title order={1}>Logements prêtés</Title>
      <Text size="sm">
        Des logements vacants prêtés gratuitement à des soignant·es ou pour mettre à l’abri des femmes victimes de violences, à la demande d’un hôpital, d’un
        établissement ou d’une association. Une demande ne contient que les dates, le secteur et le nombre de personnes : jamais de nom. L’adresse d’un logement
        de mise à l’abri n’est visible que de la personne qui garde l’offre et du ou de la référent·e de la demande.
      </Text>
      {manages && <OfferForm />}
      <RequestForm />
      <Requests manages={manages} />
      {manages && <Offers />}
    </Stack>
  );
}

function OfferForm() {
  const units = useVacantUnits(true);
  const create = useCreateOffer();
  const [unitId, setUnitId] = useState<string | null>(null);
  const [audience, setAudience] = useState<LendingAudience>('health_workers');
  const [furnished, setFurnished] = useState(true);
  const [availableFrom, setFrom] = useState('');
  const [availableTo, setTo] = useState('');
  const [capacity, setCapacity] = useState<number | string>(2);
  const submit = () => {
    if (!unitId) return notifyError(new Error('Choisissez un logement vacant.'));
    create.mutate(
      { unitId, audience, furnished, availableFrom, availableTo, capacity: Number(capacity) },
      { onSuccess: () => notifySuccess('Le logement est proposé au prêt.'), onError: notifyError },
    );
  };
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        Proposer un logement vacant
      </Title>
      <Stack gap="xs">
        <Select
          label="Logement vacant"
          searchable
          data={(units.data ?? []).map((u) => ({ value: u.id, label: `${u.erpRef} — ${u.residence}, ${u.address}, ${u.postalCode} ${u.city}` }))}
          value={unitId}
          onChange={setUnitId}
          nothingFoundMessage="Aucun logement vacant"
        />
        <Group grow>
          <Select label="Pour" data={audienceOptions} value={audience} onChange={(v) => v && setAudience(v as LendingAudience)} allowDeselect={false} />
          <NumberInput label="Personnes au plus" min={1} max={12} value={capacity} onChange={setCapacity} />
        </Group>
        <Group grow>
          <TextInput type="date" label="Disponible du" value={availableFrom} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput type="date" label="au" value={availableTo} onChange={(e) => setTo(e.currentTarget.value)} />
        </Group>
        <Switch label="Meublé" checked={furnished} onChange={(e) => setFurnished(e.currentTarget.checked)} />
        <Group>
          <Button onClick={submit} loading={create.isPending}>
            Proposer
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function RequestForm() {
  const create = useCreateRequest();
  const [audience, setAudience] = useState<LendingAudience>('health_workers');
  const [requesterKind, setKind] = useState<RequesterKind>('hospital');
  const [requesterName, setName] = useState('');
  const [neededFrom, setFrom] = useState('');
  const [neededTo, setTo] = useState('');
  const [area, setArea] = useState('');
  const [householdSize, setSize] = useState<number | string>(1);
  const submit = () =>
    create.mutate(
      { audience, requesterKind, requesterName, neededFrom, neededTo, area, householdSize: Number(householdSize) },
      { onSuccess: () => notifySuccess('La demande est enregistrée.'), onError: notifyError },
    );
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        Demander un logement
      </Title>
      <Stack gap="xs">
        <Group grow>
          <Select label="Pour" data={audienceOptions} value={audience} onChange={(v) => v && setAudience(v as LendingAudience)} allowDeselect={false} />
          <Select
            label="Demandeur"
            data={requesterKinds.map((k) => ({ value: k, label: requesterKindLabels[k] }))}
            value={requesterKind}
            onChange={(v) => v && setKind(v as RequesterKind)}
            allowDeselect={false}
          />
          <TextInput label="Nom de la structure" value={requesterName} onChange={(e) => setName(e.currentTarget.value)} />
        </Group>
        <Group grow>
          <TextInput type="date" label="Du" value={neededFrom} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput type="date" label="au" value={neededTo} onChange={(e) => setTo(e.currentTarget.value)} />
          <TextInput label="Secteur (département ou code postal)" value={area} onChange={(e) => setArea(e.currentTarget.value)} />
          <NumberInput label="Personnes" min={1} max={12} value={householdSize} onChange={setSize} />
        </Group>
        <Text size="xs" c="dimmed">
          N’indiquez aucun nom : le nom de la personne hébergée s’écrit à la main sur la convention, à la remise des clés.
        </Text>
        <Group>
          <Button onClick={submit} loading={create.isPending}>
            Enregistrer la demande
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function Requests({ manages }: { manages: boolean }) {
  const requests = useRequests();
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        Demandes
      </Title>
      {requests.data?.length === 0 && <Text size="sm">Aucune demande en cours.</Text>}
      {!!requests.data?.length && (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Structure</Table.Th>
              <Table.Th>Pour</Table.Th>
              <Table.Th>Dates</Table.Th>
              <Table.Th>Secteur</Table.Th>
              <Table.Th>Personnes</Table.Th>
              <Table.Th>Référent·e</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {requests.data.map((q) => (
              <Table.Tr key={q.id}>
                <Table.Td>{q.requesterName}</Table.Td>
                <Table.Td>{lendingAudienceLabels[q.audience]}</Table.Td>
                <Table.Td>
                  {frenchDay(q.neededFrom)} – {frenchDay(q.neededTo)}
                </Table.Td>
                <Table.Td>{q.area}</Table.Td>
                <Table.Td>{q.householdSize}</Table.Td>
                <Table.Td>{q.referent}</Table.Td>
                <Table.Td>
                  {q.lendingId ? (
                    <Anchor component={Link} to={`/logements-pretes/${q.lendingId}`}>
                      Voir le prêt
                    </Anchor>
                  ) : manages ? (
                    <Button size="xs" variant="light" onClick={() => setOpen(open === q.id ? null : q.id)}>
                      Logements qui conviennent
                    </Button>
                  ) : (
                    <Badge color="gray">en attente</Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {open && <Matches requestId={open} />}
    </Card>
  );
}

function Matches({ requestId }: { requestId: string }) {
  const matches = useMatches(requestId);
  const lend = useLend();
  return (
    <Stack mt="sm" gap="xs">
      <Title order={3} size="h5">
        Logements qui conviennent
      </Title>
      {matches.data?.length === 0 && <Text size="sm">Aucun logement disponible pour ces dates, ce secteur et ce nombre de personnes.</Text>}
      {matches.data?.map((m) => (
        <Group key={m.offer.id} justify="space-between">
          <Text size="sm">
            {placeText(m.offer)} · {m.offer.capacity} pers. · {m.offer.furnished ? 'meublé' : 'non meublé'} · du {frenchDay(m.offer.availableFrom)} au{' '}
            {frenchDay(m.offer.availableTo)}
          </Text>
          <Button
            size="xs"
            onClick={() =>
              lend.mutate(
                { offerId: m.offer.id, requestId },
                { onSuccess: () => notifySuccess('Le logement est attribué : la convention est prête.'), onError: notifyError },
              )
            }
          >
            Prêter ce logement
          </Button>
        </Group>
      ))}
    </Stack>
  );
}

function Offers() {
  const offers = useOffers(true);
  const withdraw = useWithdrawOffer();
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        Logements proposés
      </Title>
      {offers.data?.length === 0 && <Text size="sm">Aucun logement proposé.</Text>}
      {!!offers.data?.length && (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Logement</Table.Th>
              <Table.Th>Pour</Table.Th>
              <Table.Th>Disponible</Table.Th>
              <Table.Th>Personnes</Table.Th>
              <Table.Th>Statut</Table.Th>
              <Table.Th>Gardé par</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {offers.data.map((o) => (
              <Table.Tr key={o.id}>
                <Table.Td>{placeText(o)}</Table.Td>
                <Table.Td>{lendingAudienceLabels[o.audience]}</Table.Td>
                <Table.Td>
                  {frenchDay(o.availableFrom)} – {frenchDay(o.availableTo)}
                </Table.Td>
                <Table.Td>{o.capacity}</Table.Td>
                <Table.Td>{offerStatusLabels[o.status]}</Table.Td>
                <Table.Td>{o.keeper}</Table.Td>
                <Table.Td>
                  {o.status === 'open' && o.place && (
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() => withdraw.mutate(o.id, { onSuccess: () => notifySuccess('Offre retirée.'), onError: notifyError })}
                    >
                      Retirer l’offre {o.place.unitRef}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
