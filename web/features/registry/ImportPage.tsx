import { Accordion, Alert, Anchor, Badge, Button, FileInput, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { importFieldLabels, importFieldMeanings, importFieldNames, requiredImportFields } from '../../../contracts/imports.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { uploadExport, useImports } from './api.ts';
import sampleUrl from './exemple-export-erp.csv?url';
import { statusLabels } from './labels.ts';

/** Import from the ERP: choose a file; the next steps happen on the import's own page. */
export function ImportPage() {
  usePageTitle('Import depuis l’ERP');
  const navigate = useNavigate();
  const imports = useImports();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    if (!file) return;
    setError(null);
    setProgress(0);
    try {
      const staged = await uploadExport(file, setProgress);
      sessionStorage.setItem(
        `import-sample-${staged.run.id}`,
        JSON.stringify({ sample: staged.sample, nirColumns: staged.nirColumns, fieldLabels: staged.fieldLabels, requiredFields: staged.requiredFields }),
      );
      navigate(`/registre/import/${staged.run.id}`);
    } catch (e) {
      setError((e as Error).message);
      setProgress(null);
    }
  };
  return (
    <Stack maw={900}>
      <Title order={1}>Import depuis l’ERP</Title>
      <Text size="sm">
        Déposez l’export de votre logiciel de gestion locative (CSV ou XLSX, une ligne par occupant). L’encodage, le séparateur et les dates françaises sont
        reconnus automatiquement. Rien n’est écrit avant votre confirmation, après une simulation.
      </Text>
      <Text size="sm">
        Pour voir la forme attendue :{' '}
        <Anchor href={sampleUrl} download="exemple-export-erp.csv">
          télécharger un fichier d’exemple (CSV, 20 ménages fictifs)
        </Anchor>
        .
      </Text>
      <ExpectedColumns />
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group align="end">
        <FileInput label="Fichier d’export" accept=".csv,.txt,.xlsx" value={file} onChange={setFile} w={360} clearable />
        <Button onClick={send} disabled={!file || progress !== null}>
          Envoyer
        </Button>
      </Group>
      {progress !== null && (
        <Stack gap={4}>
          <Text size="sm">{progress < 100 ? `Envoi du fichier… ${progress} %` : 'Lecture du fichier…'}</Text>
          <Progress value={progress} animated={progress >= 100} aria-label="Progression de l’envoi" />
        </Stack>
      )}
      <Title order={3}>Derniers imports</Title>
      <Table aria-label="Derniers imports">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Date</Table.Th>
            <Table.Th>Fichier</Table.Th>
            <Table.Th>Lignes</Table.Th>
            <Table.Th>État</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(imports.data ?? []).map((run) => (
            <Table.Tr key={run.id}>
              <Table.Td>{new Date(run.createdAt).toLocaleString('fr-FR')}</Table.Td>
              <Table.Td>
                <Link to={`/registre/import/${run.id}`}>{run.fileName}</Link>
              </Table.Td>
              <Table.Td>{run.totalLines}</Table.Td>
              <Table.Td>
                <Badge variant="light">{statusLabels[run.status]}</Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** The columns Lien recognises, from the import mapping's own labels (`contracts/imports.ts`). */
function ExpectedColumns() {
  const required = new Set<string>(requiredImportFields);
  const ordered = [...importFieldNames].sort((a, b) => Number(required.has(b)) - Number(required.has(a)));
  return (
    <Accordion variant="contained">
      <Accordion.Item value="columns">
        <Accordion.Control>Colonnes attendues ({requiredImportFields.length} obligatoires, les autres facultatives)</Accordion.Control>
        <Accordion.Panel>
          <Text size="sm" mb="xs">
            Les noms de colonnes usuels des ERP sont reconnus (« N° bail », « Tél portable »…) ; vous pourrez associer les autres à l’étape suivante.
          </Text>
          <Table aria-label="Colonnes attendues" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Colonne</Table.Th>
                <Table.Th>Contenu</Table.Th>
                <Table.Th>Obligatoire</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ordered.map((field) => (
                <Table.Tr key={field}>
                  <Table.Td>{importFieldLabels[field]}</Table.Td>
                  <Table.Td>{importFieldMeanings[field]}</Table.Td>
                  <Table.Td>{required.has(field) ? 'Oui' : 'Non'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}
