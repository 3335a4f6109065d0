import { Alert, Anchor, Badge, Button, Card, Group, List, Loader, Progress, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { HomeSummary } from '../../../contracts/home.ts';
import { plural, word } from '../../../contracts/plural.ts';
import { roleLabels } from '../../../contracts/roles.ts';
import { api } from '../../app/api.ts';
import { useCan, useMe } from '../../app/session.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { RaisedNeedsCard } from '../cases/RaisedNeedsCard.tsx';

/** The home page: what the signed-in user has to do now, as counts and links (no module list). */
export function HomePage({ notFound = false }: { notFound?: boolean }) {
  usePageTitle(notFound ? 'Page introuvable' : 'Accueil');
  const me = useMe();
  const can = useCan();
  const role = me.data?.stage === 'active' ? me.data.role : null;
  // Home figures go to those the server gives `home.view` (the federation analyst has its own space, /federation).
  const figures = can('home.view');
  const summary = useQuery({
    queryKey: ['home'],
    queryFn: () => api<HomeSummary>('GET', '/api/home'),
    enabled: figures,
    refetchInterval: 60_000,
  });
  if (!me.data || !role) return null;
  return (
    <Stack maw={760}>
      {notFound && <Alert color="orange">Cette page n’existe pas.</Alert>}
      <div>
        <Title order={1} size="h2">
          Bonjour {me.data.firstName}
        </Title>
        <Text size="sm" c="dimmed">
          {me.data.organisation.name} · {roleLabels[role]}
        </Text>
      </div>
      {!figures ? (
        <AnalystHome />
      ) : summary.isPending ? (
        <Loader aria-label="Chargement de votre travail du jour" />
      ) : summary.error ? (
        <Alert color="red">{summary.error.message}</Alert>
      ) : (
        <WorkList callsOnly={can('calls.make') && !can('households.read')} data={summary.data} />
      )}
      {figures && can('needs.raised') && <RaisedNeedsCard />}
    </Stack>
  );
}

/** `callsOnly`: the user's work is calling, and nothing else (no household file to open). */
function WorkList({ callsOnly, data }: { callsOnly: boolean; data: HomeSummary }) {
  // Callers who also manage see their campaigns first; everyone else, their calls first.
  const calling = data.calling && (data.calling.campaigns.length > 0 || callsOnly) && <CallingCard calling={data.calling} />;
  return (
    <>
      {!data.campaigns && calling}
      {data.campaigns && <CampaignsCard campaigns={data.campaigns} />}
      {data.campaigns && <ToDoCard data={data} />}
      {data.campaigns && calling}
      {!data.campaigns && data.followups && data.cases && <CasesCard followups={data.followups} cases={data.cases} />}
      {!data.campaigns && data.doorstep && <DoorstepCard pending={data.doorstep.pending} />}
    </>
  );
}

const nextCallLink = (campaignId: string) => `/appels?campagne=${campaignId}&suivant=1`;
/** A button whose label (with the campaign's name) wraps on a phone instead of being cut off. */
const wrappingLink = {
  root: { height: 'auto', minHeight: 60, paddingTop: 8, paddingBottom: 8 },
  label: { whiteSpace: 'normal', textAlign: 'center', lineHeight: 1.3, overflowWrap: 'anywhere' },
} as const;

/** Callers: one big button to the next call (one per campaign), reachable without the menu on a phone. */
function CallingCard({ calling }: { calling: NonNullable<HomeSummary['calling']> }) {
  if (calling.campaigns.length === 0) {
    return (
      <Card withBorder>
        <Title order={2} size="h4">
          Appels
        </Title>
        <Text mt="xs">
          Aucune campagne d’appels ne vous est confiée pour le moment. Le responsable des campagnes de votre organisme vous ajoutera à une équipe d’appel.
        </Text>
      </Card>
    );
  }
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h4">
          Vos appels
        </Title>
        <Text size="sm">
          {calling.campaigns.length === 1 ? `Campagne : ${calling.campaigns[0]?.name}` : `${plural(calling.campaigns.length, 'campagne')} en cours`}
        </Text>
        {calling.callbacksDue > 0 && (
          <Text fw={600} c="orange.9">
            {plural(calling.callbacksDue, 'rappel promis', 'rappels promis')} à passer maintenant
          </Text>
        )}
        {/* One tap to the call card: the caller's page asks for the next household of that campaign at once. */}
        {calling.campaigns.length === 1 ? (
          <Button component={Link} to={nextCallLink(calling.campaigns[0]!.id)} size="xl" fullWidth>
            Appeler le suivant
          </Button>
        ) : (
          calling.campaigns.map((c) => (
            <Button key={c.id} component={Link} to={nextCallLink(c.id)} size="xl" fullWidth styles={wrappingLink}>
              <span>
                Appeler le suivant
                <Text component="span" display="block" size="sm" fw={400}>
                  {c.name}
                </Text>
              </span>
            </Button>
          ))
        )}
      </Stack>
    </Card>
  );
}

/** Managers: running campaigns with how far each got. */
function CampaignsCard({ campaigns }: { campaigns: NonNullable<HomeSummary['campaigns']> }) {
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            Campagnes en cours
          </Title>
          <Anchor component={Link} to="/campagnes" size="sm">
            Toutes les campagnes
          </Anchor>
        </Group>
        {campaigns.length === 0 ? (
          <Group justify="space-between">
            <Text>Aucune campagne d’appels en cours.</Text>
            <Button component={Link} to="/campagnes/nouvelle" variant="light">
              Préparer une campagne
            </Button>
          </Group>
        ) : (
          campaigns.map((c) => {
            const percent = c.targeted ? Math.round((100 * c.reached) / c.targeted) : 0;
            return (
              <Stack key={c.id} gap={4}>
                <Group justify="space-between" wrap="nowrap">
                  <Anchor component={Link} to={`/campagnes/${c.id}`} fw={600}>
                    {c.name}
                  </Anchor>
                  {c.status === 'paused' && <Badge color="gray">En pause</Badge>}
                </Group>
                <Progress value={percent} aria-label={`${c.name} : ${percent} % des ménages joints`} />
                <Text size="sm" c="dimmed">
                  {plural(c.reached, 'ménage joint', 'ménages joints')} sur {c.targeted} ({percent} %)
                </Text>
              </Stack>
            );
          })
        )}
      </Stack>
    </Card>
  );
}

type Item = { count: number; text: string; to: string; urgent?: boolean };

function ItemsList({ items, empty }: { items: Item[]; empty: string }) {
  const shown = items.filter((i) => i.count > 0);
  if (shown.length === 0) return <Text>{empty}</Text>;
  return (
    <List spacing="xs">
      {shown.map((i) => (
        <List.Item key={i.to + i.text}>
          <Anchor component={Link} to={i.to} c={i.urgent ? 'red.9' : undefined} fw={i.urgent ? 700 : undefined}>
            {i.text}
          </Anchor>
        </List.Item>
      ))}
    </List>
  );
}

/** Managers and org admins: what cannot wait. */
function ToDoCard({ data }: { data: HomeSummary }) {
  const f = data.followups;
  const items: Item[] = [
    { count: f?.urgent ?? 0, text: `${plural(f?.urgent ?? 0, 'urgence')} à traiter`, to: '/suivi?urgent=1', urgent: true },
    {
      count: f?.overdue ?? 0,
      text: `${plural(f?.overdue ?? 0, 'suivi ouvert', 'suivis ouverts')} depuis plus de ${f?.overdueDays ?? 7} jours`,
      to: '/suivi',
    },
    { count: data.cases?.overdue ?? 0, text: `${plural(data.cases?.overdue ?? 0, 'dossier')} avec une tâche en retard`, to: '/dossiers' },
    {
      count: data.overdueCallbacks ?? 0,
      text: `${plural(data.overdueCallbacks ?? 0, 'rappel promis', 'rappels promis')} dont l’heure est passée`,
      to: '/campagnes',
    },
    { count: data.doorstep?.pending ?? 0, text: `${plural(data.doorstep?.pending ?? 0, 'visite')} en porte-à-porte à faire`, to: '/porte-a-porte' },
    { count: data.notesToReview ?? 0, text: `${plural(data.notesToReview ?? 0, 'note d’appel', 'notes d’appel')} à relire`, to: '/admin/notes' },
  ];
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h4">
          À traiter
        </Title>
        <ItemsList items={items} empty="Rien en retard : aucune urgence, aucun suivi, dossier ni rappel en attente." />
        {f && f.open > 0 && (
          <Text size="sm" c="dimmed">
            En tout, {plural(f.open, 'suivi ouvert', 'suivis ouverts')}.
          </Text>
        )}
      </Stack>
    </Card>
  );
}

/** Staff and social workers: the cases of their agency, theirs first, and the urgent needs heard. */
function CasesCard({ followups: f, cases: c }: { followups: NonNullable<HomeSummary['followups']>; cases: NonNullable<HomeSummary['cases']> }) {
  const active = c.open + c.waitingPartner + c.waitingTenant;
  const items: Item[] = [
    { count: f.urgent, text: `${plural(f.urgent, 'urgence')} à traiter`, to: '/suivi?urgent=1', urgent: true },
    { count: c.overdue, text: `${plural(c.overdue, 'dossier')} avec une tâche en retard`, to: '/dossiers', urgent: true },
    { count: c.mine, text: `${plural(c.mine, 'dossier')} qui vous ${word(c.mine, 'est attribué', 'sont attribués')}`, to: '/dossiers?moi=1' },
    { count: c.waitingPartner, text: `${plural(c.waitingPartner, 'dossier')} en attente d’un partenaire`, to: '/dossiers' },
    { count: active, text: `${plural(active, 'dossier ouvert', 'dossiers ouverts')} en tout`, to: '/dossiers' },
  ];
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h4">
          Vos dossiers
        </Title>
        <ItemsList items={items} empty="Aucun dossier ouvert dans votre agence." />
      </Stack>
    </Card>
  );
}

/** Caretakers: the doorstep visits of their residences. */
function DoorstepCard({ pending }: { pending: number }) {
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h4">
          Porte-à-porte
        </Title>
        <Text size="lg" fw={600} data-testid="doorstep-count">
          {pending === 0 ? 'Aucune visite à faire pour le moment.' : `${plural(pending, 'visite')} à faire`}
        </Text>
        <Text size="sm">Des ménages sans téléphone ou injoignables, à rencontrer chez eux.</Text>
        <Button component={Link} to="/porte-a-porte" size="lg" fullWidth>
          Voir les visites
        </Button>
      </Stack>
    </Card>
  );
}

/** The federation analyst: the federation's space, aggregates only. */
function AnalystHome() {
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h4">
          Espace fédération
        </Title>
        <Text>
          Les indicateurs que vos bailleurs membres choisissent de partager : par membre, département, quartier prioritaire et mois, et le rapport périodique.
          Votre compte ne donne accès à aucune donnée de ménage.
        </Text>
        <Group>
          <Button component={Link} to="/federation">
            Ouvrir l’espace fédération
          </Button>
          <Button component={Link} to="/compte/securite" variant="light">
            Sécurité du compte
          </Button>
          <Button component={Link} to="/aide" variant="light">
            Aide
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
