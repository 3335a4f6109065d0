import { Alert, Anchor, Button, Card, Center, Group, Loader, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  type DeclineReason,
  declineReasonLabels,
  declineReasons,
  type ReferralField,
  type ReferralOutcome,
  referralFieldLabels,
  referralOutcomeLabels,
  referralOutcomes,
} from '../../../contracts/partners.ts';
import { useCan } from '../../app/session.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { type ReferralDetail, useAcknowledge, useAnswer, useReferral, useReport } from './api.ts';
import { ReferralStatusBadge } from './CaseReferrals.tsx';

/** /orientations/:id: what was sent (the snapshot, nothing more) and, for the partner, the next step. */
export function ReferralPage() {
  const { id = '' } = useParams();
  const referral = useReferral(id);
  const partner = useCan()('referrals.receive');
  usePageTitle('Orientation');
  if (referral.error)
    return (
      <Alert color="red" role="alert" title="Orientation introuvable">
        {referral.error.message}
      </Alert>
    );
  if (!referral.data)
    return (
      <Center py="md" role="status">
        <Loader aria-label="Chargement de l’orientation…" />
      </Center>
    );
  const r = referral.data;
  return (
    <Stack>
      <Anchor component={Link} to="/orientations" size="sm">
        ← Orientations
      </Anchor>
      <Title order={1}>Orientation vers {r.partner}</Title>
      <Group gap="xs">
        <ReferralStatusBadge r={r} />
        <Text size="sm">
          Envoyée le {new Date(r.sentAt).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' })} · accusé de réception
          attendu avant le {new Date(r.ackDueAt).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' })}
        </Text>
      </Group>
      {r.caseId && (
        <Anchor component={Link} to={`/dossiers/${r.caseId}`}>
          Voir le dossier
        </Anchor>
      )}
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          Informations transmises
        </Title>
        <Stack gap={4}>
          {r.fields.map((f) => (
            <Text size="sm" key={f}>
              <strong>{referralFieldLabels[f as ReferralField]} :</strong> {r.payload[f]}
            </Text>
          ))}
        </Stack>
        <Text size="xs" c="gray.7" mt="xs">
          Seules ces informations, acceptées par le ménage, vous sont transmises.
        </Text>
      </Card>
      {r.partnerNote && (
        <Card withBorder>
          <Text size="sm">
            <strong>Mot du partenaire :</strong> {r.partnerNote}
          </Text>
        </Card>
      )}
      {partner && <PartnerActions r={r} />}
    </Stack>
  );
}

function PartnerActions({ r }: { r: ReferralDetail }) {
  const acknowledge = useAcknowledge(r.id);
  const answer = useAnswer(r.id);
  const report = useReport(r.id);
  const [reason, setReason] = useState<DeclineReason | null>(null);
  const [outcome, setOutcome] = useState<ReferralOutcome | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const onError = (err: Error) => setError(err.message);
  const noteBody = note.trim() ? { note: note.trim() } : {};
  if (r.status === 'declined' || r.status === 'reported') return null;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Votre réponse
      </Title>
      <Stack gap="sm">
        {r.status === 'new' && (
          <Group>
            <Button
              loading={acknowledge.isPending}
              onClick={() => acknowledge.mutate(undefined, { onSuccess: () => notifySuccess('Réception confirmée.'), onError: notifyError })}
            >
              Accuser réception
            </Button>
          </Group>
        )}
        {(r.status === 'new' || r.status === 'acknowledged') && (
          <Group align="end">
            <Button
              variant="light"
              loading={answer.isPending}
              onClick={() => answer.mutate({ accept: true }, { onSuccess: () => notifySuccess('Orientation acceptée.'), onError })}
            >
              Accepter
            </Button>
            <Select
              label="Motif de refus"
              placeholder="Choisir"
              data={declineReasons.map((d) => ({ value: d, label: declineReasonLabels[d] }))}
              value={reason}
              onChange={(v) => setReason(v as DeclineReason | null)}
              w={280}
            />
            <Button
              variant="default"
              loading={answer.isPending}
              onClick={() => {
                if (!reason) return setError('Choisissez le motif du refus.');
                setError(null);
                answer.mutate({ accept: false, reason, ...noteBody }, { onSuccess: () => notifySuccess('Orientation refusée.'), onError });
              }}
            >
              Refuser
            </Button>
          </Group>
        )}
        {(r.status === 'acknowledged' || r.status === 'accepted') && (
          <Group align="end">
            <Select
              label="Retour"
              placeholder="Choisir"
              data={referralOutcomes.map((o) => ({ value: o, label: referralOutcomeLabels[o] }))}
              value={outcome}
              onChange={(v) => setOutcome(v as ReferralOutcome | null)}
              w={300}
            />
            <Button
              loading={report.isPending}
              onClick={() => {
                if (!outcome) return setError('Choisissez l’issue de votre intervention.');
                setError(null);
                report.mutate({ outcome, ...noteBody }, { onSuccess: () => notifySuccess('Retour envoyé au bailleur.'), onError });
              }}
            >
              Envoyer le retour
            </Button>
          </Group>
        )}
        <Textarea
          label="Commentaire (facultatif)"
          description="Joint au refus ou au retour ; restez factuel·le, sans information de santé."
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          maxLength={500}
          autosize
          minRows={2}
        />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
