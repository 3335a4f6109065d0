// Why (issue 16, « Appointments at the agency »): in 2020 agencies reopened « seulement sur
// rendez-vous », with a few seats per slot for distancing, booked by phone. An agency opens slots
// (a start, an end, a capacity, the reasons it takes); a tenant books one seat for their household
// with a reason; a full slot keeps a waiting list whose first household gets a freed seat in the
// transaction that frees it. Capacity is kept by locking the slot's row while counting its seats
// (ADR 0023); one active booking and one waiting entry per household and slot are unique indexes.
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table appointment_slots (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      agency_id uuid not null,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      capacity integer not null check (capacity between 1 and 50),
      reasons text[] not null check (cardinality(reasons) > 0),
      address text not null check (length(address) between 5 and 300),
      status text not null default 'open' check (status in ('open', 'closed')),
      series_id uuid,
      created_by uuid,
      created_at timestamptz not null default now(),
      closed_at timestamptz,
      check (ends_at > starts_at),
      unique (organisation_id, id),
      foreign key (organisation_id, agency_id) references agencies (organisation_id, id)
    );
    create index appointment_slots_agency_idx on appointment_slots (organisation_id, agency_id, starts_at);

    create table appointment_bookings (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      slot_id uuid not null,
      household_id uuid not null,
      person_id uuid,
      reason text not null,
      status text not null default 'booked' check (status in ('booked', 'cancelled', 'moved', 'attended', 'no_show')),
      via_waiting_list boolean not null default false,
      created_at timestamptz not null default now(),
      ended_at timestamptz,
      marked_by uuid,
      reminded_at timestamptz,
      unique (organisation_id, id),
      foreign key (organisation_id, slot_id) references appointment_slots (organisation_id, id) on delete cascade,
      foreign key (organisation_id, household_id) references households (organisation_id, id)
    );
    create unique index appointment_bookings_one_active on appointment_bookings (slot_id, household_id) where status in ('booked', 'attended', 'no_show');
    create index appointment_bookings_slot_idx on appointment_bookings (organisation_id, slot_id);
    create index appointment_bookings_household_idx on appointment_bookings (organisation_id, household_id);
    create index appointment_bookings_to_remind_idx on appointment_bookings (organisation_id) where status = 'booked' and reminded_at is null;

    create table appointment_waitlist (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      slot_id uuid not null,
      household_id uuid not null,
      person_id uuid,
      reason text not null,
      status text not null default 'waiting' check (status in ('waiting', 'booked', 'left')),
      joined_at timestamptz not null default now(),
      ended_at timestamptz,
      booking_id uuid,
      foreign key (organisation_id, slot_id) references appointment_slots (organisation_id, id) on delete cascade,
      foreign key (organisation_id, household_id) references households (organisation_id, id)
    );
    create unique index appointment_waitlist_one_waiting on appointment_waitlist (slot_id, household_id) where status = 'waiting';
    create index appointment_waitlist_slot_idx on appointment_waitlist (organisation_id, slot_id, joined_at);
    create index appointment_waitlist_household_idx on appointment_waitlist (organisation_id, household_id);
  `.execute(db);
  for (const table of ['appointment_slots', 'appointment_bookings', 'appointment_waitlist']) await isolate(table).execute(db);
}
