import { Alert, Badge, Card, MultiSelect, Stack, Table, Text, Title } from '@mantine/core';
import { type Role, roleLabels } from '../../../contracts/roles.ts';
import { type CallerCandidate, useCallerCandidates } from './api.ts';
import type { FieldErrors } from './formState.ts';

export const charterText = (c: CallerCandidate) =>
  c.charterAccepted ? 'charte acceptée' : c.charterRequired ? 'charte à accepter avant le premier appel' : 'charte non requise';

/** Step 3: the people who call (staff, volunteers, partners), with their charter status. */
export function StepCallers({ value, onChange, errors }: { value: string[]; onChange: (ids: string[]) => void; errors: FieldErrors }) {
  const candidates = useCallerCandidates();
  const byId = new Map((candidates.data ?? []).map((c) => [c.id, c]));
  const chosen = value.map((id) => byId.get(id)).filter((c): c is CallerCandidate => !!c);
  const error = Object.entries(errors).find(([path]) => path === 'callerIds' || path.startsWith('callerIds.'))?.[1];
  return (
    <Card withBorder>
      <Stack>
        <Title order={3}>Les appelant·es</Title>
        {candidates.error && <Alert color="red">{candidates.error.message}</Alert>}
        <MultiSelect
          label="Vivier d’appelant·es"
          description="Salarié·es, bénévoles et partenaires. Les bénévoles et partenaires acceptent la charte de confidentialité avant leur premier appel."
          placeholder={value.length ? undefined : 'Rechercher une personne'}
          searchable
          nothingFoundMessage="Personne ne correspond"
          data={(candidates.data ?? []).map((c) => ({ value: c.id, label: `${c.name} — ${roleLabels[c.role as Role] ?? c.role} (${charterText(c)})` }))}
          value={value}
          onChange={onChange}
          error={error}
          data-field="callerIds"
        />
        {chosen.length > 0 && (
          <Table aria-label="Appelant·es choisi·es" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Nom</Table.Th>
                <Table.Th>Rôle</Table.Th>
                <Table.Th>Charte de confidentialité</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {chosen.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{c.name}</Table.Td>
                  <Table.Td>{roleLabels[c.role as Role] ?? c.role}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={c.charterAccepted ? 'teal' : c.charterRequired ? 'orange' : 'gray'}>
                      {charterText(c)}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {value.length === 0 && <Text size="sm">Personne pour l’instant : la campagne peut être lancée, mais personne ne pourra appeler.</Text>}
      </Stack>
    </Card>
  );
}
