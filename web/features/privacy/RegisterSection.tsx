import { Accordion, Alert, Badge, Card, Group, List, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ProcessingRegister } from '../../../contracts/register.ts';
import { api } from '../../app/api.ts';

/**
 * « Registre des traitements » (TRUST DP-12), read-only: one entry per purpose, built by the server
 * from the classification of every column and the abilities of each role. The DPO copies it into
 * the organisation's own register (docs/aipd/registre.md is the same model).
 */
export function RegisterSection() {
  const register = useQuery({ queryKey: ['privacy-register'], queryFn: () => api<ProcessingRegister>('GET', '/api/privacy/register') });
  return (
    <Card withBorder component="section" aria-labelledby="register-title">
      <Stack>
        <Title order={2} id="register-title">
          Registre des traitements
        </Title>
        <Text size="sm" c="dimmed">
          Une fiche par finalité, tirée de la classification de chaque donnée dans Lien : les données traitées, les rôles qui les voient, les catégories de
          sous-traitants. Les descriptions et les bases légales sont des propositions à valider ; reportez-les dans le registre de votre organisme avec vos
          sous-traitants et vos durées de conservation (tableau des durées par défaut : docs/aipd/conservation.md).
        </Text>
        {register.isPending && <Loader size="sm" aria-label="Chargement du registre" />}
        {register.error && <Alert color="red">{register.error.message}</Alert>}
        {register.data && (
          <Accordion multiple variant="separated" aria-label="Fiches du registre">
            {register.data.entries.map((e) => (
              <Accordion.Item key={e.purpose} value={e.purpose}>
                <Accordion.Control>
                  <Group justify="space-between" gap="xs" pr="sm">
                    <Text fw={600}>{e.label}</Text>
                    {e.classes[0] && (
                      <Badge
                        variant="light"
                        color={e.classes[0].class === 'art9_health' ? 'red' : e.classes[0].class === 'social_sensitive' ? 'orange' : 'blue'}
                      >
                        {e.classes[0].label}
                      </Badge>
                    )}
                  </Group>
                </Accordion.Control>
                <Accordion.Panel>
                  <Stack gap="xs">
                    <Text size="sm">{e.description}</Text>
                    <List size="sm" spacing={4}>
                      <List.Item>
                        <strong>Base légale proposée :</strong> {e.legalBasis}
                      </List.Item>
                      <List.Item>
                        <strong>Personnes concernées :</strong> {e.persons}
                      </List.Item>
                      <List.Item>
                        <strong>Destinataires (rôles dans Lien) :</strong> {e.recipients.length ? e.recipients.join(', ') : 'aucun aujourd’hui'}
                      </List.Item>
                      <List.Item>
                        <strong>Sous-traitants :</strong> {e.processors.join(', ')}
                      </List.Item>
                      <List.Item>
                        <strong>Catégories de données :</strong>{' '}
                        {e.classes.length
                          ? e.classes.map((c) => `${c.label} (${c.columns} colonne${c.columns > 1 ? 's' : ''})`).join(', ')
                          : 'aucune aujourd’hui'}
                      </List.Item>
                      <List.Item>
                        <strong>Conservation :</strong> {e.retention}
                      </List.Item>
                    </List>
                    {e.tables.length > 0 && (
                      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
                      <section style={{ overflowX: 'auto' }} tabIndex={0} aria-label={`Données de la finalité ${e.label}, tableau défilant`}>
                        <Table striped aria-label={`Données de la finalité ${e.label}`} miw={500}>
                          <Table.Thead>
                            <Table.Tr>
                              <Table.Th>Données</Table.Th>
                              <Table.Th>Classe la plus sensible</Table.Th>
                            </Table.Tr>
                          </Table.Thead>
                          <Table.Tbody>
                            {e.tables.map((t) => (
                              <Table.Tr key={t.table}>
                                <Table.Td>{t.label}</Table.Td>
                                <Table.Td>{t.classLabel}</Table.Td>
                              </Table.Tr>
                            ))}
                          </Table.Tbody>
                        </Table>
                      </section>
                    )}
                  </Stack>
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
        )}
      </Stack>
    </Card>
  );
}
