import { Badge, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { indicators } from '../../../contracts/indicators.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { type Space, useAddMember, useRemoveMember } from './api.ts';

const day = (iso: string) => new Date(iso).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });

/** The federation's administrator: its member landlords, what each shares, add and remove. */
export function FederationMembers({ space }: { space: Space }) {
  const [slug, setSlug] = useState('');
  const add = useAddMember();
  const remove = useRemoveMember();
  return (
    <Card withBorder>
      <Stack>
        <Title order={2}>Membres</Title>
        <Text size="sm">
          Ajoutez un bailleur par son identifiant ; il choisit ensuite lui-même les indicateurs qu’il partage, et peut quitter la fédération à tout moment.
        </Text>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate(slug.trim(), {
              onSuccess: () => {
                notifySuccess('Bailleur ajouté.');
                setSlug('');
              },
              onError: notifyError,
            });
          }}
        >
          <Group align="end">
            <TextInput label="Identifiant du bailleur" value={slug} onChange={(e) => setSlug(e.currentTarget.value)} required />
            <Button type="submit" loading={add.isPending}>
              Ajouter
            </Button>
          </Group>
        </form>
        <Table striped aria-label="Membres de la fédération">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Bailleur</Table.Th>
              <Table.Th>État</Table.Th>
              <Table.Th>Indicateurs partagés</Table.Th>
              <Table.Th>Action</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {space.members.map((m) => {
              const state =
                m.removedAt !== null
                  ? `Retiré le ${day(m.removedAt)}`
                  : !m.agreement
                    ? 'Pas encore de réponse'
                    : m.agreement.leftAt
                      ? `A quitté le ${day(m.agreement.leftAt)}`
                      : `Partage depuis le ${day(m.agreement.agreedAt)}`;
              return (
                <Table.Tr key={m.memberId}>
                  <Table.Td>{m.name}</Table.Td>
                  <Table.Td>{state}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {(m.agreement && !m.agreement.leftAt ? m.agreement.indicators : []).map((i) => (
                        <Badge key={i} variant="light">
                          {indicators[i].name}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {m.removedAt === null && (
                      <Button
                        size="xs"
                        variant="default"
                        color="red"
                        onClick={() => remove.mutate(m.memberId, { onSuccess: () => notifySuccess(`${m.name} retiré des membres.`), onError: notifyError })}
                      >
                        Retirer {m.name}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Stack>
    </Card>
  );
}
