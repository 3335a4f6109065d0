import { Anchor, Card, Checkbox, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useCan } from '../../app/session.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { useReferrals } from './api.ts';
import { ReferralStatusBadge } from './CaseReferrals.tsx';

const date = (iso: string) => new Date(iso).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });

/**
 * /orientations: a partner's inbox (only the referrals addressed to their partner — the server and
 * the database decide), or, for case workers, every referral of their agencies with the overdue ones first.
 */
export function ReferralsPage() {
  const partner = useCan()('referrals.receive');
  usePageTitle(partner ? 'Orientations reçues' : 'Orientations');
  const [overdue, setOverdue] = useState(false);
  const list = useReferrals(overdue ? { overdue: true } : {});
  const late = list.data?.filter((r) => r.overdue).length ?? 0;
  return (
    <Stack>
      <Title order={1}>{partner ? 'Orientations reçues' : 'Orientations'}</Title>
      <Text size="sm">
        {partner
          ? 'Les ménages que le bailleur vous oriente, avec seulement les informations que le ménage a accepté de vous transmettre. Accusez réception, acceptez ou refusez, puis faites votre retour.'
          : 'Les orientations envoyées aux partenaires. En rouge : celles sans accusé de réception dans le délai du partenaire.'}
      </Text>
      <Group>
        <Checkbox label={`Seulement les orientations en retard (${late})`} checked={overdue} onChange={(e) => setOverdue(e.currentTarget.checked)} />
      </Group>
      <Card withBorder>
        {list.data && list.data.length === 0 && <Text size="sm">Aucune orientation.</Text>}
        {list.data && list.data.length > 0 && (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Envoyée le</Table.Th>
                {!partner && <Table.Th>Partenaire</Table.Th>}
                <Table.Th>Besoin</Table.Th>
                <Table.Th>Commune</Table.Th>
                <Table.Th>Statut</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/orientations/${r.id}`}>
                      {date(r.sentAt)}
                    </Anchor>
                  </Table.Td>
                  {!partner && <Table.Td>{r.partner}</Table.Td>}
                  <Table.Td>{r.needType ?? ''}</Table.Td>
                  <Table.Td>{r.commune ?? ''}</Table.Td>
                  <Table.Td>
                    <ReferralStatusBadge r={r} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </Stack>
  );
}
