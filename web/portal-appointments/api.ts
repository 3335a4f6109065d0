/**
 * The tenant portal's appointment calls (issue 16), against the routes of
 * `server/modules/appointments/appointments.tenant-routes.ts`. No dependency beyond `fetch`: the
 * portal stays light on a phone. `base` is where the routes are served (`/api/portal/appointments`).
 */
import type { AppointmentReason, TenantAppointment, TenantSlot } from '../../contracts/appointments.ts';

/** A refused call, with the server's French message; `waitingList`: the slot is full and offers its waiting list. */
export class PortalError extends Error {
  readonly status: number;
  readonly code: string;
  readonly waitingList: boolean;
  constructor(status: number, code: string, detail: string, waitingList: boolean) {
    super(detail);
    this.status = status;
    this.code = code;
    this.waitingList = waitingList;
  }
}

export type PortalAppointmentsApi = ReturnType<typeof portalAppointmentsApi>;

export function portalAppointmentsApi(base: string, fetchImpl: typeof fetch = fetch) {
  const call = async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> => {
    const response = await fetchImpl(`${base}${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok)
      throw new PortalError(
        response.status,
        String(data.code ?? 'error'),
        String(data.detail ?? 'Une erreur est survenue. Réessayez.'),
        data.waitingList === true,
      );
    return data as T;
  };
  return {
    slots: () => call<TenantSlot[]>('GET', '/slots'),
    mine: () => call<TenantAppointment[]>('GET', ''),
    book: (slotId: string, reason: AppointmentReason) => call<{ id: string; notifiedBy: 'sms' | 'email' | null }>('POST', '', { slotId, reason }),
    cancel: (bookingId: string) => call<{ givenToWaitingList: number }>('POST', `/${bookingId}/cancel`),
    move: (bookingId: string, slotId: string) => call<{ id: string }>('POST', `/${bookingId}/move`, { slotId }),
    wait: (slotId: string, reason: AppointmentReason) => call<{ id: string }>('POST', '/waiting-list', { slotId, reason }),
    leave: (waitingId: string) => call<{ ok: true }>('DELETE', `/waiting-list/${waitingId}`),
  };
}
