import { Anchor, Group, Text } from '@mantine/core';
import type { z } from 'zod';
import { plural } from '../../../contracts/plural.ts';
import type { invitationFigures } from '../../../contracts/solidarity.ts';

export type InvitationFigures = z.infer<typeof invitationFigures>;

/** How a distribution's or an event's households were invited (SMS, letter), and the letters to print. */
export function Invitations({ figures }: { figures: InvitationFigures | null }) {
  if (!figures) return <Text size="sm">Personne n’est encore invité par SMS ou par courrier.</Text>;
  return (
    <Group gap="sm" data-testid="invitations">
      <Text size="sm">
        Invités par SMS : {figures.sms} · par courrier : {figures.letters}
        {figures.excluded > 0 ? ` · ${plural(figures.excluded, 'ménage', 'ménages')} sans invitation (à ne pas contacter, ou sans moyen de contact)` : ''}
      </Text>
      {figures.letters > 0 && (
        <Anchor href={`/api/messaging/sends/${figures.sendId}/letters`} download>
          Imprimer les courriers d’invitation (PDF)
        </Anchor>
      )}
    </Group>
  );
}
