import { Anchor, Badge, Button, Card, Checkbox, Group, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  type AppointmentReason,
  appointmentReasonLabels,
  appointmentReasons,
  bookingStatusLabels,
  type CalendarSlot,
} from '../../../contracts/appointments.ts';
import { frenchDay } from '../../../contracts/paris-time.ts';
import { plural } from '../../../contracts/plural.ts';
import { api } from '../../app/api.ts';
import { useCan } from '../../app/session.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';

type Agency = { id: string; code: string; name: string };
const key = ['appointments'] as const;

const parisDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
const longDay = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' });
const hour = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
const hm = (iso: string) => hour.format(new Date(iso)).replace(':', ' h ');
const dayOf = (iso: string) => parisDay.format(new Date(iso));
const addDays = (day: string, n: number) => {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
/** The Monday of the Paris week of `day`. */
const mondayOf = (day: string) => addDays(day, -((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7));
const dayTitle = (day: string) => longDay.format(new Date(`${day}T12:00:00Z`));

/**
 * /rendez-vous: the agency calendar (issue 16). A week per agency: each slot with its seats taken
 * and its waiting list, the households booked (reference, holder, reason) to mark « venu » or
 * « absent », the day's list to print. The agency's managers open slots (weekly over a period) and close them.
 */
export function AppointmentsPage() {
  usePageTitle('Rendez-vous');
  const can = useCan();
  const agencies = useQuery({ queryKey: ['agencies'], queryFn: () => api<Agency[]>('GET', '/api/agencies') });
  const [picked, setAgency] = useState<string | null>(null);
  const agencyId = picked ?? agencies.data?.[0]?.id ?? null;
  const [from, setFrom] = useState(() => mondayOf(parisDay.format(new Date())));
  return (
    <Stack>
      <Title order={1}>Rendez-vous à l’agence</Title>
      <Text size="sm">
        Les locataires prennent rendez-vous depuis leur espace, sur les créneaux ouverts ici. Un créneau complet garde une liste d’attente : une place libérée
        est réservée au premier ménage en attente, qui est prévenu par SMS ou e-mail.
      </Text>
      <Group align="end">
        <Select
          label="Agence"
          data={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
          value={agencyId}
          onChange={setAgency}
          allowDeselect={false}
        />
        <Button variant="default" onClick={() => setFrom(addDays(from, -7))}>
          Semaine précédente
        </Button>
        <Button variant="default" onClick={() => setFrom(addDays(from, 7))}>
          Semaine suivante
        </Button>
      </Group>
      {agencyId && can('appointments.manage') && <OpenSlots agencyId={agencyId} />}
      {agencyId && <Week agencyId={agencyId} from={from} manages={can('appointments.manage')} />}
    </Stack>
  );
}

function OpenSlots({ agencyId }: { agencyId: string }) {
  const client = useQueryClient();
  const [date, setDate] = useState('');
  const [repeatUntil, setRepeatUntil] = useState('');
  const [start, setStart] = useState('09:00');
  const [end, setEnd] = useState('09:30');
  const [capacity, setCapacity] = useState<number | string>(3);
  const [reasons, setReasons] = useState<string[]>([...appointmentReasons]);
  const [address, setAddress] = useState('');
  const open = useMutation({
    mutationFn: () =>
      api<{ ids: string[] }>('POST', '/api/appointments/slots', {
        agencyId,
        date,
        repeatUntil: repeatUntil || null,
        start,
        end,
        capacity: Number(capacity),
        reasons,
        address,
      }),
    onSuccess: (r) => {
      notifySuccess(`${plural(r.ids.length, 'créneau ouvert', 'créneaux ouverts')}.`);
      return client.invalidateQueries({ queryKey: key });
    },
    onError: notifyError,
  });
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h4">
          Ouvrir des créneaux
        </Title>
        <Group grow align="start">
          <TextInput type="date" label="Le" value={date} onChange={(e) => setDate(e.currentTarget.value)} required />
          <TextInput
            type="date"
            label="Chaque semaine jusqu’au"
            description="Facultatif : le même jour et les mêmes heures, chaque semaine"
            value={repeatUntil}
            onChange={(e) => setRepeatUntil(e.currentTarget.value)}
          />
          <TextInput type="time" label="De" value={start} onChange={(e) => setStart(e.currentTarget.value)} required />
          <TextInput type="time" label="À" value={end} onChange={(e) => setEnd(e.currentTarget.value)} required />
          <NumberInput label="Places" description="Ménages reçus en même temps" min={1} max={50} value={capacity} onChange={setCapacity} />
        </Group>
        <TextInput
          label="Adresse d’accueil"
          description="Écrite dans la confirmation envoyée au locataire"
          value={address}
          onChange={(e) => setAddress(e.currentTarget.value)}
          required
        />
        <Checkbox.Group label="Motifs reçus" value={reasons} onChange={setReasons}>
          <Group mt={4}>
            {appointmentReasons.map((r) => (
              <Checkbox key={r} value={r} label={appointmentReasonLabels[r]} />
            ))}
          </Group>
        </Checkbox.Group>
        <Group>
          <Button onClick={() => open.mutate()} loading={open.isPending}>
            Ouvrir
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function Week({ agencyId, from, manages }: { agencyId: string; from: string; manages: boolean }) {
  const client = useQueryClient();
  const week = useQuery({
    queryKey: [...key, agencyId, from],
    queryFn: () => api<CalendarSlot[]>('GET', `/api/appointments/week?agencyId=${agencyId}&from=${from}`),
  });
  const refresh = () => client.invalidateQueries({ queryKey: key });
  const mark = useMutation({
    mutationFn: (v: { id: string; outcome: 'attended' | 'no_show' }) => api('POST', `/api/appointments/bookings/${v.id}/mark`, { outcome: v.outcome }),
    onSuccess: refresh,
    onError: notifyError,
  });
  const close = useMutation({
    mutationFn: (id: string) => api<{ cancelled: number }>('POST', `/api/appointments/slots/${id}/close`),
    onSuccess: (r) => {
      notifySuccess(`Créneau fermé : ${plural(r.cancelled, 'rendez-vous annulé et prévenu', 'rendez-vous annulés et prévenus')}.`);
      return refresh();
    },
    onError: notifyError,
  });
  const days = Array.from({ length: 7 }, (_, i) => addDays(from, i));
  return (
    <Stack>
      <Title order={2} size="h3">
        Semaine du {frenchDay(from)} au {frenchDay(addDays(from, 6))}
      </Title>
      {week.data?.length === 0 && <Text size="sm">Aucun créneau cette semaine.</Text>}
      {days.map((day) => {
        const slots = (week.data ?? []).filter((s) => dayOf(s.startsAt) === day);
        if (!slots.length) return null;
        return (
          <Card withBorder key={day}>
            <Group justify="space-between" mb="xs">
              <Title order={3} size="h4" tt="capitalize">
                {dayTitle(day)}
              </Title>
              <Anchor href={`/api/appointments/day.pdf?agencyId=${agencyId}&day=${day}`} download>
                Imprimer la liste du {frenchDay(day)} (PDF)
              </Anchor>
            </Group>
            <Stack gap="sm">
              {slots.map((s) => (
                <Stack key={s.id} gap={4}>
                  <Group gap="xs">
                    <Text fw={600}>
                      {hm(s.startsAt)} – {hm(s.endsAt)}
                    </Text>
                    <Badge color={s.taken >= s.capacity ? 'orange' : 'teal'} variant="light">
                      {s.taken} / {plural(s.capacity, 'place', 'places')}
                    </Badge>
                    {s.waiting > 0 && <Badge variant="outline">{plural(s.waiting, 'ménage en attente', 'ménages en attente')}</Badge>}
                    {s.status === 'closed' && <Badge color="gray">Fermé</Badge>}
                    {manages && s.status === 'open' && (
                      <Button size="xs" variant="subtle" color="red" onClick={() => close.mutate(s.id)} loading={close.isPending}>
                        Fermer le créneau de {hm(s.startsAt)}
                      </Button>
                    )}
                  </Group>
                  {s.bookings.length > 0 && (
                    <Table>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>Ménage</Table.Th>
                          <Table.Th>Motif</Table.Th>
                          <Table.Th>État</Table.Th>
                          <Table.Th>Noter</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {s.bookings.map((b) => (
                          <Table.Tr key={b.id}>
                            <Table.Td>
                              <Anchor href={`/menages/${b.householdId}`}>
                                {b.holder || 'Ménage'} ({b.householdRef})
                              </Anchor>
                              {b.viaWaitingList && (
                                <Text span size="xs" c="dimmed">
                                  {' '}
                                  — place de la liste d’attente
                                </Text>
                              )}
                            </Table.Td>
                            <Table.Td>{appointmentReasonLabels[b.reason as AppointmentReason]}</Table.Td>
                            <Table.Td>{bookingStatusLabels[b.status]}</Table.Td>
                            <Table.Td>
                              <Group gap={4}>
                                <Button
                                  size="xs"
                                  variant={b.status === 'attended' ? 'filled' : 'light'}
                                  onClick={() => mark.mutate({ id: b.id, outcome: 'attended' })}
                                  aria-label={`Venu : ${b.holder || b.householdRef}`}
                                >
                                  Venu
                                </Button>
                                <Button
                                  size="xs"
                                  color="orange"
                                  variant={b.status === 'no_show' ? 'filled' : 'light'}
                                  onClick={() => mark.mutate({ id: b.id, outcome: 'no_show' })}
                                  aria-label={`Absent : ${b.holder || b.householdRef}`}
                                >
                                  Absent
                                </Button>
                              </Group>
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  )}
                </Stack>
              ))}
            </Stack>
          </Card>
        );
      })}
    </Stack>
  );
}
