import { Alert, Anchor, Badge, Button, Card, Group, Loader, Modal, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { HouseholdFile } from '../../../contracts/households.ts';
import {
  indicatorKinds,
  indicatorLabels,
  indicatorSourceLabels,
  objectionLabels,
  preferredChannelLabels,
  preferredChannels,
} from '../../../contracts/households.ts';
import { euros } from '../../../contracts/money.ts';
import { formatPhone } from '../../../contracts/phone.ts';
import { ApiError } from '../../app/api.ts';
import { useCan } from '../../app/session.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { HouseholdArrearsCard } from '../arrears/HouseholdArrearsCard.tsx';
import { OpenCaseForm } from '../cases/OpenCaseForm.tsx';
import { ContactForm } from './ContactForm.tsx';
import { HouseholdTimeline } from './HouseholdTimeline.tsx';
import { useHousehold, useHouseholdAction } from './households-api.ts';
import { consentChannelLabels, consentPurposeLabels, needCategoryLabels } from './labels.ts';
import { NeedForm } from './NeedForm.tsx';

const roleLabels: Record<string, string> = { holder: 'titulaire', co_holder: 'cotitulaire', occupant: 'occupant·e' };
const kindLabels: Record<string, string> = { mobile: 'Portable', landline: 'Fixe', email: 'E-mail' };
/** « 3 novembre 2026 », in Paris time. */
const longDate = (iso: string) => new Date(iso).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });
const date = (iso: string | null) => (iso ? new Date(iso.length === 10 ? `${iso}T00:00:00` : iso).toLocaleDateString('fr-FR') : '—');

/** The household file: members, contacts, home, indicators with their source, objections, needs, timeline. */
export function HouseholdPage() {
  usePageTitle('Fiche du ménage');
  const { id = '' } = useParams();
  const household = useHousehold(id);
  const can = useCan();
  const act = useHouseholdAction(id);
  const [contactFor, setContactFor] = useState<string | null>(null);
  const [prefsFor, setPrefsFor] = useState<HouseholdFile['persons'][number] | null>(null);
  if (household.isPending) return <Loader aria-label="Chargement" />;
  if (household.error) return <HouseholdError error={household.error} />;
  const file = household.data as HouseholdFile;
  // A role reads only some field groups (the matrix's households section): an absent group is not shown.
  const shown = (key: keyof HouseholdFile) => key in file;
  const f = {
    ...file,
    indicators: file.indicators ?? [],
    objections: file.objections ?? [],
    consents: file.consents ?? [],
    needs: file.needs ?? [],
    timeline: file.timeline ?? [],
  };
  const canEdit = can('households.edit');
  const run = (fn: () => Promise<unknown>, message: string) => fn().then(() => notifySuccess(message), notifyError);
  // Only a consent given for health needs covers a health or disability need; the regular watch has its own.
  const activeConsent = f.consents.find((c) => c.purpose === 'health_needs' && !c.withdrawnAt);
  const holder = f.persons[0];
  return (
    <Stack maw={1100}>
      <Anchor component={Link} to="/menages" size="sm">
        ← Recherche
      </Anchor>
      <Group justify="space-between">
        <Title order={1}>Ménage {holder ? `${holder.lastName} ${holder.firstName}` : f.erpRef}</Title>
        <Group gap="xs">
          {f.status === 'left' && <Badge color="gray">Sorti le {date(f.leftAt ?? null)}</Badge>}
          {f.missingSince && <Badge color="orange">Absent du dernier export — à vérifier</Badge>}
          {f.restriction && <Badge color="orange">Accès limité</Badge>}
          {f.objections.map((o) => (
            <Badge key={o.id} color="red">
              {objectionLabels[o.kind as 'no_call'] ?? o.kind}
            </Badge>
          ))}
        </Group>
      </Group>
      {can('followups.work') && <OpenCaseForm householdId={f.id} />}
      {can('followups.work') && (
        <Anchor component={Link} to={`/menages/${f.id}/documents-locataire`}>
          Espace locataire : documents
        </Anchor>
      )}
      {f.restriction && (
        <Alert color="orange" title="Accès limité après une demande d’effacement">
          {f.restriction.reason} Ne l’utilisez que pour la gestion du bail et des impayés.
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={4}>Logement</Title>
          {f.residence && (
            <>
              <Text>
                {f.residence.name}
                {f.residence.qpv ? ' (QPV)' : ''}
              </Text>
              <Text size="sm">
                {f.residence.address} {f.residence.postalCode} {f.residence.city}
              </Text>
            </>
          )}
          {f.unit && (
            <Text size="sm">
              Logement {f.unit.ref}
              {f.unit.floor !== null ? ` · étage ${f.unit.floor}` : ''}
              {f.unit.hasLift === false ? ' · sans ascenseur' : ''}
              {f.unit.rooms ? ` · ${f.unit.rooms} pièces` : ''}
            </Text>
          )}
          {f.agency && (
            <Text size="sm">
              {f.agency.name}
              {f.agency.dutyPhone ? ` · permanence ${formatPhone(f.agency.dutyPhone)}` : ''}
            </Text>
          )}
          {f.lease && (
            <Text size="sm">
              Bail {f.lease.ref} depuis le {date(f.lease.startDate)}
            </Text>
          )}
          {f.balanceCents != null && (
            <Text size="sm" c={f.balanceCents > 0 ? 'red.9' : undefined}>
              Solde : {euros(f.balanceCents)}
            </Text>
          )}
        </Card>
        {shown('indicators') && (
          <Card withBorder>
            <Title order={4}>Fragilité</Title>
            <Group gap="xs" my="xs">
              {f.indicators.length === 0 && <Text size="sm">Aucun indicateur.</Text>}
              {f.indicators.map((i) => (
                <Badge
                  key={i.id}
                  variant="light"
                  rightSection={
                    canEdit ? (
                      <button
                        type="button"
                        aria-label={`Retirer ${indicatorLabels[i.kind as 'lives_alone']}`}
                        onClick={() => run(() => act('DELETE', `/indicators/${i.id}`), 'Indicateur retiré.')}
                        style={{ border: 0, background: 'none', cursor: 'pointer' }}
                      >
                        ×
                      </button>
                    ) : null
                  }
                >
                  {indicatorLabels[i.kind as 'lives_alone'] ?? i.kind} · {indicatorSourceLabels[i.source] ?? i.source}, {date(i.recordedAt)}
                </Badge>
              ))}
            </Group>
            {canEdit && (
              <Group>
                <Select
                  aria-label="Ajouter un indicateur"
                  placeholder="Ajouter un indicateur"
                  data={indicatorKinds.map((k) => ({ value: k, label: indicatorLabels[k] }))}
                  value={null}
                  onChange={(v) => v && run(() => act('POST', '/indicators', { kind: v }), 'Indicateur ajouté.')}
                />
              </Group>
            )}
          </Card>
        )}
      </SimpleGrid>
      {shown('objections') && <Objections objections={f.objections} canEdit={!!canEdit} act={act} run={run} />}
      <Card withBorder>
        <Title order={4}>Occupants</Title>
        <Table aria-label="Occupants">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Nom</Table.Th>
              <Table.Th>Âge</Table.Th>
              <Table.Th>Qualité</Table.Th>
              <Table.Th>Coordonnées</Table.Th>
              {canEdit && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {f.persons.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>
                  {p.civility} {p.firstName} {p.lastName}
                </Table.Td>
                <Table.Td>
                  {p.age ?? '—'}
                  {p.birthDate ? ` (${date(p.birthDate)})` : ''}
                </Table.Td>
                <Table.Td>{roleLabels[p.role] ?? p.role}</Table.Td>
                <Table.Td>
                  {(p.contacts ?? []).map((c) => (
                    <Text size="sm" key={c.id}>
                      {kindLabels[c.kind]} : {c.kind === 'email' ? c.value : <Anchor href={`tel:${c.value}`}>{formatPhone(c.value)}</Anchor>}{' '}
                      <Text span size="xs">
                        ({indicatorSourceLabels[c.source] ?? c.source}
                        {c.since ? `, depuis le ${longDate(c.since)}` : ''})
                      </Text>
                      {c.newer !== undefined && (
                        <Text span size="xs" fw={700} c={c.newer ? 'teal' : 'dimmed'}>
                          {' '}
                          {c.newer ? '— la plus récente des deux valeurs' : '— plus ancienne que l’autre valeur'}
                        </Text>
                      )}
                    </Text>
                  ))}
                  {(p.preferredChannel || p.preferredLanguage) && (
                    <Text size="sm">
                      Préférence :{' '}
                      {[p.preferredChannel ? preferredChannelLabels[p.preferredChannel] : null, p.preferredLanguage ? `langue ${p.preferredLanguage}` : null]
                        .filter(Boolean)
                        .join(' · ')}
                    </Text>
                  )}
                </Table.Td>
                {canEdit && (
                  <Table.Td>
                    <Group gap={4}>
                      <Button size="xs" variant="light" onClick={() => setContactFor(p.id)}>
                        Corriger
                      </Button>
                      <Button size="xs" variant="subtle" onClick={() => setPrefsFor(p)} aria-label={`Préférences de contact de ${p.firstName} ${p.lastName}`}>
                        Préférences
                      </Button>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      {shown('needs') && (
        <Card withBorder>
          <Title order={4}>Besoins déclarés</Title>
          {f.needs.map((n) => (
            <Group key={n.id} gap="xs">
              <Text size="sm">
                {needCategoryLabels[n.category]} : {n.label} ({date(n.recordedAt)})
              </Text>
              {canEdit && (
                <Button size="compact-xs" variant="subtle" onClick={() => run(() => act('DELETE', `/needs/${n.id}`), 'Besoin retiré.')}>
                  Retirer
                </Button>
              )}
            </Group>
          ))}
          {canEdit && <NeedForm consentId={activeConsent?.id ?? null} act={act} run={run} />}
        </Card>
      )}
      {f.consents.length > 0 && (
        <Card withBorder>
          <Title order={4}>Consentements</Title>
          {f.consents.map((c) => (
            <Group key={c.id} gap="xs">
              <Text size="sm">
                {consentPurposeLabels[c.purpose] ?? c.purpose} : recueilli {consentChannelLabels[c.channel] ?? c.channel} le {date(c.givenAt)}
                {c.withdrawnAt ? ` — retiré le ${date(c.withdrawnAt)}` : ''}
              </Text>
              {canEdit && !c.withdrawnAt && c.purpose === 'regular_watch' && (
                <Button
                  size="compact-xs"
                  variant="subtle"
                  color="red"
                  onClick={() => run(() => act('POST', `/consents/${c.id}/withdraw`), 'Consentement retiré : le ménage sort de la veille régulière.')}
                >
                  Retirer
                </Button>
              )}
            </Group>
          ))}
        </Card>
      )}
      {can('arrears.work') && <HouseholdArrearsCard householdId={id} />}
      {shown('timeline') && <HouseholdTimeline events={f.timeline} />}
      <Modal closeButtonProps={{ 'aria-label': 'Fermer' }} opened={prefsFor !== null} onClose={() => setPrefsFor(null)} title="Préférences de contact">
        {prefsFor && (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              const form = new FormData(event.currentTarget);
              const channel = String(form.get('channel') ?? '');
              const language = String(form.get('language') ?? '').trim();
              run(
                () =>
                  act('PUT', `/persons/${prefsFor.id}/preferences`, { preferredChannel: channel || null, preferredLanguage: language || null }).then(() =>
                    setPrefsFor(null),
                  ),
                'Préférences enregistrées.',
              );
            }}
          >
            <Stack>
              <Select
                name="channel"
                label="Canal préféré"
                data={[{ value: '', label: 'Non précisé' }, ...preferredChannels.map((c) => ({ value: c, label: preferredChannelLabels[c] }))]}
                defaultValue={prefsFor.preferredChannel ?? ''}
                allowDeselect={false}
              />
              <TextInput name="language" label="Langue parlée" defaultValue={prefsFor.preferredLanguage ?? ''} maxLength={50} />
              <Button type="submit">Enregistrer</Button>
            </Stack>
          </form>
        )}
      </Modal>
      <Modal closeButtonProps={{ 'aria-label': 'Fermer' }} opened={contactFor !== null} onClose={() => setContactFor(null)} title="Corriger une coordonnée">
        {contactFor && (
          <ContactForm
            onSubmit={(values) =>
              run(
                () => act('PUT', '/contacts', { personId: contactFor, ...values }).then(() => setContactFor(null)),
                'Coordonnée enregistrée (conservée lors des prochains imports).',
              )
            }
          />
        )}
      </Modal>
    </Stack>
  );
}

/** An unknown id, one of another organisme or not an id at all: said at once, in French, with the way back. */
function HouseholdError({ error }: { error: Error }) {
  const missing = error instanceof ApiError && (error.status === 404 || error.status === 400);
  if (!missing) return <Alert color="red">{error.message}</Alert>;
  return (
    <Stack maw={1100}>
      <Title order={2}>Ménage introuvable</Title>
      <Alert color="orange" role="alert">
        Ce ménage n’existe pas ou ne fait pas partie de ceux que vous pouvez consulter. Vérifiez le lien, ou retrouvez le ménage par la recherche.
      </Alert>
      <Anchor component={Link} to="/menages">
        Rechercher un ménage
      </Anchor>
    </Stack>
  );
}

/** What each opposition means, in the words of the confirmation and of the status. */
const objectionTexts = {
  no_call: {
    add: 'Enregistrer le refus d’être appelé',
    confirm: 'Le ménage a demandé à ne plus être appelé : il sort des campagnes d’appel, y compris celles en cours, jusqu’à ce que l’opposition soit levée.',
    added: 'Opposition enregistrée : ce ménage ne sera plus appelé.',
    status: 'Refuse d’être appelé',
    lift: 'Lever le refus d’être appelé',
    liftConfirm: 'Le ménage accepte à nouveau d’être appelé : il pourra faire partie des prochaines campagnes d’appel et de celles en cours.',
  },
  no_sms: {
    add: 'Enregistrer le refus des SMS',
    confirm: 'Le ménage a demandé à ne plus recevoir de SMS de l’organisme : aucun SMS ne lui sera envoyé jusqu’à ce que l’opposition soit levée.',
    added: 'Opposition enregistrée : plus de SMS pour ce ménage.',
    status: 'Refuse les SMS',
    lift: 'Lever le refus des SMS',
    liftConfirm: 'Le ménage accepte à nouveau de recevoir des SMS de l’organisme.',
  },
} as const;

/** The household's oppositions: a status when set, and actions (with a confirmation) for those who may change them. */
function Objections({
  objections,
  canEdit,
  act,
  run,
}: {
  objections: NonNullable<HouseholdFile['objections']>;
  canEdit: boolean;
  act: ReturnType<typeof useHouseholdAction>;
  run: (fn: () => Promise<unknown>, m: string) => Promise<unknown>;
}) {
  const [pending, setPending] = useState<{ kind: keyof typeof objectionTexts; liftId: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    if (!pending) return;
    const texts = objectionTexts[pending.kind];
    setBusy(true);
    await run(
      () => (pending.liftId ? act('DELETE', `/objections/${pending.liftId}`) : act('POST', '/objections', { kind: pending.kind })),
      pending.liftId ? 'Opposition levée.' : texts.added,
    );
    setBusy(false);
    setPending(null);
  };
  return (
    <Card withBorder component="section" aria-labelledby="household-objections">
      <Title order={4} id="household-objections">
        Oppositions
      </Title>
      <Stack gap="xs" mt="xs">
        {(Object.keys(objectionTexts) as (keyof typeof objectionTexts)[]).map((kind) => {
          const set = objections.find((o) => o.kind === kind);
          const texts = objectionTexts[kind];
          return (
            <Group key={kind} gap="sm">
              {set ? (
                <Badge color="red" variant="light" size="lg">
                  {texts.status} depuis le {date(set.recordedAt)}
                </Badge>
              ) : (
                <Text size="sm" c="dimmed">
                  {kind === 'no_call' ? 'Accepte d’être appelé.' : 'Accepte les SMS.'}
                </Text>
              )}
              {canEdit && (
                <Button
                  size="xs"
                  variant={set ? 'default' : 'light'}
                  color={set ? undefined : 'red'}
                  onClick={() => setPending({ kind, liftId: set?.id ?? null })}
                >
                  {set ? texts.lift : texts.add}…
                </Button>
              )}
            </Group>
          );
        })}
      </Stack>
      <Modal
        closeButtonProps={{ 'aria-label': 'Fermer' }}
        opened={pending !== null}
        onClose={() => setPending(null)}
        title={pending ? (pending.liftId ? objectionTexts[pending.kind].lift : objectionTexts[pending.kind].add) : ''}
      >
        {pending && (
          <Stack>
            <Text>{pending.liftId ? objectionTexts[pending.kind].liftConfirm : objectionTexts[pending.kind].confirm}</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setPending(null)} disabled={busy}>
                Annuler
              </Button>
              <Button color={pending.liftId ? undefined : 'red'} onClick={confirm} loading={busy}>
                Confirmer
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Card>
  );
}
