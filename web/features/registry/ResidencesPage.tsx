import { Badge, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { plural } from '../../../contracts/plural.ts';
import type { CaretakerOption, ResidenceRow } from '../../../contracts/residences.ts';
import { useCan, useMe } from '../../app/session.ts';
import { DataTable, fromQuery } from '../../ui/DataTable.tsx';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { useAgencies } from '../users/api.ts';
import { useAssignCaretaker, useCaretakers, useResidences } from './residences-api.ts';

const NOBODY = 'personne';

/** /residences: the residences of the organisation (of a manager's agencies) and who is their caretaker. */
export function ResidencesPage() {
  usePageTitle('Résidences');
  const me = useMe();
  // Users of the whole organisation (or of no agency in particular) choose among every agency.
  const everyAgency = useCan()('agencies.all') || !me.data?.agencyIds.length;
  const agencies = useAgencies();
  const [agencyId, setAgencyId] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const list = useResidences({ agencyId, q: debouncedQ });
  const caretakers = useCaretakers();
  return (
    <Stack>
      <Title order={1}>Résidences</Title>
      <Text size="sm">
        Confiez chaque résidence à son ou sa gardien·ne : les visites de porte-à-porte de la résidence lui sont adressées, y compris celles déjà en attente.
        Sans gardien·ne, elles vont à tous les gardien·nes de l’agence.
      </Text>
      <Group align="end">
        {everyAgency || me.data?.agencyIds.length !== 1 ? (
          <Select
            label="Agence"
            placeholder="Toutes les agences"
            clearable
            value={agencyId}
            onChange={setAgencyId}
            data={(agencies.data ?? []).filter((a) => everyAgency || me.data?.agencyIds.includes(a.id)).map((a) => ({ value: a.id, label: a.name }))}
          />
        ) : null}
        <TextInput label="Rechercher" placeholder="Nom, adresse, commune ou code" value={q} onChange={(e) => setQ(e.currentTarget.value)} />
      </Group>
      <DataTable
        label="Résidences"
        {...fromQuery(list)}
        summary={list.data && `${plural(list.data.length, 'résidence')}${list.data.length >= 1000 ? ' (les 1 000 premières : précisez la recherche)' : ''}`}
        empty="Aucune résidence ne correspond à cette recherche."
        loadingLabel="Chargement des résidences…"
        rowKey={(r) => r.id}
        columns={[
          {
            header: 'Résidence',
            cell: (r) => (
              <>
                {r.name}{' '}
                <Text span c="dimmed" size="sm">
                  ({r.erpCode})
                </Text>{' '}
                {r.qpv && <Badge size="xs">QPV</Badge>}
              </>
            ),
          },
          { header: 'Adresse', cell: (r) => [r.address, [r.postalCode, r.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') || '—' },
          { header: 'Agence', cell: (r) => r.agency },
          { header: 'Ménages présents', cell: (r) => r.households },
          { header: 'Gardien·ne', cell: (r) => <CaretakerSelect residence={r} caretakers={caretakers.data ?? []} /> },
        ]}
      />
    </Stack>
  );
}

/** The caretakers who may take this residence: those of its agency, and those of the whole organisation. */
function CaretakerSelect({ residence, caretakers }: { residence: ResidenceRow; caretakers: CaretakerOption[] }) {
  const assign = useAssignCaretaker();
  const options = caretakers.filter((c) => c.agencyIds.length === 0 || c.agencyIds.includes(residence.agencyId)).map((c) => ({ value: c.id, label: c.name }));
  // A caretaker deactivated or gone to another agency stays shown, marked, until someone else is chosen.
  if (residence.caretakerId && !options.some((o) => o.value === residence.caretakerId)) {
    options.push({ value: residence.caretakerId, label: `${residence.caretakerName ?? 'Ancien·ne gardien·ne'} (ne reçoit plus les visites)` });
  }
  return (
    <Select
      aria-label={`Gardien·ne de la résidence ${residence.name}`}
      size="xs"
      allowDeselect={false}
      disabled={assign.isPending}
      value={residence.caretakerId ?? NOBODY}
      data={[{ value: NOBODY, label: 'Personne (tous les gardien·nes de l’agence)' }, ...options]}
      onChange={(value) => {
        const caretakerId = !value || value === NOBODY ? null : value;
        assign.mutate(
          { id: residence.id, caretakerId },
          {
            onSuccess: () =>
              notifySuccess(
                caretakerId
                  ? `${residence.name} est confiée à ${options.find((o) => o.value === caretakerId)?.label ?? 'son ou sa gardien·ne'}.`
                  : `${residence.name} n’a plus de gardien·ne attitré·e.`,
              ),
            onError: notifyError,
          },
        );
      }}
    />
  );
}
