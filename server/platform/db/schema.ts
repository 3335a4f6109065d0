import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Id = Generated<string>;

import type { Role } from '../../../contracts/roles.ts';

export type { Role };

export type SessionStage = 'second_factor' | 'enrolment' | 'active';

export type OrganisationTable = {
  id: Id;
  slug: string;
  name: string;
  kind: Generated<'landlord' | 'federation'>;
  /** Set only by the demo seed (owner connection): the second-factor page shows the demo code. */
  is_demo: Generated<boolean>;
  created_at: Timestamp;
};

export type AgencyTable = {
  id: Id;
  organisation_id: string;
  code: string;
  name: string;
  duty_phone: string | null;
  created_at: Timestamp;
};

export type UserTable = {
  id: Id;
  organisation_id: string;
  email: string;
  first_name: string;
  last_name: string;
  role: Role;
  status: Generated<'invited' | 'active' | 'inactive'>;
  password_hash: string | null;
  totp_secret: string | null;
  totp_enabled: Generated<boolean>;
  totp_last_step: ColumnType<string | null, number | null | undefined, number | null>;
  end_date: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type UserAgencyTable = { organisation_id: string; user_id: string; agency_id: string };

export type SessionTable = {
  id: Id;
  organisation_id: string;
  user_id: string;
  token_hash: Buffer;
  stage: SessionStage;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  authenticated_at: Timestamp;
  ended_at: Timestamp | null;
  end_reason: string | null;
};

export type UserTokenTable = {
  id: Id;
  organisation_id: string;
  user_id: string;
  purpose: 'password_reset' | 'invitation';
  token_hash: Buffer;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: Timestamp;
};

export type UserRecoveryCodeTable = {
  id: Id;
  organisation_id: string;
  user_id: string;
  code_hash: Buffer;
  used_at: Timestamp | null;
  created_at: Timestamp;
};

export type AuthThrottleTable = {
  key: string;
  /** Instants of the key's recent failures (or counted requests) within its window, newest first. */
  failures_at: ColumnType<Date[], Date[] | undefined, Date[]>;
};

export type AuditEventTable = {
  id: Id;
  organisation_id: string;
  at: Timestamp;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  ip: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
};

export type MessageStatus = 'queued' | 'sending' | 'sent' | 'delivered_locally' | 'failed' | 'unknown';

export type MessageTable = {
  id: Id;
  organisation_id: string;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string | null;
  body: string;
  purpose: string;
  idempotency_key: string;
  status: Generated<MessageStatus>;
  adapter: string | null;
  provider_message_id: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  /** The full text when it holds a personal link: AES-256-GCM, key outside the database; NULL once settled. */
  sealed_body: Buffer | null;
  sealed_until: Timestamp | null;
};

export type ResidenceTable = {
  id: Id;
  organisation_id: string;
  agency_id: string;
  erp_code: string;
  name: string;
  address: string | null;
  postal_code: string | null;
  city: string | null;
  insee_code: string | null;
  qpv: Generated<boolean>;
  caretaker_id: Generated<string | null>;
  search_text: Generated<string>;
  created_at: Timestamp;
};

export type HousingUnitTable = {
  id: Id;
  organisation_id: string;
  residence_id: string;
  erp_ref: string;
  floor: number | null;
  rooms: number | null;
  has_lift: boolean | null;
};

export type HouseholdTable = {
  id: Id;
  organisation_id: string;
  unit_id: string;
  erp_ref: string;
  status: Generated<'active' | 'left'>;
  balance_cents: Generated<string | null>;
  balance_at: Timestamp | null;
  left_at: Timestamp | null;
  missing_since: Timestamp | null;
  last_contact_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type PersonTable = {
  id: Id;
  organisation_id: string;
  household_id: string;
  civility: 'M.' | 'Mme' | null;
  first_name: string;
  last_name: string;
  birth_date: string | null;
  household_role: 'holder' | 'co_holder' | 'occupant';
  person_key: string;
  preferred_language: Generated<string | null>;
  preferred_channel: Generated<'phone' | 'sms' | 'email' | 'letter' | null>;
  search_name: Generated<string>;
  updated_at: Timestamp;
};

export type ContactPointTable = {
  id: Id;
  organisation_id: string;
  person_id: string;
  kind: 'mobile' | 'landline' | 'email';
  value: string;
  source: Generated<'erp_import' | 'staff' | 'tenant' | 'demo'>;
  digits: Generated<string>;
  updated_at: Timestamp;
};

export type IndicatorTable = {
  id: Id;
  organisation_id: string;
  household_id: string;
  person_id: string | null;
  kind: 'lives_alone' | 'reduced_mobility' | 'disability' | 'single_parent' | 'financial_fragility' | 'needs_interpreter';
  source: 'erp_import' | 'call' | 'caretaker' | 'tenant' | 'demo' | 'staff';
  recorded_at: Timestamp;
  recorded_by: string | null;
};

export type LeaseTable = {
  id: Id;
  organisation_id: string;
  household_id: string;
  unit_id: string;
  erp_ref: string;
  start_date: string | null;
  end_date: string | null;
};
export type HouseholdBalanceTable = {
  id: Id;
  organisation_id: string;
  household_id: string;
  balance_cents: string;
  recorded_at: Timestamp;
  import_id: string | null;
};
export type ObjectionTable = {
  id: Id;
  organisation_id: string;
  household_id: string;
  kind: 'no_call' | 'no_sms';
  recorded_by: string | null;
  recorded_at: Timestamp;
};
export type ConsentTable = {
  id: Id;
  organisation_id: string;
  household_id: string;
  person_id: string | null;
  purpose: 'health_needs' | 'regular_watch';
  channel: 'phone' | 'in_person' | 'letter' | 'portal';
  wording_version: string;
  given_at: Timestamp;
  recorded_by: string | null;
  withdrawn_at: Timestamp | null;
};
export type DeclaredNeedTable = {
  id: Id;
  organisation_id: string;
  household_id: string;
  category: 'health' | 'disability' | 'daily_life' | 'social' | 'other';
  label: string;
  source: 'erp_import' | 'call' | 'caretaker' | 'tenant' | 'staff';
  consent_id: string | null;
  recorded_by: string | null;
  recorded_at: Timestamp;
};
export type ImportStatus = 'staged' | 'validating' | 'previewed' | 'applying' | 'applied' | 'failed' | 'cancelled';
export type ImportTable = {
  id: Id;
  organisation_id: string;
  status: ImportStatus;
  file_name: string;
  format: string;
  encoding: string | null;
  delimiter: string | null;
  headers: string[];
  mapping: ColumnType<Record<string, string | null> | null, string | null | undefined, string | null>;
  full_export: Generated<boolean>;
  valid_only: Generated<boolean>;
  total_lines: Generated<number>;
  progress_done: Generated<number>;
  progress_total: Generated<number>;
  summary: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  error: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type ImportLineTable = {
  organisation_id: string;
  import_id: string;
  line: number;
  errors: ColumnType<unknown[] | null, string | null, string | null>;
} & Record<string, unknown>;
export type ImportMappingTable = { organisation_id: string; mapping: ColumnType<Record<string, string | null>, string, string>; updated_at: Timestamp };

type Json<T> = ColumnType<T, string, string>;
export type CampaignTable = {
  id: Id;
  organisation_id: string;
  name: string;
  purpose: string;
  status: Generated<'draft' | 'active' | 'paused' | 'closed'>;
  segment: Json<unknown>;
  script: Json<unknown>;
  retry_policy: Json<unknown>;
  call_windows: Json<unknown>;
  claim_timeout_minutes: Generated<number>;
  caller_limits: ColumnType<unknown, string | undefined, string>;
  excluded_no_call: Generated<number>;
  agency_ids: string[] | null;
  created_by: string | null;
  created_at: Timestamp;
  launched_at: Timestamp | null;
  closed_at: Timestamp | null;
  updated_at: Timestamp;
};
export type CampaignCallerTable = { organisation_id: string; campaign_id: string; user_id: string; added_at: Timestamp };
export type CharterAcceptanceTable = { id: Id; organisation_id: string; user_id: string; version: string; accepted_at: Timestamp };
export type FollowupTable = {
  id: Id;
  organisation_id: string;
  household_id: string;
  agency_id: string;
  campaign_id: string | null;
  attempt_id: string | null;
  need: string;
  label: string;
  urgent: Generated<boolean>;
  status: Generated<'open' | 'closed'>;
  assigned_to: string | null;
  resolution: string | null;
  created_at: Timestamp;
  closed_at: Timestamp | null;
  closed_by: string | null;
};
export type WatchEnrolmentTable = {
  id: Id;
  organisation_id: string;
  household_id: string;
  consent_id: string;
  frequency: 'weekly' | 'fortnightly' | 'monthly';
  status: Generated<'active' | 'ended'>;
  campaign_id: string | null;
  enrolled_by: string | null;
  enrolled_at: Timestamp;
  ended_at: Timestamp | null;
};

/** The database as Kysely sees it. */
export type DB = {
  organisations: OrganisationTable;
  agencies: AgencyTable;
  users: UserTable;
  user_agencies: UserAgencyTable;
  sessions: SessionTable;
  user_tokens: UserTokenTable;
  user_recovery_codes: UserRecoveryCodeTable;
  auth_throttle: AuthThrottleTable;
  audit_events: AuditEventTable;
  messages: MessageTable;
  residences: ResidenceTable;
  housing_units: HousingUnitTable;
  households: HouseholdTable;
  persons: PersonTable;
  contact_points: ContactPointTable;
  vulnerability_indicators: IndicatorTable;
  leases: LeaseTable;
  household_balances: HouseholdBalanceTable;
  objections: ObjectionTable;
  consents: ConsentTable;
  declared_needs: DeclaredNeedTable;
  imports: ImportTable;
  import_lines: ImportLineTable;
  import_mappings: ImportMappingTable;
  campaigns: CampaignTable;
  campaign_callers: CampaignCallerTable;
  charter_acceptances: CharterAcceptanceTable;
  followups: FollowupTable;
  watch_enrolments: WatchEnrolmentTable;
};
