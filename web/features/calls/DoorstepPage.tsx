import { Alert, Badge, Button, Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { doorstepResultLabels, doorstepResults } from '../../../contracts/campaign-labels.ts';
import { fromQuery, ListView } from '../../ui/DataTable.tsx';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { type DoorstepResult, type DoorstepRow, formatParisDate, recordDoorstep, useDoorstep } from './api.ts';
import { NoteField } from './NoteField.tsx';
import { TouchChoices, wrappingButton } from './TouchChoices.tsx';

const floorLabel = (floor: number | null) => (floor === null ? null : floor === 0 ? 'rez-de-chaussée' : floor === 1 ? '1er étage' : `${floor}e étage`);

/** Households the phone could not reach, to visit at their door: for caretakers (and managers), on a phone, grouped by residence. */
export function DoorstepPage() {
  usePageTitle('Porte-à-porte');
  const [status, setStatus] = useState<'pending' | 'done'>('pending');
  const visits = useDoorstep(status);
  const [recorded, setRecorded] = useState<string | null>(null);
  const groups = new Map<string, { residence: string; address: string; rows: DoorstepRow[] }>();
  for (const row of visits.data ?? []) {
    const key = `${row.residence}\n${row.address}`;
    const group = groups.get(key) ?? { residence: row.residence, address: row.address, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  return (
    <Stack maw={640} w="100%" mx="auto" gap="md">
      <Title order={1}>Porte-à-porte</Title>
      <Text size="sm">Ménages que les appels n’ont pas pu joindre : passez les voir et notez le résultat de la visite.</Text>
      <SegmentedControl
        aria-label="Visites à afficher"
        fullWidth
        size="md"
        value={status}
        onChange={(v) => {
          setStatus(v as 'pending' | 'done');
          setRecorded(null);
        }}
        data={[
          { value: 'pending', label: 'À faire' },
          { value: 'done', label: 'Faites' },
        ]}
      />
      {recorded && (
        <Alert color="teal" role="status" title="Visite enregistrée" withCloseButton closeButtonLabel="Fermer" onClose={() => setRecorded(null)}>
          {recorded}
        </Alert>
      )}
      <ListView
        {...fromQuery(visits)}
        empty={status === 'pending' ? 'Aucune visite à faire pour le moment.' : 'Aucune visite faite pour le moment.'}
        loadingLabel="Chargement des visites…"
      >
        {() =>
          [...groups.values()].map((g) => (
            <Stack key={`${g.residence}\n${g.address}`} gap="sm">
              <div>
                <Title order={3}>{g.residence}</Title>
                <Text size="sm">{g.address}</Text>
              </div>
              {g.rows.map((row) => (
                <VisitCard key={row.id} visit={row} onRecorded={setRecorded} />
              ))}
            </Stack>
          ))
        }
      </ListView>
    </Stack>
  );
}

function VisitCard({ visit, onRecorded }: { visit: DoorstepRow; onRecorded: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<DoorstepResult | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const client = useQueryClient();
  const ids = useId();
  const floor = floorLabel(visit.floor);

  const submit = async () => {
    if (!result) return;
    setBusy(true);
    setError(null);
    try {
      await recordDoorstep(visit.id, { result, ...(note.trim() ? { note: note.trim() } : {}) });
      await client.invalidateQueries({ queryKey: ['doorstep'] });
      onRecorded(`${visit.holder || 'Ménage'}, logement ${visit.unit} : ${doorstepResultLabels[result]}.`);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Une erreur est survenue.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="md" component="section" aria-labelledby={`${ids}-holder`}>
      <Stack gap="xs">
        <Title order={4} id={`${ids}-holder`} style={{ overflowWrap: 'anywhere' }}>
          {visit.holder || 'Titulaire inconnu'}
        </Title>
        <Text>
          Logement {visit.unit}
          {floor ? ` · ${floor}` : ''}
        </Text>
        <Text size="sm">
          Campagne : {visit.campaign} · depuis le {formatParisDate(visit.createdAt)}
        </Text>
        {visit.status === 'done' && visit.result && (
          <Group>
            <Badge variant="light" size="lg" color={visit.result === 'concern' ? 'orange' : 'teal'}>
              {doorstepResultLabels[visit.result]}
            </Badge>
          </Group>
        )}
        {visit.status === 'pending' && !open && (
          <Button size="lg" fullWidth onClick={() => setOpen(true)} styles={wrappingButton}>
            Enregistrer le résultat
          </Button>
        )}
        {visit.status === 'pending' && open && (
          <Stack gap="md" mt="sm">
            <Text fw={600} id={`${ids}-result`}>
              Résultat de la visite
            </Text>
            <TouchChoices
              labelledBy={`${ids}-result`}
              cols={1}
              options={doorstepResults.map((r) => ({ value: r, label: doorstepResultLabels[r] }))}
              value={result}
              onChange={setResult}
            />
            <NoteField value={note} onChange={setNote} />
            {error && (
              <Alert color="red" role="alert" title="Visite non enregistrée">
                {error}
              </Alert>
            )}
            <Button size="lg" fullWidth onClick={submit} loading={busy} disabled={!result} styles={wrappingButton}>
              Enregistrer
            </Button>
            <Button variant="subtle" color="gray" onClick={() => setOpen(false)} disabled={busy}>
              Annuler
            </Button>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
