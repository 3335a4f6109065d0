import {
  Badge,
  Button,
  Card,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useState } from 'react';
import { type CaseType, caseTypeLabels, caseTypes } from '../../../contracts/cases.ts';
import { type PartnerKind, partnerKindLabels, partnerKinds } from '../../../contracts/partners.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { type Partner, usePartners, usePartnerUsers, useSavePartner, useSetMember } from './api.ts';

/** /admin/partenaires: the administrator sets up the partners (kind, communes, needs, delay) and links the « partenaire » accounts. */
export function PartnersPage() {
  usePageTitle('Partenaires');
  const partners = usePartners();
  const [editing, setEditing] = useState<Partner | 'new' | null>(null);
  return (
    <Stack>
      <Title order={1}>Partenaires</Title>
      <Text size="sm">
        Les organismes vers lesquels les dossiers sont orientés (CCAS, associations, Soliha, FSL…). Les partenaires suggérés pour un dossier sont ceux qui
        prennent son type de besoin dans la commune du ménage ; sans commune ni besoin indiqué, un partenaire est suggéré partout.
      </Text>
      <Group>
        <Button onClick={() => setEditing('new')}>Ajouter un partenaire</Button>
      </Group>
      {editing && <PartnerForm partner={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
      <Card withBorder>
        {partners.data && partners.data.length === 0 && <Text size="sm">Aucun partenaire.</Text>}
        {partners.data && partners.data.length > 0 && (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Nom</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Communes</Table.Th>
                <Table.Th>Besoins</Table.Th>
                <Table.Th>Délai d’accusé de réception</Table.Th>
                <Table.Th>Comptes</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {partners.data.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    {p.name} {!p.active && <Badge color="gray">inactif</Badge>}
                  </Table.Td>
                  <Table.Td>{partnerKindLabels[p.kind]}</Table.Td>
                  <Table.Td>{p.communes.length ? p.communes.join(', ') : 'Toutes'}</Table.Td>
                  <Table.Td>{p.needTypes.length ? p.needTypes.map((t) => caseTypeLabels[t]).join(', ') : 'Tous'}</Table.Td>
                  <Table.Td>{p.ackDays} j</Table.Td>
                  <Table.Td>{p.members.map((m) => m.name).join(', ') || '—'}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="subtle" onClick={() => setEditing(p)}>
                      Modifier
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <Members partners={partners.data ?? []} />
    </Stack>
  );
}

function PartnerForm({ partner, onDone }: { partner: Partner | null; onDone: () => void }) {
  const save = useSavePartner();
  const [name, setName] = useState(partner?.name ?? '');
  const [kind, setKind] = useState<PartnerKind>(partner?.kind ?? 'association');
  const [communes, setCommunes] = useState<string[]>(partner?.communes ?? []);
  const [needTypes, setNeedTypes] = useState<string[]>(partner?.needTypes ?? []);
  const [ackDays, setAckDays] = useState<number>(partner?.ackDays ?? 5);
  const [active, setActive] = useState(partner?.active ?? true);
  const [error, setError] = useState<string | null>(null);
  return (
    <Card withBorder>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim().length < 2) return setError('Indiquez le nom du partenaire.');
          setError(null);
          save.mutate(
            { id: partner?.id ?? null, body: { name: name.trim(), kind, communes, needTypes: needTypes as CaseType[], ackDays, active } },
            {
              onSuccess: () => {
                notifySuccess(partner ? 'Partenaire modifié.' : 'Partenaire ajouté.');
                onDone();
              },
              onError: (err) => setError(err.message),
            },
          );
        }}
      >
        <Stack gap="xs">
          <Title order={2} size="h4">
            {partner ? `Modifier ${partner.name}` : 'Nouveau partenaire'}
          </Title>
          <TextInput label="Nom" value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={120} error={error} w={400} />
          <Select
            label="Type"
            data={partnerKinds.map((k) => ({ value: k, label: partnerKindLabels[k] }))}
            value={kind}
            onChange={(v) => setKind((v ?? 'other') as PartnerKind)}
            allowDeselect={false}
            w={300}
          />
          <TagsInput
            label="Communes servies"
            description="Vide : toutes les communes. Appuyez sur Entrée après chaque commune."
            value={communes}
            onChange={setCommunes}
            w={500}
          />
          <MultiSelect
            label="Besoins pris en charge"
            description="Vide : tous les besoins."
            data={caseTypes.map((t) => ({ value: t, label: caseTypeLabels[t] }))}
            value={needTypes}
            onChange={setNeedTypes}
            w={500}
          />
          <NumberInput label="Délai d’accusé de réception (jours)" min={1} max={60} value={ackDays} onChange={(v) => setAckDays(Number(v) || 5)} w={260} />
          <Switch label="Actif (proposé pour les orientations)" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
          <Group>
            <Button type="submit" loading={save.isPending}>
              Enregistrer
            </Button>
            <Button variant="subtle" onClick={onDone}>
              Annuler
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function Members({ partners }: { partners: Partner[] }) {
  const users = usePartnerUsers();
  const set = useSetMember();
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Comptes « partenaire »
      </Title>
      <Text size="sm" mb="xs">
        Invitez d’abord la personne dans « Utilisateurs » avec le rôle « Partenaire », puis rattachez-la ici à son organisme : elle ne verra que les
        orientations adressées à cet organisme.
      </Text>
      {users.data && users.data.length === 0 && <Text size="sm">Aucun compte « partenaire » actif.</Text>}
      <Stack gap={6}>
        {users.data?.map((u) => (
          <Group key={u.id}>
            <Text size="sm" w={260}>
              {u.name} ({u.email})
            </Text>
            <Select
              aria-label={`Partenaire de ${u.name}`}
              placeholder="Aucun"
              data={partners.map((p) => ({ value: p.id, label: p.name }))}
              value={u.partnerId}
              onChange={(v) => set.mutate({ userId: u.id, partnerId: v }, { onSuccess: () => notifySuccess('Rattachement enregistré.'), onError: notifyError })}
              w={300}
            />
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
