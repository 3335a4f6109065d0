import { Table } from '@mantine/core';
import { channelLabels, exclusionLabels, exclusionReasons, sendChannels } from '../../../contracts/messaging.ts';
import { plural } from '../../../contracts/plural.ts';
import type { SendAnswer } from './api.ts';

export const audienceLabels = {
  household: 'Un ménage',
  segment: 'Les ménages du registre',
  campaign: 'Les ménages d’une campagne',
  volunteers: 'Les bénévoles',
} as const;

/** Every send's audience, with the invitations the solidarity pages send (never chosen here). */
export const sendAudienceLabels = {
  ...audienceLabels,
  distribution: 'Les ménages invités à une distribution',
  outreach: 'Les ménages invités au pied de l’immeuble',
} as const;

/** The dry run's figures: by channel, and the excluded with their reasons. */
export function PlanTable({ plan }: { plan: SendAnswer['plan'] }) {
  return (
    <Table data-testid="dry-run">
      <Table.Tbody>
        {sendChannels.map((c) => (
          <Table.Tr key={c}>
            <Table.Td>{channelLabels[c]}</Table.Td>
            <Table.Td>{plural(plan.channels[c] ?? 0, 'destinataire')}</Table.Td>
          </Table.Tr>
        ))}
        {exclusionReasons
          .filter((r) => (plan.excluded[r] ?? 0) > 0)
          .map((r) => (
            <Table.Tr key={r}>
              <Table.Td>Exclus : {exclusionLabels[r]}</Table.Td>
              <Table.Td>{plural(plan.excluded[r] ?? 0, 'ménage')}</Table.Td>
            </Table.Tr>
          ))}
      </Table.Tbody>
    </Table>
  );
}
