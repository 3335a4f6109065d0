// Why (issue 14, « Arrears and payment plans »): the rent balances came only from the ERP export,
// one history row per import dated by the import's time. Landlords also receive a separate balance
// file (ERP reference, balance, date, monthly rent): each row is a balance at a date, so the history
// now carries the balance's date (`balance_on`, the Paris day of the import for the ERP rows) and
// the monthly rent when known (to say how many months of rent a debt is); the household keeps its
// latest monthly rent like its latest balance. A balance file is staged in `balance_imports` for
// its preview and applied all at once.
//
// Payment plans (report, étalement, plan d'apurement) with their instalments, crisis pauses of the
// reminders (2020 national charter) and FSL / guarantee steps belong to the new module `arrears`.
//
// Purpose separation (TRUST DP-04): a role for the recovery officers, `arrears_officer`, who read
// balances and plans but neither campaigns nor the fragility register.
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users drop constraint users_role_check;
    alter table users add constraint users_role_check
      check (role in ('org_admin', 'manager', 'staff', 'social_worker', 'caretaker', 'volunteer', 'partner', 'federation_analyst', 'arrears_officer'));

    alter table household_balances add column balance_on date, add column monthly_rent_cents bigint check (monthly_rent_cents >= 0),
      add column balance_import_id uuid;
    update household_balances set balance_on = (recorded_at at time zone 'Europe/Paris')::date;
    alter table household_balances alter column balance_on set default ((now() at time zone 'Europe/Paris')::date),
      alter column balance_on set not null;
    -- The arrears view reads, per household, the last balance on or before a date (one ordered pass, no heap).
    create index household_balances_on_idx on household_balances (organisation_id, household_id, balance_on desc, recorded_at desc) include (balance_cents);
    alter table households add column monthly_rent_cents bigint check (monthly_rent_cents >= 0);
    -- The arrears view reads the households in debt from this index alone (id, unit and balance).
    create index households_debt_idx on households (organisation_id, balance_cents desc) include (id, unit_id) where balance_cents > 0;

    create table balance_imports (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      file_name text not null check (length(file_name) <= 255),
      status text not null default 'previewed' check (status in ('previewed', 'applied', 'cancelled')),
      total_lines int not null,
      -- The valid lines: [{ "line", "householdId", "balanceCents", "balanceOn", "monthlyRentCents" }].
      lines jsonb not null,
      -- The refused lines: [{ "line", "column", "value", "reason" }], reasons in French.
      errors jsonb not null,
      created_by uuid,
      created_at timestamptz not null default now(),
      applied_at timestamptz,
      unique (organisation_id, id)
    );
    create index balance_imports_created_idx on balance_imports (organisation_id, created_at desc);

    create table payment_plans (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      household_id uuid not null,
      -- The rent case it belongs to; a case erased or purged (fragility register) leaves the plan,
      -- kept for the arrears purpose while the debt is owed.
      case_id uuid,
      kind text not null check (kind in ('deferral', 'instalments', 'clearance')),
      amount_cents bigint not null check (amount_cents > 0),
      start_on date not null,
      months int not null check (months between 1 and 120),
      signed_on date not null,
      grace_days int not null default 10 check (grace_days between 0 and 60),
      -- The household's balance when the plan was signed: instalment k is met when the balance is at
      -- most this less the instalments 1..k.
      baseline_cents bigint not null,
      status text not null default 'active' check (status in ('active', 'completed', 'cancelled')),
      created_by uuid,
      created_at timestamptz not null default now(),
      unique (organisation_id, id),
      foreign key (organisation_id, household_id) references households (organisation_id, id),
      foreign key (organisation_id, case_id) references cases (organisation_id, id) on delete set null (case_id)
    );
    create index payment_plans_household_idx on payment_plans (organisation_id, household_id, created_at);
    create index payment_plans_active_idx on payment_plans (organisation_id, status) where status = 'active';

    create table plan_instalments (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      plan_id uuid not null,
      seq int not null check (seq >= 1),
      due_on date not null,
      amount_cents bigint not null check (amount_cents >= 0),
      status text not null default 'pending' check (status in ('pending', 'met', 'missed')),
      checked_at timestamptz,
      -- The case task raised for a missed instalment.
      task_id uuid,
      unique (organisation_id, id),
      unique (organisation_id, plan_id, seq),
      foreign key (organisation_id, plan_id) references payment_plans (organisation_id, id) on delete cascade
    );
    create index plan_instalments_pending_idx on plan_instalments (organisation_id, due_on) where status = 'pending';

    create table arrears_pauses (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      household_id uuid not null,
      until_on date not null,
      reason text not null check (length(reason) between 3 and 300),
      created_by uuid,
      created_at timestamptz not null default now(),
      lifted_at timestamptz,
      unique (organisation_id, id),
      foreign key (organisation_id, household_id) references households (organisation_id, id)
    );
    create index arrears_pauses_household_idx on arrears_pauses (organisation_id, household_id, until_on desc);

    create table arrears_steps (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      case_id uuid,
      household_id uuid not null,
      kind text not null check (kind in ('fsl', 'guarantee')),
      filed_on date not null,
      decided_on date,
      decision text check (decision in ('granted', 'refused')),
      amount_cents bigint check (amount_cents >= 0),
      created_by uuid,
      created_at timestamptz not null default now(),
      check ((decided_on is null) = (decision is null)),
      unique (organisation_id, id),
      foreign key (organisation_id, case_id) references cases (organisation_id, id) on delete set null (case_id),
      foreign key (organisation_id, household_id) references households (organisation_id, id)
    );
    create index arrears_steps_case_idx on arrears_steps (organisation_id, case_id, created_at);
    create index arrears_steps_household_idx on arrears_steps (organisation_id, household_id);
  `.execute(db);
  for (const table of ['balance_imports', 'payment_plans', 'plan_instalments', 'arrears_pauses', 'arrears_steps']) await isolate(table).execute(db);
}
