import { Alert, Loader, Stack, Text, Title } from '@mantine/core';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { AnalystSpace } from './AnalystSpace.tsx';
import { useSpace } from './api.ts';
import { SharingSpace } from './SharingSpace.tsx';

/**
 * « Fédération » (issue 18): a federation's analysts and administrator see their members'
 * indicators (aggregates only); a landlord's administrator chooses what it shares with each
 * federation that lists it, sees exactly what would leave, and may leave.
 */
export function FederationPage() {
  const space = useSpace();
  const federation = space.data?.kind === 'federation';
  usePageTitle(federation ? 'Fédération' : 'Partage avec les fédérations');
  return (
    <Stack>
      <Title order={1}>{federation ? `Fédération — ${space.data?.name ?? ''}` : 'Partage avec les fédérations'}</Title>
      {space.isPending && <Loader aria-label="Chargement…" />}
      {space.isError && (
        <Alert color="red" title="Erreur">
          {space.error.message}
        </Alert>
      )}
      {space.data &&
        (federation ? (
          <AnalystSpace space={space.data} />
        ) : (
          <>
            <Text>
              Une fédération de bailleurs ne reçoit jamais de donnée sur une personne : seulement des chiffres par mois, département et quartier prioritaire,
              calculés chez vous, et aucune case de moins de 11 ménages.
            </Text>
            <SharingSpace space={space.data} />
          </>
        ))}
    </Stack>
  );
}
