/**
 * What a signed-in user may do, by name. The server decides which abilities a role has
 * (`server/platform/auth/abilities.ts`, the one place) and sends them with the session
 * (`GET /api/auth/me`); pages show or hide what they offer from these names, never from role
 * lists of their own.
 */
export const abilities = [
  'home.view',
  'households.read',
  'households.edit',
  'residences.manage',
  'imports.run',
  'campaigns.manage',
  'calls.make',
  /**
   * Calls from outside the staff (volunteers, partners): accepts the confidentiality charter
   * before a first call and gets only the caller fields of a call card, never a household file.
   */
  'calls.restricted',
  'notes.review',
  'followups.work',
  /** Write the tenant portal's FAQ and news (issue 16). */
  'portal.publish',
  'followups.assign',
  /** Read and write case notes of type health or violence (the database enforces it too). */
  'cases.sensitive_notes',
  /** See whether the needs one raised were taken care of (closed or not), nothing more. */
  'needs.raised',
  'doorstep.visit',
  'users.manage',
  'agencies.list',
  'households.export',
  'audit.read',
  /**
   * See a household whose processing is restricted after an erasure request (TRUST DP-07): only
   * the role that the legal purposes still met need (the lease and the arrears: rental management).
   */
  'households.restricted',
  /** Record and answer the requests of tenants about their data (right of access…): the DPO's work. */
  'privacy.manage',
  'agencies.all',
  /** Set up the landlord's partners (CCAS, associations…) and link their users. */
  'partners.manage',
  /** Refer a case's need to a partner, with the tenant's agreement (TRUST DP-09). */
  'referrals.send',
  /** Receive referrals as a partner's user: only those addressed to one's partner. */
  'referrals.receive',
  /**
   * Arrears (issue 14, TRUST DP-04): the view « nouveaux ou aggravés depuis le … », payment plans,
   * FSL and guarantee steps. Never volunteers, caretakers, partners nor federation analysts.
   */
  'arrears.work',
  /** Import a balance file (soldes locatifs). */
  'arrears.import',
  /** Pause the arrears reminders of a set of households until a date (crisis mode). */
  'arrears.pause',
  /** A federation's space: its dashboard and report (a federation), what one shares (a landlord's administrator). */
  'federation.analyse',
  /** A federation's members (its administrator), or a landlord's agreements with its federations (the landlord's administrator). */
  'federation.manage',
  /** Dashboards of the organisation or of one's agencies, their exports and the PDF report (issue 18). */
  'reports.view',
  /** Write message templates and send them to households or volunteers (SMS, e-mail, letter; issue 15). */
  'messages.send',
  /** Approve a send to more than 1,000 recipients, as the second person (TRUST LD-09). */
  'messages.approve',
  /** Vacant homes lent (issue 17): offers, requests, matching, agreements and keys. */
  'lending.manage',
  /** File a request for a lent home (a partner's user: hospital, care home, association) and follow one's own. */
  'lending.request',
  /** Vet volunteers' sign-ups (accept: the invitation; decline), open the public page, write the training. */
  'volunteers.manage',
  /** A volunteer's own onboarding: the training, their tally, pausing themselves. */
  'volunteers.self',
  /** Assign deliveries (meals, groceries, medicines) to volunteers and caretakers, and follow them. */
  'deliveries.manage',
  /** Deliver: one's own deliveries on a phone (first name, door, phone), and their outcome. */
  'deliveries.deliver',
  /** Plan food distributions with a partner, invite households, record who came, print the partner's list. */
  'distributions.manage',
  /** A partner's user: the list of their partner's distributions (only what they need at the door). */
  'distributions.partner',
  /** Plan outreach events at the foot of buildings, record contacts and topics on a phone, read the summary. */
  'outreach.work',
  /** The agency calendar (issue 16): see slots and bookings, mark « venu » / « absent », print the day's list. */
  'appointments.work',
  /** Open and close an agency's appointment slots (its managers, the administrators). */
  'appointments.manage',
] as const;

/** One ability. */
export type Ability = (typeof abilities)[number];
