import { demoAgencies, demoResidences, generateHouseholds } from './demo-data.ts';

/** Headers of the generated export, as a French ERP would name them. */
export const exportHeaders = [
  'Code agence',
  'Nom agence',
  'Code groupe',
  'Nom groupe',
  'Adresse',
  'Code postal',
  'Commune',
  'Code INSEE',
  'QPV',
  'N° logement',
  'Étage',
  'Nb pièces',
  'Ascenseur',
  'N° bail',
  'Date entrée',
  'N° occupant',
  'Civilité',
  'Nom',
  'Prénom',
  'Date de naissance',
  'Qualité',
  'Tél portable',
  'Tél fixe',
  'Solde',
];

const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const frPhone = (e164: string) => `0${e164.slice(3)}`.replace(/(\d{2})(?=\d)/g, '$1 ');
const frAmount = (cents: number) => {
  const abs = Math.abs(cents);
  const euros = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${cents < 0 ? '-' : ''}${euros},${String(abs % 100).padStart(2, '0')}`;
};
const roles = { holder: 'Titulaire', co_holder: 'Cotitulaire', occupant: 'Occupant' } as const;

/**
 * Lines of a realistic ERP export (one per occupant), reproducible from the seed, generated
 * in chunks so any size streams in bounded memory.
 */
export function* erpExportLines(households: number, seed: number): Generator<string[]> {
  const agencies = new Map(demoAgencies.map((a) => [a.code, a.name]));
  const chunk = 10_000;
  for (let start = 0; start < households; start += chunk) {
    const batch = generateHouseholds(Math.min(chunk, households - start), seed * 100_003 + start);
    for (let i = 0; i < batch.length; i++) {
      const h = batch[i] as (typeof batch)[number];
      const n = String(start + i + 1).padStart(7, '0');
      const r = demoResidences.find((x) => x.erp_code === h.residence) as (typeof demoResidences)[number];
      const balance = (start + i) % 7 === 0 ? ((start + i) % 97) * 1234 - 20_000 : 0;
      for (const [k, p] of h.persons.entries()) {
        const mobile = p.phones.find((x) => x.kind === 'mobile');
        const landline = p.phones.find((x) => x.kind === 'landline');
        yield [
          r.agency,
          agencies.get(r.agency) ?? r.agency,
          r.erp_code,
          r.name,
          r.address,
          r.postal_code,
          r.city,
          r.insee_code,
          r.qpv ? 'Oui' : 'Non',
          `LGT${n}`,
          String(h.floor),
          String(h.rooms),
          r.lift ? 'Oui' : 'Non',
          `BAIL${n}`,
          '01/09/2015',
          `OCC${n}-${k + 1}`,
          p.civility,
          p.last_name.toUpperCase(),
          p.first_name,
          frDate(p.birth_date),
          roles[p.household_role],
          mobile ? frPhone(mobile.value) : '',
          landline ? frPhone(landline.value) : '',
          frAmount(balance),
        ];
      }
    }
  }
}

/** The export as CSV text lines (`;`, CRLF), quoting only what needs it. */
export function* erpExportCsv(households: number, seed: number): Generator<string> {
  const quote = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  yield `${exportHeaders.map(quote).join(';')}\r\n`;
  for (const line of erpExportLines(households, seed)) yield `${line.map(quote).join(';')}\r\n`;
}
