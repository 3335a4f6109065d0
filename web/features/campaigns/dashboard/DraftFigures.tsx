import { Alert, SimpleGrid, Stack } from '@mantine/core';
import type { CampaignDetail } from '../../../../contracts/campaigns.ts';
import { plural, word } from '../../../../contracts/plural.ts';
import { useSegmentCount } from '../api.ts';
import { Figure } from './Figure.tsx';
import { n } from './format.ts';

/** Before launch: the households the queue will receive (the segment's count today), said once and consistently with the figures. */
export function DraftFigures({ campaign }: { campaign: CampaignDetail }) {
  const count = useSegmentCount(campaign.segment);
  const targeted = count.data?.targeted;
  return (
    <Stack>
      <Alert color="blue" title="Brouillon : pas encore lancé" data-testid="draft-summary">
        {count.data
          ? `${plural(count.data.targeted, 'ménage')} ${word(count.data.targeted, 'sera appelé', 'seront appelés')} au lancement — ${plural(count.data.excludedNoCall, 'exclu')} (« ne pas appeler »). `
          : count.error
            ? `${count.error.message} `
            : 'Calcul du nombre de ménages… '}
        Lancez la campagne pour remplir la file d’appels.
      </Alert>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Figure label="Ménages à appeler" value={targeted === undefined ? '…' : n(targeted)} detail="brouillon : pas encore lancé" testId="figure-targeted" />
        <Figure label="Exclus (« ne pas appeler »)" value={count.data ? n(count.data.excludedNoCall) : '…'} testId="figure-excluded" />
      </SimpleGrid>
    </Stack>
  );
}
