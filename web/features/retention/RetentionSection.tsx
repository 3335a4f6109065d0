import { Alert, Badge, Button, Card, Group, NumberInput, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type Purpose, purposeLabels } from '../../../contracts/data-protection.ts';
import { type EndKind, endKindLabels, endKinds, type PurgePreview, type RetentionRuleRow } from '../../../contracts/retention.ts';
import { api } from '../../app/api.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';

const actionLabels = { delete: 'supprimés', anonymise: 'anonymisés' } as const;

/** « 1 déc. 2026 à 03:30 », Europe/Paris. */
function parisDateTime(iso: string): string {
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(iso)).replace(' ', ' à ');
}

/** How a rule reads: « 12 mois après l’enregistrement », « à la fin du suivi »… */
function ruleText(r: { endKind: EndKind; months: number }): string {
  const months = `${r.months} mois`;
  if (r.endKind === 'fixed') return `${months} après l’enregistrement`;
  const end = r.endKind === 'end_of_followup' ? 'la fin du suivi ou le retrait du consentement' : 'la fin de la finalité';
  return r.months === 0 ? `jusqu’à ${end}` : `${months} après ${end}`;
}

/** One purpose's rule, editable. */
function RuleRow({ rule, onSaved }: { rule: RetentionRuleRow; onSaved: (rules: RetentionRuleRow[]) => void }) {
  const [endKind, setEndKind] = useState<EndKind>(rule.endKind);
  const [months, setMonths] = useState<number | string>(rule.months);
  const label = purposeLabels[rule.purpose];
  const save = useMutation({
    mutationFn: () =>
      api<RetentionRuleRow[]>('PUT', `/api/retention/rules/${rule.purpose}`, { endKind, months: typeof months === 'number' ? months : Number(months) }),
    onSuccess: (rules) => {
      notifySuccess(`Durée de conservation enregistrée : ${label}.`);
      onSaved(rules);
    },
    onError: notifyError,
  });
  const reset = useMutation({
    mutationFn: () => api<RetentionRuleRow[]>('DELETE', `/api/retention/rules/${rule.purpose}`),
    onSuccess: (rules) => {
      setEndKind(rule.defaultEndKind);
      setMonths(rule.defaultMonths);
      notifySuccess(`Durée par défaut rétablie : ${label}.`);
      onSaved(rules);
    },
    onError: notifyError,
  });
  return (
    <Table.Tr aria-label={label}>
      <Table.Td>
        <Text fw={600}>{label}</Text>
        <Text size="xs" c="dimmed">
          {rule.basis}
        </Text>
        {!rule.isDefault && (
          <Badge variant="light" mt={4}>
            Modifiée (défaut : {ruleText({ endKind: rule.defaultEndKind, months: rule.defaultMonths })})
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Select
          aria-label={`Fin de la conservation — ${label}`}
          data={endKinds.map((k) => ({ value: k, label: endKindLabels[k] }))}
          value={endKind}
          onChange={(v) => v && setEndKind(v as EndKind)}
          allowDeselect={false}
        />
      </Table.Td>
      <Table.Td>
        <NumberInput aria-label={`Mois — ${label}`} value={months} onChange={setMonths} min={0} max={120} allowDecimal={false} suffix=" mois" w={110} />
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Button size="xs" onClick={() => save.mutate()} loading={save.isPending}>
            Enregistrer
          </Button>
          {!rule.isDefault && (
            <Button size="xs" variant="subtle" onClick={() => reset.mutate()} loading={reset.isPending}>
              Défaut
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * « Conservation » on the DPO's page (TRUST DP-02): the next purge's date and what it will remove,
 * per table and purpose, and the retention rule of each purpose, editable.
 */
export function RetentionSection() {
  const client = useQueryClient();
  const rules = useQuery({ queryKey: ['retention-rules'], queryFn: () => api<RetentionRuleRow[]>('GET', '/api/retention/rules') });
  const preview = useQuery({ queryKey: ['retention-preview'], queryFn: () => api<PurgePreview>('GET', '/api/retention/preview') });
  const saved = (next: RetentionRuleRow[]) => {
    client.setQueryData(['retention-rules'], next);
    void client.invalidateQueries({ queryKey: ['retention-preview'] });
  };
  const planned = preview.data?.lines.filter((l) => l.count > 0) ?? [];
  return (
    <Stack component="section" aria-labelledby="conservation-title">
      <Title order={2} id="conservation-title">
        Conservation
      </Title>
      <Text size="sm" c="dimmed">
        Chaque nuit, Lien supprime ou anonymise les données dont la durée de conservation est passée, organisme par organisme, et inscrit le nombre de lignes
        purgées au journal d’audit. Les durées par défaut suivent le cadre de la CNIL pour le logement social ; vous pouvez les changer par finalité.
      </Text>
      <Card withBorder>
        {preview.error && <Alert color="red">{preview.error.message}</Alert>}
        {preview.data && (
          <Stack gap="xs">
            <Text fw={600}>
              Prochaine purge : {parisDateTime(preview.data.nextPurgeAt)} —{' '}
              {preview.data.total === 0 ? 'rien à purger' : `${preview.data.total} ligne${preview.data.total > 1 ? 's' : ''} à purger`}
            </Text>
            {planned.length > 0 && (
              <Table aria-label="Ce que la prochaine purge supprimera">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Données</Table.Th>
                    <Table.Th>Finalité</Table.Th>
                    <Table.Th>Lignes</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {planned.map((l) => (
                    <Table.Tr key={`${l.table}-${l.action}`}>
                      <Table.Td>{l.label}</Table.Td>
                      <Table.Td>{purposeLabels[l.purpose as Purpose]}</Table.Td>
                      <Table.Td>
                        {l.count} {actionLabels[l.action]}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        )}
        {preview.isPending && <Text c="dimmed">Calcul de la prochaine purge…</Text>}
      </Card>
      {rules.error && <Alert color="red">{rules.error.message}</Alert>}
      {rules.data && (
        <Table aria-label="Durées de conservation par finalité" verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Finalité</Table.Th>
              <Table.Th>Fin de la conservation</Table.Th>
              <Table.Th>Délai</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rules.data.map((r) => (
              <RuleRow key={`${r.purpose}-${r.endKind}-${r.months}`} rule={r} onSaved={saved} />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
