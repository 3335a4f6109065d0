import { Alert, Button, FileInput, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { plural } from '../../../contracts/plural.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { type BalanceImport, uploadBalances, useApplyBalances, useBalanceImports, useCancelBalances } from './api.ts';

const statusLabels = { previewed: 'Aperçu', applied: 'Appliqué', cancelled: 'Abandonné' } as const;

/** A balance file: send it (with progress), read the preview and the refused lines, apply it at once or drop it. */
export function BalanceImportPage() {
  usePageTitle('Fichier de soldes');
  const imports = useBalanceImports();
  const apply = useApplyBalances();
  const cancel = useCancelBalances();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<BalanceImport | null>(null);
  const send = async () => {
    if (!file) return;
    setError(null);
    setPreview(null);
    setProgress(0);
    try {
      setPreview(await uploadBalances(file, setProgress));
    } catch (e) {
      setError((e as Error).message);
    }
    setProgress(null);
  };
  return (
    <Stack maw={900}>
      <Title order={1}>Fichier de soldes</Title>
      <Text size="sm">
        Un fichier CSV ou XLSX avec une ligne d’en-tête : Référence (du ménage dans l’ERP), Solde, Date du solde et, si vous l’avez, Loyer mensuel (charges
        comprises). Les montants et dates s’écrivent à la française (1 234,56 ; 17/03/2020). Rien n’est enregistré avant votre confirmation, et un fichier avec
        des lignes refusées n’est pas appliqué.
      </Text>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group align="end">
        <FileInput label="Fichier de soldes" accept=".csv,.txt,.xlsx" value={file} onChange={setFile} w={360} clearable />
        <Button onClick={send} disabled={!file || progress !== null}>
          Envoyer
        </Button>
      </Group>
      {progress !== null && (
        <Stack gap={4}>
          <Text size="sm">{progress < 100 ? `Envoi du fichier… ${progress} %` : 'Contrôle des lignes…'}</Text>
          <Progress value={progress} animated={progress >= 100} aria-label="Progression de l’envoi" />
        </Stack>
      )}
      {preview && (
        <Stack>
          <Title order={2} size="h3">
            Aperçu : {preview.fileName}
          </Title>
          <Text>
            {plural(preview.totalLines, 'ligne lue', 'lignes lues')}, {plural(preview.validLines, 'valide')}, {plural(preview.errors.length, 'refusée')}.
          </Text>
          {preview.errors.length > 0 && (
            <Table aria-label="Lignes refusées">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Ligne</Table.Th>
                  <Table.Th>Colonne</Table.Th>
                  <Table.Th>Valeur</Table.Th>
                  <Table.Th>Motif</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.errors.map((e) => (
                  <Table.Tr key={`${e.line}-${e.column}`}>
                    <Table.Td>{e.line}</Table.Td>
                    <Table.Td>{e.column}</Table.Td>
                    <Table.Td>{e.value}</Table.Td>
                    <Table.Td>{e.reason}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {preview.status === 'previewed' && (
            <Group>
              <Button
                disabled={preview.errors.length > 0}
                loading={apply.isPending}
                onClick={() =>
                  apply.mutate(preview.id, {
                    onSuccess: (r) => {
                      notifySuccess(
                        `${plural(r.written, 'solde enregistré', 'soldes enregistrés')} ; ${plural(r.checked, 'échéance vérifiée', 'échéances vérifiées')}, ${plural(r.missed, 'non honorée', 'non honorées')}.`,
                      );
                      setPreview({ ...preview, status: 'applied' });
                    },
                    onError: notifyError,
                  })
                }
              >
                Appliquer le fichier
              </Button>
              <Button
                variant="default"
                loading={cancel.isPending}
                onClick={() => cancel.mutate(preview.id, { onSuccess: () => setPreview({ ...preview, status: 'cancelled' }), onError: notifyError })}
              >
                Abandonner
              </Button>
            </Group>
          )}
        </Stack>
      )}
      <Title order={2} size="h3">
        Derniers fichiers
      </Title>
      <Table aria-label="Derniers fichiers de soldes">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Date</Table.Th>
            <Table.Th>Fichier</Table.Th>
            <Table.Th>Lignes</Table.Th>
            <Table.Th>État</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(imports.data ?? []).map((b) => (
            <Table.Tr key={b.id}>
              <Table.Td>{new Date(b.createdAt).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })}</Table.Td>
              <Table.Td>{b.fileName}</Table.Td>
              <Table.Td>{b.totalLines}</Table.Td>
              <Table.Td>{statusLabels[b.status]}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
