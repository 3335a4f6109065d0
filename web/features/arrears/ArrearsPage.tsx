import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Pagination,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { type PlanKind, planKindLabels, planKinds } from '../../../contracts/arrears.ts';
import { plural } from '../../../contracts/plural.ts';
import { useCan } from '../../app/session.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { useAgencies } from '../users/api.ts';
import { type ArrearsRow, euros, frenchDay, useArrearsView, useCreatePlan, useOpenRentCase, usePause } from './api.ts';

const PAGE = 50;
/** Today in Paris, yyyy-mm-dd (the ISO date would be yesterday's before 1:00 or 2:00 in Paris). */
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });

/** « Impayés nouveaux ou aggravés depuis le … »: the view, a rent case or a plan from a row, crisis pauses. */
export function ArrearsPage() {
  usePageTitle('Impayés');
  const can = useCan();
  const navigate = useNavigate();
  const agencies = useAgencies();
  const [since, setSince] = useState('2020-03-17');
  const [agencyId, setAgencyId] = useState<string | null>(null);
  const [sort, setSort] = useState<'amount' | 'growth'>('amount');
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string[]>([]);
  const [planFor, setPlanFor] = useState<ArrearsRow | null>(null);
  const validSince = /^\d{4}-\d{2}-\d{2}$/.test(since);
  const view = useArrearsView({ since: validSince ? since : '2020-03-17', sort, page, limit: PAGE, ...(agencyId ? { agencyId } : {}) });
  const openCase = useOpenRentCase();
  const rows = view.data?.rows ?? [];
  const pausing = can('arrears.pause');

  const onOpenCase = (row: ArrearsRow) =>
    openCase.mutate(row.householdId, {
      onSuccess: ({ id }) => (can('followups.work') ? navigate(`/dossiers/${id}`) : notifySuccess(`Dossier « impayés » ouvert pour ${row.householdRef}.`)),
      onError: notifyError,
    });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Impayés nouveaux ou aggravés</Title>
        {can('arrears.import') && (
          <Anchor component={Link} to="/impayes/soldes">
            Déposer un fichier de soldes
          </Anchor>
        )}
      </Group>
      <Text size="sm">
        Les ménages dont la dette est apparue ou a augmenté depuis la date choisie (par exemple le début d’un confinement), avec le montant, la hausse et le
        nombre de mois de loyer qu’elle représente.
      </Text>
      <Group align="end">
        <TextInput
          type="date"
          label="Depuis le"
          value={since}
          onChange={(e) => {
            setSince(e.currentTarget.value);
            setPage(1);
          }}
          error={validSince ? undefined : 'Date invalide'}
        />
        <Select
          label="Agence"
          placeholder="Toutes les agences"
          clearable
          data={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
          value={agencyId}
          onChange={(v) => {
            setAgencyId(v);
            setPage(1);
          }}
        />
        <SegmentedControl
          aria-label="Trier"
          value={sort}
          onChange={(v) => setSort(v as 'amount' | 'growth')}
          data={[
            { value: 'amount', label: 'Par montant' },
            { value: 'growth', label: 'Par hausse' },
          ]}
        />
      </Group>
      {view.error && (
        <Alert color="red" role="alert">
          {view.error.message}
        </Alert>
      )}
      <Text size="sm" aria-live="polite">
        {view.isLoading ? 'Chargement…' : plural(view.data?.total ?? 0, 'ménage')}
      </Text>
      <Table.ScrollContainer minWidth={960}>
        <Table aria-label="Impayés nouveaux ou aggravés" striped>
          <Table.Thead>
            <Table.Tr>
              {pausing && <Table.Th>Choisir</Table.Th>}
              <Table.Th>Ménage</Table.Th>
              <Table.Th>Résidence</Table.Th>
              <Table.Th>Dette</Table.Th>
              <Table.Th>Hausse</Table.Th>
              <Table.Th>Mois de loyer</Table.Th>
              <Table.Th>État</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.householdId}>
                {pausing && (
                  <Table.Td>
                    <Checkbox
                      aria-label={`Choisir ${r.householdRef}`}
                      checked={selected.includes(r.householdId)}
                      onChange={(e) => {
                        const on = e.currentTarget.checked;
                        setSelected((s) => (on ? [...s, r.householdId] : s.filter((x) => x !== r.householdId)));
                      }}
                    />
                  </Table.Td>
                )}
                <Table.Td>
                  <Anchor component={Link} to={`/menages/${r.householdId}`}>
                    {r.holder || r.householdRef}
                  </Anchor>
                  <Text size="xs">{r.householdRef}</Text>
                </Table.Td>
                <Table.Td>
                  {r.residence}
                  <Text size="xs">{r.agency}</Text>
                </Table.Td>
                <Table.Td>{euros(r.balanceCents)}</Table.Td>
                <Table.Td>{r.beforeCents === null ? `nouvelle (+${euros(r.growthCents)})` : `+${euros(r.growthCents)}`}</Table.Td>
                <Table.Td>{r.monthsOfRent === null ? '—' : r.monthsOfRent.toLocaleString('fr-FR')}</Table.Td>
                <Table.Td>
                  <Stack gap={4}>
                    {r.activePlanId && <Badge color="blue">Plan en cours</Badge>}
                    {r.pausedUntil && <Text size="xs">Relances suspendues jusqu’au {frenchDay(r.pausedUntil)}</Text>}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Stack gap={4} align="flex-start">
                    <Button size="xs" variant="light" onClick={() => onOpenCase(r)} loading={openCase.isPending}>
                      Dossier impayés
                    </Button>
                    <Button size="xs" onClick={() => setPlanFor(r)}>
                      Plan de paiement
                    </Button>
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {(view.data?.total ?? 0) > PAGE && <Pagination total={Math.ceil((view.data?.total ?? 0) / PAGE)} value={page} onChange={setPage} aria-label="Pages" />}
      {pausing && <PauseForm householdIds={selected} onDone={() => setSelected([])} />}
      <Modal opened={planFor !== null} onClose={() => setPlanFor(null)} title={`Plan de paiement — ${planFor?.householdRef ?? ''}`}>
        {planFor && <PlanForm row={planFor} onDone={() => setPlanFor(null)} />}
      </Modal>
    </Stack>
  );
}

/** Crisis mode: suspend the reminders of the chosen households until a date, with a reason. */
function PauseForm({ householdIds, onDone }: { householdIds: string[]; onDone: () => void }) {
  const pause = usePause();
  const [untilOn, setUntilOn] = useState('');
  const [reason, setReason] = useState('');
  return (
    <Stack gap="xs" maw={700}>
      <Title order={2} size="h4">
        Mode crise : suspendre les relances
      </Title>
      <Text size="sm">
        {plural(householdIds.length, 'ménage choisi', 'ménages choisis')} dans la liste. Tant que la pause dure, aucune échéance manquée ne crée de tâche.
      </Text>
      <Group align="end">
        <TextInput type="date" label="Jusqu’au" value={untilOn} onChange={(e) => setUntilOn(e.currentTarget.value)} />
        <TextInput label="Motif" value={reason} onChange={(e) => setReason(e.currentTarget.value)} w={300} />
        <Button
          disabled={!householdIds.length || !untilOn || reason.trim().length < 3}
          loading={pause.isPending}
          onClick={() =>
            pause.mutate(
              { householdIds, untilOn, reason },
              {
                onSuccess: (r) => {
                  notifySuccess(`Relances suspendues pour ${plural(r.households, 'ménage')}.`);
                  onDone();
                },
                onError: notifyError,
              },
            )
          }
        >
          Suspendre les relances
        </Button>
      </Group>
    </Stack>
  );
}

/** A signed plan: report, étalement or plan d’apurement; the server computes the schedule. */
function PlanForm({ row, onDone }: { row: ArrearsRow; onDone: () => void }) {
  const create = useCreatePlan();
  const [kind, setKind] = useState<PlanKind>('clearance');
  const [amount, setAmount] = useState<number | string>(row.balanceCents / 100);
  const [months, setMonths] = useState<number | string>(6);
  const [startOn, setStartOn] = useState(today());
  const [signedOn, setSignedOn] = useState(today());
  const submit = () =>
    create.mutate(
      { householdId: row.householdId, kind, amountCents: Math.round(Number(amount) * 100), months: Number(months), startOn, signedOn },
      {
        onSuccess: () => {
          notifySuccess(`Plan enregistré pour ${row.householdRef} : ses échéances sont suivies à chaque fichier de soldes.`);
          onDone();
        },
        onError: notifyError,
      },
    );
  return (
    <Stack>
      <Text size="sm">Dette connue : {euros(row.balanceCents)}</Text>
      <Select
        label="Type de plan"
        data={planKinds.map((k) => ({ value: k, label: planKindLabels[k] }))}
        value={kind}
        onChange={(v) => v && setKind(v as PlanKind)}
        allowDeselect={false}
      />
      <NumberInput label="Montant (€)" value={amount} onChange={setAmount} min={0.01} decimalScale={2} decimalSeparator="," />
      <NumberInput label={kind === 'deferral' ? 'Report de (mois)' : 'Nombre de mois'} value={months} onChange={setMonths} min={1} max={120} />
      <TextInput type="date" label="Première échéance" value={startOn} onChange={(e) => setStartOn(e.currentTarget.value)} />
      <TextInput type="date" label="Signé le" value={signedOn} onChange={(e) => setSignedOn(e.currentTarget.value)} />
      <Button onClick={submit} loading={create.isPending}>
        Enregistrer le plan
      </Button>
    </Stack>
  );
}
