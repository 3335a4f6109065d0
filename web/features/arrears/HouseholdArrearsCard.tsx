import { Anchor, Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { instalmentStatusLabels, planKindLabels, stepDecisionLabels, stepKindLabels } from '../../../contracts/arrears.ts';
import { euros, frenchDay, useHouseholdArrears } from './api.ts';
import { StepForm } from './StepForm.tsx';

/** On the household file, for the roles that work on arrears: the pause in force, the plans with their instalments, the FSL steps and summary. */
export function HouseholdArrearsCard({ householdId }: { householdId: string }) {
  const arrears = useHouseholdArrears(householdId, true);
  const a = arrears.data;
  if (!a || (!a.pause && !a.plans.length && !a.steps.length && !a.balances.length)) return null;
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h4">
            Impayés
          </Title>
          <Anchor href={`/api/arrears/households/${householdId}/fsl-summary`} download>
            Résumé FSL pré-rempli (PDF, à vérifier)
          </Anchor>
        </Group>
        {a.pause && (
          <Badge color="gray" size="lg">
            Relances suspendues jusqu’au {frenchDay(a.pause.untilOn)} — {a.pause.reason}
          </Badge>
        )}
        {a.monthlyRentCents !== null && <Text size="sm">Loyer mensuel (charges comprises) : {euros(a.monthlyRentCents)}</Text>}
        {a.plans.map((p) => (
          <Stack key={p.id} gap={4}>
            <Text fw={600} size="sm">
              {planKindLabels[p.kind]} de {euros(p.amountCents)} sur {p.months} mois, signé le {frenchDay(p.signedOn)}
            </Text>
            <Table aria-label={`Échéances du plan signé le ${frenchDay(p.signedOn)}`}>
              <Table.Tbody>
                {p.instalments.map((i) => (
                  <Table.Tr key={i.seq}>
                    <Table.Td>{frenchDay(i.dueOn)}</Table.Td>
                    <Table.Td>{euros(i.amountCents)}</Table.Td>
                    <Table.Td>
                      <Badge color={i.status === 'missed' ? 'red' : i.status === 'met' ? 'green' : 'gray'} variant="light">
                        {instalmentStatusLabels[i.status]}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        ))}
        {a.steps.map((s) => (
          <Text key={s.id} size="sm">
            {stepKindLabels[s.kind]} déposée le {frenchDay(s.filedOn)}
            {s.decision ? ` — ${stepDecisionLabels[s.decision].toLowerCase()} le ${frenchDay(s.decidedOn ?? '')}` : ''}
            {s.amountCents !== null ? ` (${euros(s.amountCents)})` : ''}
          </Text>
        ))}
        <StepForm householdId={householdId} />
      </Stack>
    </Card>
  );
}
