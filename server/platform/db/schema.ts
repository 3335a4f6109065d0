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

export type AuthThrottleTable = {
  key: string;
  failures: number;
  last_failure_at: Timestamp;
  locked_until: Timestamp | null;
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
};

export type ResidenceTable = {
  id: Id;
  organisation_id: string;
  agency_id: string;
  erp_code: string;
  name: string;
  address: string;
  postal_code: string;
  city: string;
  insee_code: string | null;
  qpv: Generated<boolean>;
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
  created_at: Timestamp;
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
};

export type ContactPointTable = {
  id: Id;
  organisation_id: string;
  person_id: string;
  kind: 'mobile' | 'landline' | 'email';
  value: string;
};

export type IndicatorTable = {
  id: Id;
  organisation_id: string;
  household_id: string;
  person_id: string | null;
  kind: 'lives_alone' | 'reduced_mobility' | 'disability' | 'single_parent' | 'financial_fragility' | 'needs_interpreter';
  source: 'erp_import' | 'call' | 'caretaker' | 'tenant' | 'demo';
  recorded_at: Timestamp;
};

/** The database as Kysely sees it. */
export type DB = {
  organisations: OrganisationTable;
  agencies: AgencyTable;
  users: UserTable;
  user_agencies: UserAgencyTable;
  sessions: SessionTable;
  user_tokens: UserTokenTable;
  auth_throttle: AuthThrottleTable;
  audit_events: AuditEventTable;
  messages: MessageTable;
  residences: ResidenceTable;
  housing_units: HousingUnitTable;
  households: HouseholdTable;
  persons: PersonTable;
  contact_points: ContactPointTable;
  vulnerability_indicators: IndicatorTable;
};
