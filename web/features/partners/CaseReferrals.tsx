import { Alert, Badge, Button, Card, Group, Radio, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { caseStatusLabels } from '../../../contracts/cases.ts';
import { declineReasonLabels, partnerKindLabels, type ReferralRow, referralOutcomeLabels, referralStatusLabels } from '../../../contracts/partners.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { useCaseReferrals, useRecordConsent, useReferralOptions, useSendReferral } from './api.ts';

const dateTime = (iso: string) => new Date(iso).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });

/** A referral's status as a badge: red when not acknowledged within the partner's delay. */
export function ReferralStatusBadge({ r }: { r: ReferralRow }) {
  if (r.overdue) return <Badge color="red">Sans accusé de réception (en retard)</Badge>;
  const detail =
    r.status === 'declined' && r.declineReason
      ? ` : ${declineReasonLabels[r.declineReason]}`
      : r.status === 'reported' && r.outcome
        ? ` : ${referralOutcomeLabels[r.outcome]}`
        : '';
  return (
    <Badge variant="light" color={r.status === 'declined' ? 'orange' : r.status === 'reported' ? 'green' : 'blue'}>
      {referralStatusLabels[r.status]}
      {detail}
    </Badge>
  );
}

/** The case page's « Orientations »: the referrals with their statuses, and « Orienter vers un partenaire ». */
export function CaseReferrals({ caseId, closed }: { caseId: string; closed: boolean }) {
  const list = useCaseReferrals(caseId);
  const [open, setOpen] = useState(false);
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          Orientations ({list.data?.length ?? 0})
        </Title>
        {!closed && !open && (
          <Button size="xs" variant="light" onClick={() => setOpen(true)}>
            Orienter vers un partenaire
          </Button>
        )}
      </Group>
      {list.data && list.data.length === 0 && <Text size="sm">Aucune orientation.</Text>}
      {list.data && list.data.length > 0 && (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Partenaire</Table.Th>
              <Table.Th>Envoyée le</Table.Th>
              <Table.Th>Statut</Table.Th>
              <Table.Th>Mot du partenaire</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.partner}</Table.Td>
                <Table.Td>{dateTime(r.sentAt)}</Table.Td>
                <Table.Td>
                  <ReferralStatusBadge r={r} />
                </Table.Td>
                <Table.Td>{r.partnerNote ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {open && <ReferralForm caseId={caseId} onDone={() => setOpen(false)} />}
    </Card>
  );
}

function ReferralForm({ caseId, onDone }: { caseId: string; onDone: () => void }) {
  const options = useReferralOptions(caseId, true);
  const consent = useRecordConsent(caseId);
  const send = useSendReferral();
  const [partnerId, setPartnerId] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const [health, setHealth] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!options.data) return <Text size="sm">Chargement des partenaires…</Text>;
  const partners = options.data.partners;
  const chosen = partners.find((p) => p.id === partnerId) ?? null;
  if (partners.length === 0)
    return (
      <Alert color="gray" mt="md">
        Aucun partenaire actif : l’administrateur·rice les ajoute dans « Partenaires ».
      </Alert>
    );
  return (
    <Stack mt="md" gap="sm">
      <Radio.Group
        label="Partenaire (les partenaires suggérés, qui prennent ce besoin dans la commune du ménage, d’abord)"
        value={partnerId}
        onChange={setPartnerId}
      >
        <Stack gap={4} mt={4}>
          {partners.map((p) => (
            <Radio
              key={p.id}
              value={p.id}
              label={`${p.name} — ${partnerKindLabels[p.kind]}${p.suggested ? ' (suggéré)' : ''}${p.agreement ? ' · accord du ménage recueilli' : ''}`}
            />
          ))}
        </Stack>
      </Radio.Group>
      {chosen && (
        <>
          <Card withBorder bg="gray.0">
            <Text fw={600} size="sm" mb={4}>
              Ce qui sera transmis à {chosen.name}
            </Text>
            <Stack gap={2} component="ul" style={{ margin: 0, paddingLeft: 20 }}>
              {options.data.fields
                .filter((f) => f.field !== 'message' && f.field !== 'health_details' && f.value)
                .map((f) => (
                  <Text component="li" size="sm" key={f.field}>
                    {f.label} : {f.value}
                    {f.art9 ? ' (donnée de santé : consentement explicite requis)' : ''}
                  </Text>
                ))}
            </Stack>
            <Text size="xs" c="gray.7" mt={4}>
              Rien d’autre de la fiche du ménage n’est transmis.
            </Text>
          </Card>
          <ConsentLine
            label="Accord du ménage pour cette orientation :"
            given={chosen.agreement}
            missingColor="orange"
            action="Le ménage a donné son accord (par téléphone)"
            pending={consent.isPending}
            record={() =>
              consent.mutate(
                { partnerId: chosen.id, purpose: 'referral', channel: 'phone' },
                { onSuccess: () => notifySuccess('Accord du ménage enregistré.'), onError: notifyError },
              )
            }
          />
          <Textarea
            label="Message au partenaire (facultatif)"
            description="Restez factuel·le ; pas d’information de santé ici."
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
            maxLength={500}
            autosize
            minRows={2}
          />
          <ConsentLine
            label="Consentement explicite pour des précisions de santé :"
            given={chosen.healthConsent}
            missingColor="gray"
            action="Le ménage y consent explicitement (par téléphone)"
            pending={consent.isPending}
            record={() =>
              consent.mutate(
                { partnerId: chosen.id, purpose: 'referral_health', channel: 'phone' },
                { onSuccess: () => notifySuccess('Consentement explicite enregistré.'), onError: notifyError },
              )
            }
          />
          {chosen.healthConsent && (
            <Textarea
              label="Précisions de santé (facultatif)"
              description="Transmises à ce seul partenaire, sous le consentement explicite du ménage."
              value={health}
              onChange={(e) => setHealth(e.currentTarget.value)}
              maxLength={500}
              autosize
              minRows={2}
            />
          )}
        </>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group>
        <Button
          disabled={!chosen}
          loading={send.isPending}
          onClick={() => {
            if (!chosen) return;
            setError(null);
            send.mutate(
              {
                caseId,
                partnerId: chosen.id,
                ...(message.trim() ? { message: message.trim() } : {}),
                ...(health.trim() ? { healthDetails: health.trim() } : {}),
              },
              {
                onSuccess: () => {
                  notifySuccess(`Orientation envoyée à ${chosen.name} : le dossier passe « ${caseStatusLabels.waiting_partner.toLowerCase()} ».`);
                  onDone();
                },
                onError: (err) => setError(err.message),
              },
            );
          }}
        >
          Envoyer l’orientation
        </Button>
        <Button variant="subtle" onClick={onDone}>
          Annuler
        </Button>
      </Group>
    </Stack>
  );
}

/** A consent the referral needs: « Recueilli », or « Non recueilli » with the button that records it. */
function ConsentLine(p: { label: string; given: boolean; missingColor: string; action: string; pending: boolean; record: () => void }) {
  return (
    <Group gap="xs">
      <Text size="sm">{p.label}</Text>
      {p.given ? (
        <Badge color="green" variant="light">
          Recueilli
        </Badge>
      ) : (
        <>
          <Badge color={p.missingColor} variant="light">
            Non recueilli
          </Badge>
          <Button size="xs" variant="default" loading={p.pending} onClick={p.record}>
            {p.action}
          </Button>
        </>
      )}
    </Group>
  );
}
