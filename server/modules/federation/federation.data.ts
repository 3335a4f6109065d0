/**
 * Data classification of the tables the federation owns (TRUST DP-01, DP-14). None holds a
 * person's data: organisations, agreements and counts of 11 households or more. Their purpose is
 * the landlord's own reporting to its federation (`service_operation`: no purpose of a
 * tenant's data is extended by them).
 */
import { classifier, type ModuleClassification } from '../../platform/db/classification.ts';

const ops = classifier('service_operation');

export const federationData = {
  federation_members: {
    about: 'Bailleurs membres d’une fédération (liste tenue par la fédération)',
    columns: {
      organisation_id: ops('internal'),
      member_id: ops('internal'),
      member_name: ops('public'),
      federation_name: ops('public'),
      report_text: ops('internal'),
      added_at: ops('internal'),
      removed_at: ops('internal'),
    },
  },
  federation_agreements: {
    about: 'Indicateurs qu’un bailleur accepte de partager avec une fédération',
    columns: {
      organisation_id: ops('internal'),
      federation_id: ops('internal'),
      federation_name: ops('public'),
      indicators: ops('internal'),
      agreed_at: ops('internal'),
      updated_at: ops('internal'),
      left_at: ops('internal'),
    },
  },
  federation_aggregates: {
    about: 'Agrégats mensuels d’un bailleur pour une fédération (sans identifiant, cases de moins de 11 ménages masquées)',
    columns: {
      organisation_id: ops('internal'),
      federation_id: ops('internal'),
      indicator_id: ops('internal'),
      indicator_version: ops('internal'),
      period: ops('internal'),
      dimension: ops('internal'),
      dimension_value: ops('internal'),
      value: ops('internal'),
      suppressed: ops('internal'),
      computed_at: ops('internal'),
    },
  },
  federation_refreshes: {
    about: 'Recalculs des agrégats d’une fédération et leur avancement',
    columns: {
      id: ops('internal'),
      organisation_id: ops('internal'),
      status: ops('internal'),
      members_total: ops('internal'),
      members_done: ops('internal'),
      requested_at: ops('internal'),
      finished_at: ops('internal'),
      error: ops('internal'),
    },
  },
} satisfies ModuleClassification<'federation'>;
