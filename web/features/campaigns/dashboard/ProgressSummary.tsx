import { Progress, Stack, Text } from '@mantine/core';
import type { Dashboard } from '../../../../contracts/campaigns.ts';
import { plural } from '../../../../contracts/plural.ts';
import { percent } from '../CampaignsPage.tsx';
import { n } from './format.ts';

/** Launched: households reached out of those targeted, and the calls made. */
export function ProgressSummary({ totals: t }: { totals: Dashboard['totals'] }) {
  const value = t.targeted ? (100 * t.reached) / t.targeted : 0;
  const text = `${plural(t.reached, 'ménage joint', 'ménages joints')} sur ${n(t.targeted)} (${percent(t.reached, t.targeted)}) · ${plural(t.attempts, 'appel passé', 'appels passés')}`;
  return (
    <Stack gap={4}>
      <Progress value={value} size="xl" color="teal" aria-label={`Avancement : ${text}`} />
      <Text size="sm" data-testid="progress-text">
        {text}
      </Text>
    </Stack>
  );
}
