import { Alert, Badge, Button, Card, Checkbox, Group, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { frenchDateTime } from '../../../contracts/audit.ts';
import type { HouseholdHit } from '../../../contracts/households.ts';
import { channelLabels, countSms, fieldsOf, smsOptOutMention, type TemplateChannel, templateChannels, unknownFields } from '../../../contracts/messaging.ts';
import { type AudienceBody, mergeFieldList, sendStatusLabels } from '../../../contracts/messaging-api.ts';
import { plural } from '../../../contracts/plural.ts';
import { api } from '../../app/api.ts';
import { useCan } from '../../app/session.ts';
import { notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { dryRun, type Preview, previewText, type Template, useSaveTemplate, useSends, useSmsMention, useTemplates } from './api.ts';
import { audienceLabels, sendAudienceLabels } from './PlanTable.tsx';

/** /messages: templates, the dry run of a send, the recent sends. */
export function MessagingPage() {
  usePageTitle('Messages');
  const templates = useTemplates();
  const can = useCan();
  const [editing, setEditing] = useState<Template | 'new' | null>(null);
  return (
    <Stack maw={1000}>
      <Title order={1}>Messages</Title>
      <Text size="sm">
        Écrivez un modèle de SMS, d’e-mail ou de courrier, simulez l’envoi pour voir qui le recevra et par quel canal, puis confirmez. Les ménages sans mobile
        ni e-mail reçoivent un courrier à imprimer (enveloppe DL à fenêtre).
      </Text>
      <Card withBorder>
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={2} size="h3">
              Modèles
            </Title>
            <Button onClick={() => setEditing('new')}>Nouveau modèle</Button>
          </Group>
          {templates.data?.length === 0 && <Text size="sm">Aucun modèle pour l’instant.</Text>}
          {!!templates.data?.length && (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Nom</Table.Th>
                  <Table.Th>Canaux</Table.Th>
                  <Table.Th>Texte</Table.Th>
                  <Table.Th>Action</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {templates.data.map((t) => (
                  <Table.Tr key={t.id}>
                    <Table.Td>{t.name}</Table.Td>
                    <Table.Td>{t.channels.map((c) => channelLabels[c]).join(', ')}</Table.Td>
                    <Table.Td>{t.body.length > 70 ? `${t.body.slice(0, 69)}…` : t.body}</Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="subtle" onClick={() => setEditing(t)} aria-label={`Modifier le modèle ${t.name}`}>
                        Modifier
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </Card>
      {editing && <TemplateEditor key={editing === 'new' ? 'new' : editing.id} template={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
      <NewSend templates={templates.data ?? []} />
      {can('campaigns.manage') && <CampaignLadder templates={templates.data ?? []} />}
      <RecentSends />
    </Stack>
  );
}

/** The SMS counter under the text: length, encoding, segments (TRUST IN-10), with the opt-out mention added to every SMS. */
function SmsCounter({ text }: { text: string }) {
  // The server's mention (it depends on the SMS provider); the local outbox's text until it answers.
  const mention = useSmsMention().data?.mention ?? smsOptOutMention;
  const c = countSms(`${text}\n${mention}`);
  return (
    <Text size="sm" data-testid="sms-counter" aria-live="polite">
      SMS : {plural(c.length, 'caractère')} avec la mention « {mention} », encodage {c.encoding}, {plural(c.segments, 'SMS', 'SMS')} facturé
      {c.segments > 1 ? 's' : ''}
      {c.unicodeCharacters.length > 0 && ` — caractères hors alphabet GSM : ${c.unicodeCharacters.join(' ')}`}
    </Text>
  );
}

function HouseholdPicker({ value, onChange, label }: { value: string | null; onChange: (id: string | null) => void; label: string }) {
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<{ value: string; label: string } | null>(null);
  const hits = useQuery({
    queryKey: ['messaging-household-search', query],
    queryFn: () => api<HouseholdHit[]>('POST', '/api/households/search', { query, limit: 20 }),
    enabled: query.trim().length >= 2 && query !== chosen?.label,
  });
  const data = [
    ...(chosen ? [chosen] : []),
    ...(hits.data ?? []).map((h) => ({ value: h.id, label: `${h.persons[0] ?? 'Ménage'} (${h.erpRef})` })).filter((o) => o.value !== chosen?.value),
  ];
  return (
    <Select
      label={label}
      placeholder="Nom ou référence"
      searchable
      clearable
      data={data}
      value={value}
      searchValue={query}
      onSearchChange={setQuery}
      filter={({ options }) => options}
      nothingFoundMessage={query.trim().length < 2 ? 'Saisissez au moins 2 caractères' : hits.isFetching ? 'Recherche…' : 'Aucun ménage trouvé'}
      onChange={(id, option) => {
        setChosen(option ? { value: option.value, label: option.label } : null);
        onChange(id);
      }}
      w={400}
    />
  );
}

function TemplateEditor({ template, onDone }: { template: Template | null; onDone: () => void }) {
  const save = useSaveTemplate();
  const [name, setName] = useState(template?.name ?? '');
  const [channels, setChannels] = useState<string[]>(template?.channels ?? ['sms']);
  const [subject, setSubject] = useState(template?.subject ?? '');
  const [body, setBody] = useState(template?.body ?? '');
  const [error, setError] = useState<string | null>(null);
  const [householdId, setHouseholdId] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const unknown = unknownFields(body);
  return (
    <Card withBorder>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          save.mutate(
            { id: template?.id ?? null, body: { name: name.trim(), channels: channels as TemplateChannel[], subject: subject.trim() || null, body } },
            {
              onSuccess: () => {
                notifySuccess(template ? 'Modèle modifié.' : 'Modèle enregistré.');
                onDone();
              },
              onError: (err) => setError(err.message),
            },
          );
        }}
      >
        <Stack gap="xs">
          <Title order={2} size="h3">
            {template ? `Modifier « ${template.name} »` : 'Nouveau modèle'}
          </Title>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput label="Nom du modèle" value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={120} w={400} />
          <Checkbox.Group label="Canaux" value={channels} onChange={setChannels}>
            <Group mt={4}>
              {templateChannels.map((c) => (
                <Checkbox key={c} value={c} label={channelLabels[c]} />
              ))}
            </Group>
          </Checkbox.Group>
          {channels.includes('email') && (
            <TextInput label="Objet de l’e-mail" value={subject} onChange={(e) => setSubject(e.currentTarget.value)} maxLength={200} w={600} />
          )}
          <Textarea
            label="Texte"
            description={`Champs de fusion : ${mergeFieldList.map((f) => `{${f.name}}`).join(' ')}`}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            autosize
            minRows={3}
            maxLength={4000}
            error={unknown.length ? `Champ inconnu : ${unknown.map((f) => `{${f}}`).join(', ')}` : null}
          />
          {channels.includes('sms') && <SmsCounter text={body} />}
          <Group align="end">
            <HouseholdPicker label="Aperçu sur un ménage" value={householdId} onChange={setHouseholdId} />
            <Button
              variant="light"
              disabled={!householdId || !body}
              onClick={async () => {
                if (!householdId) return;
                try {
                  setPreview(
                    await previewText({
                      body,
                      subject: subject || null,
                      householdId,
                      values: { date_rdv: 'mardi 8 décembre à 10 h', montant: '120,00 €' },
                    }),
                  );
                } catch (err) {
                  setError((err as Error).message);
                }
              }}
            >
              Aperçu
            </Button>
          </Group>
          {preview && (
            <Card withBorder bg="gray.0" data-testid="preview">
              <Text size="sm" fw={600}>
                Aperçu pour {preview.household.holder} ({preview.household.erpRef})
              </Text>
              {preview.subject && <Text size="sm">Objet : {preview.subject}</Text>}
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {channels.includes('sms') ? preview.sms.text : preview.text}
              </Text>
              {channels.includes('sms') && (
                <Text size="xs">
                  {preview.sms.encoding}, {plural(preview.sms.length, 'caractère')}, {plural(preview.sms.segments, 'SMS', 'SMS')}
                </Text>
              )}
            </Card>
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              Enregistrer le modèle
            </Button>
            <Button variant="subtle" onClick={onDone}>
              Annuler
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function NewSend({ templates }: { templates: Template[] }) {
  const can = useCan();
  const navigate = useNavigate();
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [kind, setKind] = useState<AudienceBody['kind']>('segment');
  const [householdId, setHouseholdId] = useState<string | null>(null);
  const [campaignId, setCampaignId] = useState<string | null>(null);
  const [minAge, setMinAge] = useState('');
  const [dateRdv, setDateRdv] = useState('');
  const [montant, setMontant] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const campaigns = useQuery({
    queryKey: ['messaging', 'campaigns'],
    queryFn: () => api<{ id: string; name: string }[]>('GET', '/api/campaigns'),
    enabled: kind === 'campaign' && can('campaigns.manage'),
  });
  const template = templates.find((t) => t.id === templateId);
  const used = template ? [...fieldsOf(template.body), ...fieldsOf(template.subject ?? '')] : [];
  const kinds = (Object.keys(audienceLabels) as AudienceBody['kind'][]).filter(
    (k) => (k !== 'campaign' || can('campaigns.manage')) && (k !== 'volunteers' || can('messages.approve')),
  );
  const audience = (): AudienceBody | null => {
    if (kind === 'household') return householdId ? { kind, householdId } : null;
    if (kind === 'campaign') return campaignId ? { kind, campaignId } : null;
    if (kind === 'volunteers') return { kind };
    const age = Number(minAge);
    return { kind, filters: { status: 'active', fragilityMatch: 'all', ...(minAge && age > 0 ? { minAge: age } : {}) } };
  };
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h3">
          Nouvel envoi
        </Title>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Select
          label="Modèle"
          data={templates.map((t) => ({ value: t.id, label: t.name }))}
          value={templateId}
          onChange={setTemplateId}
          w={400}
          placeholder="Choisissez un modèle"
        />
        <Select
          label="Destinataires"
          data={kinds.map((k) => ({ value: k, label: audienceLabels[k] }))}
          value={kind}
          onChange={(v) => setKind((v ?? 'segment') as AudienceBody['kind'])}
          allowDeselect={false}
          w={400}
        />
        {kind === 'household' && <HouseholdPicker label="Ménage" value={householdId} onChange={setHouseholdId} />}
        {kind === 'segment' && (
          <TextInput
            label="Âge minimum de l’aîné·e (facultatif)"
            description="Vide : tous les ménages actifs de vos agences."
            value={minAge}
            onChange={(e) => setMinAge(e.currentTarget.value.replace(/\D/g, ''))}
            w={300}
          />
        )}
        {kind === 'campaign' && (
          <Select
            label="Campagne"
            data={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={campaignId}
            onChange={setCampaignId}
            w={400}
          />
        )}
        {used.includes('date_rdv') && (
          <TextInput label="Date du rendez-vous ({date_rdv})" value={dateRdv} onChange={(e) => setDateRdv(e.currentTarget.value)} w={300} />
        )}
        {used.includes('montant') && <TextInput label="Montant ({montant})" value={montant} onChange={(e) => setMontant(e.currentTarget.value)} w={300} />}
        <Group>
          <Button
            loading={pending}
            disabled={!templateId || !audience()}
            onClick={async () => {
              const a = audience();
              if (!templateId || !a) return;
              setPending(true);
              setError(null);
              try {
                const values = { ...(dateRdv ? { date_rdv: dateRdv } : {}), ...(montant ? { montant } : {}) };
                const send = await dryRun({ templateId, audience: a, values });
                navigate(`/messages/envois/${send.id}`);
              } catch (err) {
                setError((err as Error).message);
              } finally {
                setPending(false);
              }
            }}
          >
            Simuler l’envoi
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** The escalation ladder of a campaign: its SMS before the first call and before the doorstep visit. */
function CampaignLadder({ templates }: { templates: Template[] }) {
  const [campaignId, setCampaignId] = useState<string | null>(null);
  const campaigns = useQuery({
    queryKey: ['messaging', 'campaigns'],
    queryFn: () => api<{ id: string; name: string; status: string }[]>('GET', '/api/campaigns'),
  });
  const ladder = useQuery({
    queryKey: ['messaging', 'ladder', campaignId],
    queryFn: () =>
      api<{ beforeFirstCall: string | null; beforeDoorstep: string | null; firstCallSendId: string | null; doorstepSendId: string | null }>(
        'GET',
        `/api/messaging/campaigns/${campaignId}/ladder`,
      ),
    enabled: !!campaignId,
  });
  const [first, setFirst] = useState<string | null>(null);
  const [doorstep, setDoorstep] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const sms = templates.filter((t) => t.channels.includes('sms')).map((t) => ({ value: t.id, label: t.name }));
  const campaign = campaigns.data?.find((c) => c.id === campaignId);
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h3">
          SMS de relance d’une campagne
        </Title>
        <Text size="sm">
          Un SMS envoyé au lancement à tous les ménages de la file (« votre bailleur va vous appeler »), et un SMS à chaque ménage resté sans réponse quand il
          passe en porte-à-porte.
        </Text>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Select
          label="Campagne"
          data={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          value={campaignId}
          onChange={(id) => {
            setCampaignId(id);
            setFirst(null);
            setDoorstep(null);
          }}
          w={400}
        />
        {campaignId && ladder.data && (
          <>
            <Select
              label="SMS avant le premier appel (envoyé au lancement)"
              data={sms}
              value={first ?? ladder.data.beforeFirstCall}
              onChange={setFirst}
              clearable
              disabled={campaign?.status !== 'draft'}
              w={400}
            />
            <Select label="SMS avant le porte-à-porte" data={sms} value={doorstep ?? ladder.data.beforeDoorstep} onChange={setDoorstep} clearable w={400} />
            <Group>
              <Button
                onClick={async () => {
                  setError(null);
                  try {
                    await api('PUT', `/api/messaging/campaigns/${campaignId}/ladder`, {
                      beforeFirstCall: first ?? ladder.data?.beforeFirstCall ?? null,
                      beforeDoorstep: doorstep ?? ladder.data?.beforeDoorstep ?? null,
                    });
                    notifySuccess('SMS de relance enregistrés.');
                    await ladder.refetch();
                  } catch (err) {
                    setError((err as Error).message);
                  }
                }}
              >
                Enregistrer les SMS de relance
              </Button>
              {ladder.data.firstCallSendId && <Link to={`/messages/envois/${ladder.data.firstCallSendId}`}>Envoi du lancement</Link>}
              {ladder.data.doorstepSendId && <Link to={`/messages/envois/${ladder.data.doorstepSendId}`}>Envoi avant porte-à-porte</Link>}
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}

function RecentSends() {
  const sends = useSends();
  if (!sends.data?.length) return null;
  return (
    <Card withBorder>
      <Title order={2} size="h3">
        Envois récents
      </Title>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Date</Table.Th>
            <Table.Th>Modèle</Table.Th>
            <Table.Th>Destinataires</Table.Th>
            <Table.Th>État</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sends.data.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>
                <Link to={`/messages/envois/${s.id}`}>{frenchDateTime(s.createdAt)}</Link>
              </Table.Td>
              <Table.Td>{s.template}</Table.Td>
              <Table.Td>
                {sendAudienceLabels[s.audience]} — {plural(s.recipients, 'destinataire')}
              </Table.Td>
              <Table.Td>
                <Badge variant="light">{sendStatusLabels[s.status]}</Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
