import { Alert, Button, Card, Checkbox, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { cellText, dimensionLabels, type IndicatorId, indicatorIds, indicators, qpvLabels } from '../../../contracts/indicators.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { monthLabel, type Space, useLeave, usePreview, useSetAgreement } from './api.ts';

type Membership = Space['memberships'][number];
const day = (iso: string) => new Date(iso).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });

/** A landlord's administrator: each federation that lists it, what it shares, the exact preview, leaving. */
export function SharingSpace({ space }: { space: Space }) {
  const current = space.memberships.filter((m) => m.removedAt === null);
  if (current.length === 0) return <Text>Aucune fédération ne compte votre organisme parmi ses membres.</Text>;
  return (
    <Stack>
      {current.map((m) => (
        <MembershipCard key={m.federationId} m={m} />
      ))}
    </Stack>
  );
}

function MembershipCard({ m }: { m: Membership }) {
  const [chosen, setChosen] = useState<IndicatorId[]>(m.indicators);
  const [leaving, setLeaving] = useState(false);
  const save = useSetAgreement();
  const leave = useLeave();
  const preview = usePreview();
  const sharing = m.agreedAt !== null && m.leftAt === null;
  const order = { total: 0, department: 1, qpv: 2 } as const;
  const cells = [...(preview.data?.cells ?? [])].sort(
    (a, b) =>
      indicatorIds.indexOf(a.indicatorId) - indicatorIds.indexOf(b.indicatorId) ||
      b.period.localeCompare(a.period) ||
      order[a.dimension] - order[b.dimension] ||
      a.dimensionValue.localeCompare(b.dimensionValue),
  );
  return (
    <Card withBorder>
      <Stack>
        <Title order={2}>{m.federationName}</Title>
        <Text size="sm">
          {sharing && m.agreedAt
            ? `Vous partagez des indicateurs depuis le ${day(m.agreedAt)}.`
            : m.leftAt
              ? `Vous avez quitté cette fédération le ${day(m.leftAt)} : plus rien n’est partagé.`
              : 'Cette fédération vous compte parmi ses membres ; rien n’est partagé tant que vous n’avez pas choisi.'}
        </Text>
        <Checkbox.Group label="Indicateurs partagés" value={chosen} onChange={(v) => setChosen(v as IndicatorId[])}>
          <Stack gap={6} mt="xs">
            {indicatorIds.map((id) => (
              <Checkbox key={id} value={id} label={indicators[id].name} description={indicators[id].definition} />
            ))}
          </Stack>
        </Checkbox.Group>
        <Group>
          <Button
            onClick={() =>
              save.mutate({ federationId: m.federationId, indicators: chosen }, { onSuccess: () => notifySuccess('Partage enregistré.'), onError: notifyError })
            }
            loading={save.isPending}
          >
            Enregistrer le partage
          </Button>
          <Button
            variant="default"
            onClick={() => preview.mutate({ federationId: m.federationId, indicators: chosen }, { onError: notifyError })}
            loading={preview.isPending}
          >
            Voir exactement ce qui sortirait
          </Button>
          {sharing && (
            <Button variant="default" color="red" onClick={() => setLeaving(true)}>
              Quitter la fédération
            </Button>
          )}
        </Group>
        {preview.data && (
          <Stack gap="xs">
            <Title order={3}>Aperçu : les chiffres tels que la fédération les recevrait</Title>
            {cells.length === 0 ? (
              <Text size="sm">Aucun chiffre pour ces indicateurs sur les douze derniers mois.</Text>
            ) : (
              <Table striped aria-label="Aperçu des chiffres partagés">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Indicateur</Table.Th>
                    <Table.Th>Mois</Table.Th>
                    <Table.Th>Découpage</Table.Th>
                    <Table.Th>Valeur</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {cells.map((c) => (
                    <Table.Tr key={`${c.indicatorId}-${c.period}-${c.dimension}-${c.dimensionValue}`}>
                      <Table.Td>{indicators[c.indicatorId].name}</Table.Td>
                      <Table.Td>{monthLabel(c.period.slice(0, 7))}</Table.Td>
                      <Table.Td>
                        {c.dimension === 'total'
                          ? dimensionLabels.total
                          : c.dimension === 'qpv'
                            ? (qpvLabels[c.dimensionValue] ?? c.dimensionValue)
                            : `${dimensionLabels.department} ${c.dimensionValue === 'inconnu' ? 'non renseigné' : c.dimensionValue}`}
                      </Table.Td>
                      <Table.Td>{cellText(c)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        )}
      </Stack>
      <Modal opened={leaving} onClose={() => setLeaving(false)} title={`Quitter ${m.federationName} ?`}>
        <Stack>
          <Alert color="orange">Vos chiffres sont retirés tout de suite : la fédération ne les lit plus, et le prochain recalcul ne vous compte plus.</Alert>
          <Group justify="end">
            <Button variant="default" onClick={() => setLeaving(false)}>
              Annuler
            </Button>
            <Button
              color="red"
              loading={leave.isPending}
              onClick={() =>
                leave.mutate(m.federationId, {
                  onSuccess: () => {
                    setLeaving(false);
                    setChosen([]);
                    notifySuccess(`Vous avez quitté ${m.federationName}.`);
                  },
                  onError: notifyError,
                })
              }
            >
              Quitter
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
