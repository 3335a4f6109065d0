/**
 * The model of the « registre des activités de traitement » (RGPD art. 30; TRUST DP-12): one
 * entry per purpose, built from the classification (which tables and data classes serve it) and
 * the abilities (which roles see it), with the descriptions and proposed legal bases written
 * here, in French, for the landlord's DPO to confirm. Shown read-only on « Protection des
 * données » (`GET /api/privacy/register`) and written to `docs/aipd/registre.md`
 * (`npm run docs:aipd`; a test fails when the file is stale).
 */
import path from 'node:path';
import { type DataClass, dataClasses, dataClassLabels, type Purpose, purposeLabels, purposes } from '../../contracts/data-protection.ts';
import { householdAccess } from '../../contracts/households.ts';
import type { ProcessingRegister, RegisterEntry } from '../../contracts/register.ts';
import { type Role, roleLabels, roles } from '../../contracts/roles.ts';
import { rolesWith } from '../platform/auth/abilities.ts';
import { type ClassifiedColumn, classifiedColumns } from './classification.ts';

/** Where the model is committed. */
export const registerFile = path.join(import.meta.dirname, '..', '..', 'docs', 'aipd', 'registre.md');

/** Where the retention of each purpose is documented and set (the retention table is written with the purge, DP-02). */
export const RETENTION_DOC = 'docs/aipd/conservation.md';

const readersOf = (group: (typeof householdAccess)[Role]['fields'][number]) => roles.filter((r) => householdAccess[r].fields.includes(group));

/** What only this file knows: the words of each entry, and which roles see the purpose's data. */
const described: Record<Purpose, { description: string; legalBasis: string; persons: string; recipients: readonly Role[]; processors: string[] }> = {
  rental_management: {
    description:
      'Tenir le référentiel des ménages locataires à partir de l’export de l’ERP (logement, bail, occupant·es, coordonnées) pour les joindre et suivre leur situation.',
    legalBasis: 'Exécution du contrat de location (art. 6.1.b RGPD).',
    persons: 'Locataires et occupant·es des logements.',
    recipients: rolesWith('households.read'),
    processors: ['Hébergement et sauvegardes'],
  },
  arrears: {
    description: 'Connaître le solde locatif d’un ménage pour prévenir les impayés et orienter vers un accompagnement.',
    legalBasis: 'Exécution du contrat de location et intérêt légitime du bailleur à prévenir les impayés (art. 6.1.b et 6.1.f RGPD).',
    persons: 'Locataires titulaires du bail.',
    recipients: readersOf('balance'),
    processors: ['Hébergement et sauvegardes'],
  },
  fragility_register: {
    description:
      'Repérer les ménages fragiles (isolement, âge, mobilité, handicap) et leurs besoins pour les contacter en priorité en cas de crise et les accompagner.',
    legalBasis:
      'Intérêt légitime du bailleur et mission sociale (art. 6.1.f RGPD) ; pour les données de santé ou de handicap, consentement explicite de la personne (art. 9.2.a RGPD), recueilli et retirable dans Lien.',
    persons: 'Locataires et occupant·es repéré·es comme fragiles.',
    recipients: [...new Set([...readersOf('indicators'), ...rolesWith('calls.make')])],
    processors: ['Hébergement et sauvegardes'],
  },
  campaign: {
    description:
      'Appeler les ménages ciblés d’une campagne (veille canicule, isolement…), noter l’issue des appels et les réponses au questionnaire, alerter en cas d’urgence.',
    legalBasis:
      'Intérêt légitime du bailleur à garder le lien avec ses locataires (art. 6.1.f RGPD), droit d’opposition respecté (« ne pas appeler ») ; veille régulière sur consentement (art. 6.1.a).',
    persons: 'Locataires et occupant·es des ménages ciblés ; appelant·es (salarié·es, bénévoles, partenaires).',
    recipients: [...new Set([...rolesWith('campaigns.manage'), ...rolesWith('calls.make'), ...rolesWith('doorstep.visit')])],
    processors: ['Hébergement et sauvegardes', 'Courriel', 'SMS'],
  },
  referral: {
    description: 'Suivre ce qu’un appel ou une visite a révélé (besoin, urgence) jusqu’à sa résolution, et orienter vers un partenaire.',
    legalBasis: 'Intérêt légitime (art. 6.1.f RGPD) ; orientation vers un partenaire avec l’accord de la personne (art. 6.1.a).',
    persons: 'Locataires et occupant·es ayant un besoin ou une urgence.',
    recipients: rolesWith('followups.work'),
    processors: ['Hébergement et sauvegardes', 'Courriel'],
  },
  portal: {
    description: 'Portail locataire (pas encore construit) : aucune donnée n’est collectée pour cette finalité aujourd’hui.',
    legalBasis: 'Exécution du contrat de location (art. 6.1.b RGPD).',
    persons: 'Locataires.',
    recipients: [],
    processors: ['Hébergement et sauvegardes'],
  },
  security: {
    description:
      'Sécuriser les comptes (mots de passe, second facteur, sessions) et tracer qui a consulté ou modifié quoi (journal d’audit), pour détecter et documenter une violation de données.',
    legalBasis: 'Obligation de sécurité du responsable du traitement (art. 32 RGPD) et intérêt légitime (art. 6.1.f).',
    persons: 'Utilisateur·rices de Lien ; locataires dont la fiche est consultée (dans le journal).',
    recipients: rolesWith('audit.read'),
    processors: ['Hébergement et sauvegardes', 'Courriel'],
  },
  service_operation: {
    description: 'Faire fonctionner le service : organismes, agences, comptes et réglages, imports en cours, boîte d’envoi.',
    legalBasis: 'Intérêt légitime (art. 6.1.f RGPD).',
    persons: 'Utilisateur·rices de Lien.',
    recipients: rolesWith('users.manage'),
    processors: ['Hébergement et sauvegardes'],
  },
};

const mostSensitive = (classes: DataClass[]) => dataClasses[Math.max(...classes.map((c) => dataClasses.indexOf(c)))] as DataClass;

/** The register's entries, one per purpose, from the classification. */
export function processingRegister(columns: ClassifiedColumn[] = classifiedColumns()): ProcessingRegister {
  const entries: RegisterEntry[] = purposes.map((purpose) => {
    // Personal data only: the register describes processing of personal data (internal and public columns are in the inventory).
    const serving = columns.filter((c) => c.purposes.includes(purpose) && dataClasses.indexOf(c.class) >= dataClasses.indexOf('personal'));
    const byTable = new Map<string, ClassifiedColumn[]>();
    for (const c of serving) byTable.set(c.table, [...(byTable.get(c.table) ?? []), c]);
    const d = described[purpose];
    return {
      purpose,
      label: purposeLabels[purpose],
      description: d.description,
      legalBasis: d.legalBasis,
      persons: d.persons,
      recipients: roles.filter((r) => d.recipients.includes(r)).map((r) => roleLabels[r]),
      processors: d.processors,
      classes: dataClasses
        .map((c) => ({ class: c, label: dataClassLabels[c], columns: serving.filter((s) => s.class === c).length }))
        .filter((c) => c.columns > 0)
        .reverse(),
      tables: [...byTable].map(([table, cs]) => {
        const cls = mostSensitive(cs.map((c) => c.class));
        return { table, label: (cs[0] as ClassifiedColumn).about, class: cls, classLabel: dataClassLabels[cls] };
      }),
      retention: `Durée de conservation par défaut : voir le tableau des durées (${RETENTION_DOC}) ; l’organisme la règle pour cette finalité.`,
    };
  });
  return { entries };
}

const cell = (text: string) => text.replaceAll('|', '\\|');

/** The model as Markdown, for `docs/aipd/registre.md`. */
export function registerMarkdown(register: ProcessingRegister = processingRegister()): string {
  const lines = [
    '# Registre des activités de traitement — modèle',
    '',
    '<!-- Fichier généré par « npm run docs:aipd » : ne pas le modifier à la main. -->',
    '',
    'Une fiche par finalité, à recopier dans le registre de votre organisme (article 30 du RGPD) et à',
    'compléter : nom et coordonnées du responsable du traitement (le bailleur) et de son ou sa DPO,',
    'sous-traitants choisis ([`sous-traitants.md`](sous-traitants.md)), durées retenues',
    '([`conservation.md`](conservation.md)), transferts hors de l’Union européenne (aucun dans Lien),',
    'mesures de sécurité ([`risques.md`](risques.md)).',
    '',
    'Ce modèle est **généré** à partir du code : les données de chaque finalité viennent de la',
    'classification des colonnes ([`inventaire.md`](inventaire.md)), les destinataires internes des',
    'droits de chaque rôle dans Lien (`server/platform/auth/abilities.ts`). Les descriptions et les',
    'bases légales sont des **propositions** des auteur·rices de Lien : votre DPO les valide.',
    'La même liste s’affiche en lecture seule dans Lien (page « Protection des données »).',
  ];
  for (const e of register.entries) {
    lines.push(
      '',
      `## ${e.label}`,
      '',
      `- **Finalité** : ${e.description}`,
      `- **Base légale proposée** : ${e.legalBasis}`,
      `- **Personnes concernées** : ${e.persons}`,
      `- **Destinataires internes (rôles dans Lien)** : ${e.recipients.length ? e.recipients.join(', ') : 'aucun aujourd’hui'}`,
      `- **Sous-traitants (catégories)** : ${e.processors.join(', ')}`,
      `- **Catégories de données** : ${e.classes.length ? e.classes.map((c) => `${c.label} (${c.columns} colonne${c.columns > 1 ? 's' : ''})`).join(', ') : 'aucune aujourd’hui'}`,
      `- **Conservation** : ${e.retention}`,
      '- **Transferts hors UE** : aucun (à confirmer selon l’hébergeur et les prestataires choisis).',
    );
    if (e.tables.length) {
      lines.push(
        '',
        '| Table | Contenu | Classe la plus sensible |',
        '|---|---|---|',
        ...e.tables.map((t) => `| \`${t.table}\` | ${cell(t.label)} | ${t.classLabel} |`),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
