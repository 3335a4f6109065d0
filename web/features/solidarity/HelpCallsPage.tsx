import { Anchor, Button, Card, Group, Radio, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { frenchDateTime } from '../../../contracts/audit.ts';
import { type ExclusionReason, exclusionLabels } from '../../../contracts/messaging.ts';
import { plural } from '../../../contracts/plural.ts';
import {
  type HelpCallBody,
  type HelpCallDetail,
  type HelpCallRow,
  helpCallRecipientKindLabels,
  helpCallStatusLabels,
  type VolunteerSkill,
  volunteerSkillLabels,
  volunteerSkills,
} from '../../../contracts/solidarity.ts';
import { api } from '../../app/api.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';

const key = ['help-calls'] as const;

/** The answers' counts of a call: sent, « oui », « non », no answer yet. */
function Counts({ c }: { c: HelpCallRow['counts'] }) {
  return (
    <Text size="sm" data-testid="help-counts">
      {plural(c.sent, 'SMS envoyé', 'SMS envoyés')} · {c.yes} oui · {c.no} non · {plural(c.none, 'sans réponse', 'sans réponse')}
    </Text>
  );
}

/** The dry run: who gets the SMS, who not and why. */
function Plan({ plan }: { plan: HelpCallRow['plan'] }) {
  const excluded = Object.entries(plan.excluded).filter(([, n]) => n > 0);
  return (
    <Stack gap={2} data-testid="help-plan">
      <Text size="sm">{plural(plan.channels.sms ?? 0, 'personne recevra', 'personnes recevront')} le SMS.</Text>
      {excluded.map(([reason, n]) => (
        <Text size="sm" key={reason}>
          Sans SMS : {n} — {exclusionLabels[reason as ExclusionReason] ?? reason}
        </Text>
      ))}
    </Stack>
  );
}

/**
 * /appels-a-l-aide: write a short question, choose the skill and the audience (the volunteers
 * with that skill, or the tenants of a residence), see the dry run, send; then follow the answers.
 */
export function HelpCallsPage() {
  usePageTitle('Appels à l’aide');
  const calls = useQuery({ queryKey: [...key, 'list'], queryFn: () => api<HelpCallRow[]>('GET', '/api/solidarity/help-calls') });
  return (
    <Stack>
      <Title order={1}>Appels à l’aide</Title>
      <Text size="sm">
        Une question courte par SMS (« Savez-vous coudre des masques ? ») aux bénévoles qui ont un savoir-faire, ou aux locataires d’une résidence. Chacun
        répond par son lien personnel ou par SMS « OUI » / « NON » ; vous rappelez les « oui ».
      </Text>
      <NewHelpCall />
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Appels envoyés
        </Title>
        {calls.data?.length === 0 && <Text size="sm">Aucun appel à l’aide.</Text>}
        {!!calls.data?.length && (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Question</Table.Th>
                <Table.Th>État</Table.Th>
                <Table.Th>Réponses</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {calls.data.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/appels-a-l-aide/${c.id}`}>
                      {c.question}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{helpCallStatusLabels[c.status]}</Table.Td>
                  <Table.Td>
                    <Counts c={c.counts} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </Stack>
  );
}

function NewHelpCall() {
  const client = useQueryClient();
  const [question, setQuestion] = useState('');
  const [skill, setSkill] = useState<VolunteerSkill>('sewing');
  const [audience, setAudience] = useState<'volunteers' | 'segment'>('volunteers');
  const [residenceId, setResidenceId] = useState<string | null>(null);
  const [draft, setDraft] = useState<HelpCallRow | null>(null);
  const options = useQuery({
    queryKey: ['outreach', 'options'],
    queryFn: () => api<{ residences: { id: string; name: string }[] }>('GET', '/api/solidarity/outreach/options'),
    enabled: audience === 'segment',
  });
  const body = (): HelpCallBody => ({
    question,
    skill,
    audience:
      audience === 'volunteers'
        ? { kind: 'volunteers' }
        : { kind: 'segment', filters: { status: 'active', fragilityMatch: 'all', ...(residenceId ? { residenceId } : {}) } },
  });
  const plan = useMutation({ mutationFn: () => api<HelpCallRow>('POST', '/api/solidarity/help-calls', body()), onSuccess: setDraft, onError: notifyError });
  const send = useMutation({
    mutationFn: (id: string) => api<HelpCallRow>('POST', `/api/solidarity/help-calls/${id}/send`),
    onSuccess: (c) => {
      notifySuccess(`Appel à l’aide envoyé : ${plural(c.counts.sent, 'SMS', 'SMS')}.`);
      setDraft(null);
      setQuestion('');
      return client.invalidateQueries({ queryKey: key });
    },
    onError: notifyError,
  });
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h4">
          Nouvel appel à l’aide
        </Title>
        <Textarea
          label="Question (un SMS)"
          placeholder="Savez-vous coudre des masques ?"
          maxLength={200}
          value={question}
          onChange={(e) => {
            setQuestion(e.currentTarget.value);
            setDraft(null);
          }}
        />
        <Select
          label="Savoir-faire cherché"
          data={volunteerSkills.map((s) => ({ value: s, label: volunteerSkillLabels[s] }))}
          value={skill}
          onChange={(v) => {
            setSkill((v as VolunteerSkill) ?? 'sewing');
            setDraft(null);
          }}
          allowDeselect={false}
        />
        <Radio.Group
          label="À qui"
          value={audience}
          onChange={(v) => {
            setAudience(v as 'volunteers' | 'segment');
            setDraft(null);
          }}
        >
          <Group mt={4}>
            <Radio value="volunteers" label="Les bénévoles qui ont ce savoir-faire" />
            <Radio value="segment" label="Les locataires d’une résidence" />
          </Group>
        </Radio.Group>
        {audience === 'segment' && (
          <Select
            label="Résidence"
            placeholder="Toutes les résidences de vos agences"
            data={(options.data?.residences ?? []).map((r) => ({ value: r.id, label: r.name }))}
            value={residenceId}
            onChange={(v) => {
              setResidenceId(v);
              setDraft(null);
            }}
            searchable
            clearable
          />
        )}
        <Group>
          <Button variant="light" onClick={() => plan.mutate()} loading={plan.isPending}>
            Simuler : qui recevra le SMS
          </Button>
          {draft && (
            <Button onClick={() => send.mutate(draft.id)} loading={send.isPending} disabled={(draft.plan.channels.sms ?? 0) === 0}>
              Envoyer l’appel à l’aide
            </Button>
          )}
        </Group>
        {draft && <Plan plan={draft.plan} />}
      </Stack>
    </Card>
  );
}

/** /appels-a-l-aide/:id: the counts and the « oui » to call back; a tenant's « oui » becomes a volunteer sign-up. */
export function HelpCallPage() {
  const { id = '' } = useParams();
  usePageTitle('Appel à l’aide');
  const client = useQueryClient();
  const call = useQuery({ queryKey: [...key, 'detail', id], queryFn: () => api<HelpCallDetail>('GET', `/api/solidarity/help-calls/${id}`) });
  const close = useMutation({
    mutationFn: () => api('POST', `/api/solidarity/help-calls/${id}/close`),
    onSuccess: () => {
      notifySuccess('Appel à l’aide clos.');
      return client.invalidateQueries({ queryKey: key });
    },
    onError: notifyError,
  });
  const c = call.data;
  return (
    <Stack>
      <Title order={1}>Appel à l’aide</Title>
      {call.isError && <Text>Appel à l’aide introuvable.</Text>}
      {c && (
        <>
          <Card withBorder>
            <Stack gap="xs">
              <Text fw={600}>{c.question}</Text>
              <Text size="sm">
                {volunteerSkillLabels[c.skill]} · {c.audience === 'volunteers' ? 'bénévoles' : 'locataires'} · {helpCallStatusLabels[c.status]}
              </Text>
              <Counts c={c.counts} />
              {c.status === 'sent' && (
                <Group>
                  <Button variant="default" size="xs" onClick={() => close.mutate()} loading={close.isPending}>
                    Clore l’appel (plus de réponse attendue)
                  </Button>
                </Group>
              )}
            </Stack>
          </Card>
          <Card withBorder>
            <Title order={2} size="h4" mb="sm">
              Les « oui » à rappeler
            </Title>
            {c.yes.length === 0 && <Text size="sm">Aucun « oui » pour l’instant.</Text>}
            {c.yes.length > 0 && (
              <Table data-testid="help-yes">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Nom</Table.Th>
                    <Table.Th>Téléphone</Table.Th>
                    <Table.Th>Disponibilités</Table.Th>
                    <Table.Th>Réponse</Table.Th>
                    <Table.Th>Bénévolat</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {c.yes.map((y) => (
                    <Table.Tr key={y.recipientId}>
                      <Table.Td>
                        {y.name} ({helpCallRecipientKindLabels[y.kind]})
                      </Table.Td>
                      <Table.Td>
                        <Anchor href={`tel:${y.phone.replace(/\s/g, '')}`}>{y.phone}</Anchor>
                      </Table.Td>
                      <Table.Td>{y.note ?? '—'}</Table.Td>
                      <Table.Td>
                        {y.via === 'sms' ? 'par SMS' : 'par le lien'}, le {frenchDateTime(y.answeredAt)}
                      </Table.Td>
                      <Table.Td>
                        {y.kind === 'tenant' && !y.applicationId && <SignUp callId={c.id} recipientId={y.recipientId} name={y.name} />}
                        {y.applicationId && (
                          <Anchor component={Link} to="/benevoles">
                            Inscription à examiner
                          </Anchor>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>
        </>
      )}
    </Stack>
  );
}

function SignUp({ callId, recipientId, name }: { callId: string; recipientId: string; name: string }) {
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const signUp = useMutation({
    mutationFn: () => api('POST', `/api/solidarity/help-calls/${callId}/answers/${recipientId}/volunteer`, email.trim() ? { email: email.trim() } : {}),
    onSuccess: () => {
      notifySuccess(`${name} : inscription de bénévole créée, à examiner sur la page des bénévoles.`);
      return client.invalidateQueries({ queryKey: key });
    },
    onError: notifyError,
  });
  return (
    <Group gap="xs" wrap="nowrap">
      <TextInput
        size="xs"
        aria-label={`E-mail de ${name} (si le ménage n’en a pas)`}
        placeholder="E-mail (si besoin)"
        value={email}
        onChange={(e) => setEmail(e.currentTarget.value)}
      />
      <Button size="xs" variant="light" onClick={() => signUp.mutate()} loading={signUp.isPending}>
        Inscrire comme bénévole
      </Button>
    </Group>
  );
}
