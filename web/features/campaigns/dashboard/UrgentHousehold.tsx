import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { Dashboard } from '../../../../contracts/campaigns.ts';

/** The household as staff know it: holder's name and ERP reference, linked to its file when the role may open it. */
export function UrgentHousehold({ u }: { u: Dashboard['urgent'][number] }) {
  const name = u.holder ? `${u.holder} (réf. ${u.erpRef})` : `Ménage réf. ${u.erpRef}`;
  return u.householdId ? (
    <Anchor component={Link} to={`/menages/${u.householdId}`} c="white" underline="always" fw={700}>
      {name}
    </Anchor>
  ) : (
    <Text span fw={700}>
      {name}
    </Text>
  );
}
