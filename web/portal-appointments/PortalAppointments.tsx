/**
 * The tenant portal's appointments (issue 16): my appointments (cancel, move), the slots of my
 * agency by day, a reason and « Réserver »; a full slot answers « plus de place » and offers its
 * waiting list. Plain React and HTML (no Mantine: the portal's pages stay under 100 KB of
 * compressed JavaScript); the portal's shell gives the page's h1 and title. Messages are read out
 * (`role="status"`, `role="alert"`).
 */
import { useCallback, useEffect, useState } from 'react';
import { type AppointmentReason, appointmentReasonLabels } from '../../contracts/appointment-words.ts';
import type { TenantAppointment, TenantSlot } from '../../contracts/appointments.ts';
import { type PortalAppointmentsApi, PortalError, portalAppointmentsApi } from './api.ts';
import { frenchDayOf, frenchTimeOf, parisDayKey, seatsLabel } from './format.ts';

type Notice = { kind: 'status' | 'alert'; text: string; waitFor?: { slotId: string; reason: AppointmentReason } };

export function PortalAppointments({ apiBase, api: given }: { apiBase: string; api?: PortalAppointmentsApi }) {
  const [api] = useState(() => given ?? portalAppointmentsApi(apiBase));
  const [slots, setSlots] = useState<TenantSlot[] | null>(null);
  const [mine, setMine] = useState<TenantAppointment[] | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [moving, setMoving] = useState<string | null>(null);

  const load = useCallback(async () => {
    const [s, m] = await Promise.all([api.slots(), api.mine()]);
    setSlots(s);
    setMine(m);
  }, [api]);
  useEffect(() => {
    load().catch((e: unknown) => setNotice({ kind: 'alert', text: e instanceof Error ? e.message : 'Une erreur est survenue.' }));
  }, [load]);

  const run = async (action: () => Promise<unknown>, success: string, waitFor?: Notice['waitFor']) => {
    try {
      await action();
      setNotice({ kind: 'status', text: success });
      setMoving(null);
    } catch (e) {
      const full = e instanceof PortalError && e.waitingList;
      setNotice({ kind: 'alert', text: e instanceof Error ? e.message : 'Une erreur est survenue.', ...(full && waitFor ? { waitFor } : {}) });
    }
    await load().catch(() => {});
  };

  return (
    <div className="portal-appointments">
      <div role={notice?.kind === 'alert' ? 'alert' : 'status'} aria-live="polite">
        {notice && <p>{notice.text}</p>}
        {notice?.waitFor && (
          <button
            type="button"
            onClick={() => {
              const w = notice.waitFor as NonNullable<Notice['waitFor']>;
              void run(
                () => api.wait(w.slotId, w.reason),
                'Vous êtes sur la liste d’attente : si une place se libère, elle vous sera réservée et vous serez prévenu·e.',
              );
            }}
          >
            M’inscrire sur la liste d’attente
          </button>
        )}
      </div>

      <h2>Mes rendez-vous</h2>
      {mine?.length === 0 && <p>Aucun rendez-vous à venir.</p>}
      <ul>
        {(mine ?? []).map((a) => (
          <li key={a.id}>
            <p>
              {a.kind === 'waiting' ? 'Liste d’attente du ' : ''}
              {frenchDayOf(a.startsAt)} à {frenchTimeOf(a.startsAt)} — {appointmentReasonLabels[a.reason]}
              <br />
              {a.address}
            </p>
            {a.kind === 'booking' ? (
              <>
                <button type="button" onClick={() => void run(() => api.cancel(a.id), 'Rendez-vous annulé.')}>
                  Annuler le rendez-vous du {frenchDayOf(a.startsAt)}
                </button>{' '}
                <button type="button" aria-pressed={moving === a.id} onClick={() => setMoving(moving === a.id ? null : a.id)}>
                  Déplacer ce rendez-vous
                </button>
              </>
            ) : (
              <button type="button" onClick={() => void run(() => api.leave(a.id), 'Vous n’êtes plus sur la liste d’attente.')}>
                Quitter la liste d’attente
              </button>
            )}
          </li>
        ))}
      </ul>

      <h2>{moving ? 'Choisir le nouveau créneau' : 'Prendre rendez-vous'}</h2>
      {slots && (
        <SlotList
          slots={slots}
          moving={moving}
          onBook={(slotId, reason) =>
            run(() => api.book(slotId, reason), 'Rendez-vous confirmé : vous allez recevoir un SMS ou un e-mail.', { slotId, reason })
          }
          onMove={(slotId) => moving && run(() => api.move(moving, slotId), 'Rendez-vous déplacé.')}
        />
      )}
    </div>
  );
}

/** The slots by Paris day; each with its seats left, a reason to pick and « Réserver » (or « Choisir ce créneau » when moving). */
export function SlotList({
  slots,
  moving,
  onBook,
  onMove,
}: {
  slots: TenantSlot[];
  moving: string | null;
  onBook: (slotId: string, reason: AppointmentReason) => void;
  onMove: (slotId: string) => void;
}) {
  if (!slots.length) return <p>Aucun créneau ouvert dans les six semaines à venir. Appelez votre agence.</p>;
  const days = [...new Set(slots.map((s) => parisDayKey(s.startsAt)))];
  return (
    <>
      {days.map((day) => {
        const ofDay = slots.filter((s) => parisDayKey(s.startsAt) === day);
        return (
          <section key={day} aria-labelledby={`jour-${day}`}>
            <h3 id={`jour-${day}`}>{frenchDayOf(ofDay[0]?.startsAt ?? '')}</h3>
            <ul>
              {ofDay.map((s) => (
                <SlotItem key={s.id} slot={s} moving={moving} onBook={onBook} onMove={onMove} />
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}

function SlotItem({
  slot,
  moving,
  onBook,
  onMove,
}: {
  slot: TenantSlot;
  moving: string | null;
  onBook: (slotId: string, reason: AppointmentReason) => void;
  onMove: (slotId: string) => void;
}) {
  const [reason, setReason] = useState<AppointmentReason>(slot.reasons[0] as AppointmentReason);
  const when = `${frenchTimeOf(slot.startsAt)} – ${frenchTimeOf(slot.endsAt)}`;
  const field = `motif-${slot.id}`;
  return (
    <li>
      <p>
        <strong>{when}</strong> — {seatsLabel(slot.seatsLeft)}
      </p>
      {moving ? (
        <button type="button" onClick={() => onMove(slot.id)}>
          Choisir le créneau de {when}
        </button>
      ) : (
        <>
          <label htmlFor={field}>Motif</label>{' '}
          <select id={field} value={reason} onChange={(e) => setReason(e.currentTarget.value as AppointmentReason)}>
            {slot.reasons.map((r) => (
              <option key={r} value={r}>
                {appointmentReasonLabels[r]}
              </option>
            ))}
          </select>{' '}
          <button type="button" onClick={() => onBook(slot.id, reason)}>
            {slot.seatsLeft > 0 ? `Réserver ${when}` : `Réserver ${when} (complet : liste d’attente proposée)`}
          </button>
        </>
      )}
    </li>
  );
}
