import { Alert, Anchor, Button, Checkbox, Group, Loader, Paper, Progress, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { type ImportRun, importFieldNames, largeChange } from '../../../contracts/imports.ts';
import { plural } from '../../../contracts/plural.ts';
import { api } from '../../app/api.ts';
import { notifyError } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { useImport } from './api.ts';
import { statusLabels } from './labels.ts';

const fallbackLabels: Record<string, string> = {};
type Staged = { sample: string[][]; nirColumns: string[]; fieldLabels: Record<string, string>; requiredFields: string[] };

function Stat({ label, value }: { label: string; value: unknown }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xl" fw={700}>
        {String(value ?? 0)}
      </Text>
      <Text size="sm">{label}</Text>
    </Paper>
  );
}

/** One import: mapping → simulation (progress) → preview → confirmation (progress) → result. */
export function ImportRunPage() {
  usePageTitle('Import depuis l’ERP');
  const { id = '' } = useParams();
  const run = useImport(id);
  const client = useQueryClient();
  const refresh = (data: ImportRun) => client.setQueryData(['imports', id], data);
  if (run.isPending) return <Loader aria-label="Chargement" />;
  if (run.error || !run.data) return <Alert color="red">{run.error?.message ?? 'Import introuvable.'}</Alert>;
  const r = run.data;
  return (
    <Stack maw={1100}>
      <Anchor component={Link} to="/registre/import" size="sm">
        ← Imports
      </Anchor>
      <Title order={1}>Import « {r.fileName} »</Title>
      <Text size="sm">
        {r.format.toUpperCase()}
        {r.encoding ? ` · ${r.encoding} · séparateur « ${r.delimiter === '\t' ? 'tabulation' : r.delimiter} »` : ''} · {plural(r.totalLines, 'ligne')} ·{' '}
        {statusLabels[r.status]}
      </Text>
      {r.status === 'staged' && <MappingStep run={r} onDone={refresh} />}
      {r.status === 'validating' && <Working label="Simulation : lecture et vérification des lignes" done={r.progressDone} total={r.progressTotal} />}
      {r.status === 'previewed' && <PreviewStep run={r} onDone={refresh} />}
      {r.status === 'applying' && <Working label="Écriture dans le registre (tout ou rien)" done={0} total={0} />}
      {r.status === 'applied' && <Result run={r} />}
      {r.status === 'failed' && (
        <Alert color="red" title="L’import a échoué">
          {r.error ?? 'Erreur inconnue.'} Rien n’a été écrit dans le registre.
        </Alert>
      )}
      {r.status === 'cancelled' && <Alert color="gray">Import abandonné : rien n’a été écrit.</Alert>}
    </Stack>
  );
}

function Working({ label, done, total }: { label: string; done: number; total: number }) {
  const percent = total ? Math.round((done / total) * 100) : 100;
  return (
    <Stack gap={4}>
      <Text>
        {label}
        {total ? ` — ${done} / ${plural(total, 'ligne')}` : '…'}
      </Text>
      <Progress value={percent} animated aria-label={label} />
      <Text size="sm">Vous pouvez quitter ou recharger cette page : le travail continue sur le serveur.</Text>
    </Stack>
  );
}

function MappingStep({ run, onDone }: { run: ImportRun; onDone: (r: ImportRun) => void }) {
  const [staged] = useState<Staged | null>(() => JSON.parse(sessionStorage.getItem(`import-sample-${run.id}`) ?? 'null'));
  const labels = staged?.fieldLabels ?? fallbackLabels;
  const [mapping, setMapping] = useState<Record<string, string | null>>(run.mapping ?? {});
  const [fullExport, setFullExport] = useState(false);
  const [busy, setBusy] = useState(false);
  const options = importFieldNames.map((f) => ({ value: f, label: labels[f] ?? f }));
  const submit = async () => {
    setBusy(true);
    try {
      onDone(await api<ImportRun>('POST', `/api/imports/${run.id}/validate`, { mapping, fullExport }));
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(false);
    }
  };
  const cancel = async () => {
    await api('POST', `/api/imports/${run.id}/cancel`).catch(notifyError);
    window.location.reload();
  };
  return (
    <Stack>
      <Title order={3}>1. Colonnes</Title>
      <Text size="sm">Lien a reconnu les colonnes ci-dessous. Corrigez si besoin : votre choix sera retenu pour les prochains imports.</Text>
      {staged && staged.nirColumns.length > 0 && (
        <Alert color="orange" title="Colonne refusée">
          {staged.nirColumns.join(', ')} : contient des numéros de sécurité sociale (NIR). Lien ne les enregistre jamais ; la colonne est ignorée.
        </Alert>
      )}
      <Table aria-label="Correspondance des colonnes">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Colonne du fichier</Table.Th>
            <Table.Th>Exemples</Table.Th>
            <Table.Th>Champ Lien</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {run.headers.map((header, i) => (
            <Table.Tr key={i}>
              <Table.Td>{header || `(colonne ${i + 1})`}</Table.Td>
              <Table.Td>
                <Text size="sm">
                  {(staged?.sample ?? [])
                    .slice(0, 3)
                    .map((row) => row[i] ?? '')
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
              </Table.Td>
              <Table.Td>
                <Select
                  aria-label={`Champ pour la colonne ${header}`}
                  data={options}
                  value={mapping[String(i)] ?? null}
                  onChange={(v) => setMapping({ ...mapping, [String(i)]: v })}
                  placeholder="Ignorer"
                  clearable
                  searchable
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Checkbox
        label="Export complet : marquer « à vérifier » les ménages du registre absents de ce fichier (rien n’est supprimé)"
        checked={fullExport}
        onChange={(e) => setFullExport(e.currentTarget.checked)}
      />
      <Group>
        <Button onClick={submit} loading={busy}>
          Vérifier le fichier (simulation)
        </Button>
        <Button variant="default" onClick={cancel}>
          Abandonner
        </Button>
      </Group>
    </Stack>
  );
}

type LineReason = { column: string; value: string; reason: string };

/** Lines of the file with their reasons (rejected lines, or values set aside), one row per reason. */
function LineReasons({ label, lines }: { label: string; lines: { line: number; reasons: { column: string; value: string; reason: string }[] }[] }) {
  return (
    <Table aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Ligne</Table.Th>
          <Table.Th>Colonne</Table.Th>
          <Table.Th>Valeur</Table.Th>
          <Table.Th>Motif</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.flatMap((l) =>
          l.reasons.map((e, k) => (
            <Table.Tr key={`${l.line}-${k}`}>
              <Table.Td>{l.line}</Table.Td>
              <Table.Td>{e.column}</Table.Td>
              <Table.Td>{e.value}</Table.Td>
              <Table.Td>{e.reason}</Table.Td>
            </Table.Tr>
          )),
        )}
      </Table.Tbody>
    </Table>
  );
}

function PreviewStep({ run, onDone }: { run: ImportRun; onDone: (r: ImportRun) => void }) {
  const s = (run.summary ?? {}) as Record<string, number>;
  const refusedColumns = ((run.summary ?? {}) as { refused_columns?: string[] }).refused_columns ?? [];
  const change = largeChange(s);
  const [confirmed, setConfirmed] = useState(false);
  const rejected = useQuery({
    queryKey: ['imports', run.id, 'rejected'],
    queryFn: () => api<{ line: number; errors: LineReason[]; warnings?: LineReason[] }[]>('GET', `/api/imports/${run.id}/rejected`),
    enabled: (s.rejected_lines ?? 0) + (s.warning_lines ?? 0) > 0,
  });
  const setAside = (rejected.data ?? []).filter((l) => !l.errors.length && l.warnings?.length);
  const apply = async (validOnly: boolean) => {
    try {
      onDone(await api<ImportRun>('POST', `/api/imports/${run.id}/apply`, { validOnly, confirmLarge: change.large && confirmed }));
    } catch (e) {
      notifyError(e);
    }
  };
  const blocked = change.large && !confirmed;
  return (
    <Stack>
      <Title order={3}>2. Simulation</Title>
      <Text size="sm">
        Le fichier (lignes valides) : {plural(s.file_households ?? 0, 'ménage')}, {plural(s.file_persons ?? 0, 'personne')},{' '}
        {plural(s.file_residences ?? 0, 'résidence')}, {plural(s.file_units ?? 0, 'logement')}.
      </Text>
      {refusedColumns.length > 0 && (
        <Alert color="orange" title="Colonne refusée">
          {refusedColumns.join(', ')} : numéros de sécurité sociale (NIR). Lien ne les lit ni ne les enregistre ; la colonne est ignorée, le reste est importé.
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Stat label="ménages à créer" value={s.households_created} />
        <Stat label="ménages à mettre à jour" value={s.households_updated} />
        <Stat label="ménages inchangés" value={s.households_unchanged} />
        <Stat label="ménages sortis (bail terminé)" value={s.households_left} />
        <Stat label="personnes à créer" value={s.persons_created} />
        <Stat label="personnes à mettre à jour" value={s.persons_updated} />
        <Stat label="soldes modifiés" value={s.balances_changed} />
        <Stat label="lignes rejetées" value={s.rejected_lines} />
        {(s.warning_lines ?? 0) > 0 && <Stat label="lignes importées sans une valeur illisible" value={s.warning_lines} />}
      </SimpleGrid>
      {run.fullExport && <Text size="sm">Ménages du registre absents du fichier, qui seront marqués « à vérifier » : {s.households_missing ?? 0}.</Text>}
      {(s.rejected_lines ?? 0) > 0 && (
        <Stack>
          <Group justify="space-between">
            <Title order={4}>Lignes rejetées</Title>
            <Anchor href={`/api/imports/${run.id}/rejected.csv`}>Télécharger les lignes rejetées (CSV)</Anchor>
          </Group>
          <LineReasons label="Lignes rejetées" lines={(rejected.data ?? []).map((l) => ({ line: l.line, reasons: l.errors }))} />
        </Stack>
      )}
      {setAside.length > 0 && (
        <Stack>
          <Title order={4}>Valeurs ignorées (la personne est importée sans elles)</Title>
          <LineReasons label="Valeurs ignorées" lines={setAside.map((l) => ({ line: l.line, reasons: l.warnings ?? [] }))} />
        </Stack>
      )}
      {change.large && (
        <Alert color="red" title="Changement important" role="alert">
          <Stack gap="xs">
            <Text size="sm">
              Cet import touche {change.touched} des {change.existing} ménages déjà dans le registre ({Math.round(change.share * 1000) / 10} %) :{' '}
              {s.households_updated ?? 0} à mettre à jour (dont {s.households_left ?? 0} sortis) et {s.households_missing ?? 0} absents de l’export. Vérifiez
              qu’il s’agit bien du bon fichier avant d’importer.
            </Text>
            <Checkbox label="Je confirme ce changement important" checked={confirmed} onChange={(e) => setConfirmed(e.currentTarget.checked)} />
          </Stack>
        </Alert>
      )}
      <Group>
        <Button onClick={() => apply(false)} disabled={(s.rejected_lines ?? 0) > 0 || blocked}>
          Importer tout
        </Button>
        {(s.rejected_lines ?? 0) > 0 && (
          <Button variant="light" onClick={() => apply(true)} disabled={blocked}>
            Importer seulement les lignes valides
          </Button>
        )}
        <Button variant="default" onClick={() => api('POST', `/api/imports/${run.id}/cancel`).then(() => window.location.reload(), notifyError)}>
          Abandonner
        </Button>
      </Group>
    </Stack>
  );
}

function Result({ run }: { run: ImportRun }) {
  const a = ((run.summary ?? {}) as { applied?: Record<string, number> }).applied ?? {};
  return (
    <Stack>
      <Alert color="teal" title="Import terminé">
        Le registre est à jour.
      </Alert>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Stat label="ménages créés" value={a.households_created} />
        <Stat label="ménages mis à jour" value={a.households_updated} />
        <Stat label="personnes créées" value={a.persons_created} />
        <Stat label="personnes mises à jour" value={a.persons_updated} />
      </SimpleGrid>
    </Stack>
  );
}
