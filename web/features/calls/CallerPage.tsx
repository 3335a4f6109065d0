import { Alert, Badge, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { campaignStatusLabels } from '../../../contracts/campaign-labels.ts';
import { noteFlagMessages } from '../../../contracts/note-guard.ts';
import { ApiError } from '../../app/api.ts';
import { useCan, useMe } from '../../app/session.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import {
  acceptCharter,
  type CallerCampaign,
  type CharterStatus,
  type ClaimedCall,
  formatParisInstant,
  nextCall,
  type OutcomeResult,
  useCharter,
  useMyCampaigns,
} from './api.ts';
import { CallCard } from './CallCard.tsx';
import { TouchChoices, wrappingButton } from './TouchChoices.tsx';

type Stage =
  | { kind: 'idle'; reason?: string | null; notice?: string | null }
  | { kind: 'call'; call: ClaimedCall }
  | { kind: 'done'; call: ClaimedCall; result: OutcomeResult };

/**
 * The caller's page, built for a phone: the confidentiality charter first, then the campaign,
 * then one household at a time (« Appeler le suivant »), its script and its outcome.
 */
export function CallerPage() {
  usePageTitle('Appels');
  const me = useMe();
  const charter = useCharter();
  const client = useQueryClient();
  const [charterDemanded, setCharterDemanded] = useState(false);
  const can = useCan();
  // The server holds callers from outside the staff (`calls.restricted`: they call but open no household file) to the
  // charter before any call; anyone else it asks (« charter_required » on « next ») is shown it too.
  const outsideCaller = can('calls.restricted');
  const needsCharter = !!charter.data && charter.data.acceptedAt === null && (outsideCaller || charterDemanded);
  const campaigns = useMyCampaigns(!!charter.data && !needsCharter);

  let body: React.ReactNode;
  if (charter.isPending || me.isPending) body = <Loader aria-label="Chargement" />;
  else if (charter.error) body = <Alert color="red">{charter.error.message}</Alert>;
  else if (needsCharter)
    body = (
      <Charter
        charter={charter.data}
        onAccepted={async () => {
          setCharterDemanded(false);
          await client.invalidateQueries({ queryKey: ['calls'] });
        }}
      />
    );
  else if (campaigns.isPending) body = <Loader aria-label="Chargement des campagnes" />;
  else if (campaigns.error) body = <Alert color="red">{campaigns.error.message}</Alert>;
  else
    body = (
      <Calling
        campaigns={campaigns.data}
        callerFirstName={me.data?.firstName ?? ''}
        onCharterRequired={async () => {
          setCharterDemanded(true);
          await client.invalidateQueries({ queryKey: ['calls', 'charter'] });
        }}
      />
    );

  return (
    <Stack maw={640} w="100%" mx="auto" gap="md">
      <Title order={1}>Appels</Title>
      {body}
    </Stack>
  );
}

function Charter({ charter, onAccepted }: { charter: CharterStatus; onAccepted: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();
  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      await acceptCharter(charter.version);
      await onAccepted();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Une erreur est survenue.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder component="section" aria-labelledby={titleId}>
      <Stack>
        <Title order={3} id={titleId}>
          Charte de confidentialité
        </Title>
        <Text size="sm">Avant votre premier appel, lisez et acceptez la charte (version {charter.version}).</Text>
        <Text style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>{charter.text}</Text>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Button size="lg" fullWidth onClick={accept} loading={busy} styles={wrappingButton}>
          J’ai lu et j’accepte la charte
        </Button>
      </Stack>
    </Card>
  );
}

function Calling({
  campaigns,
  callerFirstName,
  onCharterRequired,
}: {
  campaigns: CallerCampaign[];
  callerFirstName: string;
  onCharterRequired: () => Promise<void>;
}) {
  const [chosen, setChosen] = useState<string | null>(null);
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const labelId = useId();
  const plansCampaigns = useCan()('campaigns.manage');
  const campaignId = chosen ?? (campaigns.length === 1 ? campaigns[0]!.id : null);
  const campaign = campaigns.find((c) => c.id === campaignId);
  // « Appeler le suivant » on the home page links here with ?suivant=1 (and ?campagne=<id> when the
  // caller has one campaign): the page asks for the next household at once, so one tap lands on
  // the call card. With several campaigns, the caller's choice of campaign asks for it.
  const [params, setParams] = useSearchParams();
  const nextRequested = params.get('suivant') === '1';
  const forgetRequest = () => {
    if (nextRequested) setParams({}, { replace: true });
  };

  const askNext = async (id = campaignId) => {
    if (!id) return;
    setBusy(true);
    setError(null);
    try {
      const { call, reason } = await nextCall(id);
      forgetRequest();
      setStage(call ? { kind: 'call', call } : { kind: 'idle', reason: reason ?? 'Aucun ménage à appeler pour le moment.' });
      window.scrollTo({ top: 0 });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'caller_limit_reached') {
        // Past the campaign's hourly limit: not a failure, a pause, with the time calls resume.
        forgetRequest();
        setStage({ kind: 'idle', reason: e.message });
        return;
      }
      // The charter first: the request stays in the address, and is answered once it is accepted.
      if (e instanceof ApiError && e.code === 'charter_required') await onCharterRequired();
      else forgetRequest();
      setError(e instanceof Error ? e.message : 'Une erreur est survenue.');
    } finally {
      setBusy(false);
    }
  };

  // After a reload (or coming back to the page), the household still reserved to the caller is
  // shown at once: « next » hands back the held claim before anything else. Once per visit.
  const resumed = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: on arrival only, with the campaigns the page arrived with.
  useEffect(() => {
    if (resumed.current) return;
    resumed.current = true;
    const holding = campaigns.find((c) => c.holding);
    if (holding) {
      setChosen(holding.id);
      void askNext(holding.id);
      return;
    }
    if (!nextRequested) return;
    const requested = campaigns.find((c) => c.id === params.get('campagne')) ?? (campaigns.length === 1 ? campaigns[0] : undefined);
    if (!requested) return;
    setChosen(requested.id);
    void askNext(requested.id);
  }, []);

  if (campaigns.length === 0) {
    return (
      <Alert color="blue">
        Aucune campagne d’appels ne vous est confiée pour le moment.{' '}
        {plansCampaigns
          ? 'Pour appeler vous-même, ajoutez-vous aux appelants d’une campagne dans « Campagnes d’appels ».'
          : 'Votre responsable vous ajoutera à une campagne.'}
      </Alert>
    );
  }

  if (stage.kind === 'call') {
    return (
      <CallCard
        key={stage.call.targetId}
        call={stage.call}
        callerFirstName={callerFirstName}
        onRecorded={(result) => {
          setStage({ kind: 'done', call: stage.call, result });
          window.scrollTo({ top: 0 });
        }}
        onLost={(message) => setStage({ kind: 'idle', notice: message })}
        onReleased={() => setStage({ kind: 'idle', notice: 'Le ménage est rendu à la file : il sera proposé à nouveau dans 30 minutes.' })}
      />
    );
  }

  const nextButton = (
    <Button size="xl" h={72} fullWidth onClick={() => askNext()} loading={busy} disabled={!campaignId} styles={wrappingButton}>
      Appeler le suivant
    </Button>
  );

  return (
    <Stack gap="md">
      {stage.kind === 'done' && <OutcomeSummary call={stage.call} result={stage.result} />}
      {campaigns.length > 1 && (
        <Stack gap="xs">
          <Text fw={600} id={labelId}>
            Campagne
          </Text>
          <TouchChoices
            labelledBy={labelId}
            cols={1}
            options={campaigns.map((c) => ({ value: c.id, label: c.status === 'active' ? c.name : `${c.name} (${campaignStatusLabels[c.status]})` }))}
            value={campaignId}
            onChange={(id) => {
              setChosen(id);
              setStage({ kind: 'idle' });
              if (id && nextRequested) void askNext(id);
            }}
          />
        </Stack>
      )}
      {campaign && (
        <Group gap="xs">
          <Text size="sm">
            Campagne : <strong>{campaign.name}</strong>
          </Text>
          {campaign.status !== 'active' && (
            <Badge color="gray" variant="light">
              {campaignStatusLabels[campaign.status]}
            </Badge>
          )}
        </Group>
      )}
      {stage.kind === 'idle' && stage.notice && (
        <Alert color="orange" role="status">
          {stage.notice}
        </Alert>
      )}
      {stage.kind === 'idle' && stage.reason && (
        <Alert color="blue" role="status" title="Pas d’appel pour l’instant">
          {stage.reason}
        </Alert>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!campaignId ? <Text>Choisissez une campagne pour commencer.</Text> : nextButton}
    </Stack>
  );
}

/** What the recorded call triggered, in French. */
function OutcomeSummary({ call, result }: { call: ClaimedCall; result: OutcomeResult }) {
  const needLabels = new Map<string, string>();
  for (const q of call.script.questions) for (const r of q.rules) if (r.effect === 'need') needLabels.set(r.need, r.label);
  const items: React.ReactNode[] = [];
  for (const need of result.needsOpened) items.push(`Besoin transmis à l’équipe : ${needLabels.get(need) ?? need}`);
  if (result.needsWithoutConsent > 0) {
    items.push(
      result.needsWithoutConsent === 1
        ? 'Un besoin de santé n’a pas été enregistré : la personne n’a pas donné son accord.'
        : `${result.needsWithoutConsent} besoins de santé n’ont pas été enregistrés : la personne n’a pas donné son accord.`,
    );
  }
  if (result.watchEnrolled) items.push(`${call.firstName || 'La personne'} est inscrit·e en veille régulière.`);
  if (result.nextAttemptAt) items.push(`Prochain essai : ${formatParisInstant(result.nextAttemptAt)}.`);
  if (result.doorstep) items.push('Ménage confié au gardien pour un porte-à-porte.');
  return (
    <Stack gap="sm">
      <Alert color="teal" role="status" title="Appel enregistré">
        {items.length === 0 ? (
          <Text size="sm">
            {result.urgent ? 'Merci. Suivez la consigne d’urgence si ce n’est pas déjà fait.' : 'Merci, rien d’autre à faire pour ce ménage.'}
          </Text>
        ) : (
          // A plain list: Mantine's List would be one more script for the caller's phone.
          <Stack component="ul" gap={4} m={0} ps="lg">
            {items.map((item, i) => (
              <Text component="li" size="sm" key={i}>
                {item}
              </Text>
            ))}
          </Stack>
        )}
      </Alert>
      {result.urgent && (
        <Alert color="red" role="alert" title="Urgence signalée">
          Les responsables sont alertés et un suivi urgent est ouvert.
        </Alert>
      )}
      {result.noteFlags.map((flag) => (
        <Alert key={flag} color="orange" title="Note signalée pour relecture">
          {noteFlagMessages[flag as keyof typeof noteFlagMessages] ?? flag}
        </Alert>
      ))}
    </Stack>
  );
}
