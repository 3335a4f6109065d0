/**
 * The occupancy agreement (« convention d'occupation temporaire ») of a lent home, as an A4 PDF.
 * The guest's name is never stored (data minimisation): the agreement leaves it to be written by
 * hand when the keys are handed.
 */
import { frenchDay } from '../../../contracts/paris-time.ts';
import { type LendingAudience, lendingAudienceLabels } from '../../../contracts/solidarity.ts';
import { newPdf } from '../../platform/pdf/document.ts';

export type AgreementFacts = {
  audience: LendingAudience;
  requesterName: string;
  from: string;
  to: string;
  furnished: boolean;
  householdSize: number;
  keeper: string;
  referent: string;
  place: { residence: string; address: string; unitRef: string; floor: number | null };
};

/** The agreement's paragraphs, in order (the PDF prints them; tests read them). */
export function agreementLines(f: AgreementFacts): string[] {
  const floor = f.place.floor === null ? '' : f.place.floor === 0 ? ', rez-de-chaussée' : `, étage ${f.place.floor}`;
  return [
    'Convention d’occupation temporaire et gratuite',
    'Entre les soussignés :',
    `Le bailleur, représenté par ${f.keeper}, ci-après « le bailleur » ;`,
    `${f.requesterName}, représenté·e par ${f.referent}, qui oriente la personne hébergée, ci-après « la structure » ;`,
    'Et l’occupant·e : nom et prénom : ........................................................ (à écrire à la remise des clés).',
    'Article 1 – Objet :',
    `Le bailleur met à disposition, à titre gratuit et temporaire, le logement ${f.place.unitRef} de la résidence ${f.place.residence}, ${f.place.address}${floor}, ${f.furnished ? 'meublé' : 'non meublé'}, pour ${f.householdSize} personne${f.householdSize > 1 ? 's' : ''} au plus (${lendingAudienceLabels[f.audience].toLowerCase()}).`,
    'Article 2 – Durée :',
    `Du ${frenchDay(f.from)} au ${frenchDay(f.to)} inclus. La présente convention ne constitue pas un bail et ne confère aucun droit au maintien dans les lieux.`,
    'Article 3 – Clés et état des lieux :',
    'Les clés sont remises et rendues contre émargement ; un état des lieux est fait à l’entrée et à la sortie.',
    'Article 4 – Obligations de l’occupant·e :',
    'Occuper le logement paisiblement, en prendre soin, ne pas le sous-louer ni y héberger d’autres personnes que celles prévues.',
    ...(f.audience === 'violence_shelter'
      ? ['Article 5 – Confidentialité :', 'L’adresse du logement n’est communiquée à personne d’autre que les signataires.']
      : []),
    'Fait en trois exemplaires. Signatures : le bailleur, la structure, l’occupant·e.',
  ];
}

export function agreementPdf(f: AgreementFacts): Promise<Buffer> {
  const doc = newPdf({ size: 'A4', margin: 56, info: { Title: 'Convention d’occupation temporaire', Author: 'Lien' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const [title, ...rest] = agreementLines(f);
  doc
    .font('bold')
    .fontSize(14)
    .text(title ?? '', { align: 'center' });
  doc.moveDown().font('regular').fontSize(10.5);
  for (const p of rest) {
    const heading = p.endsWith(' :');
    doc.font(heading ? 'bold' : 'regular').text(p);
    doc.moveDown(heading ? 0.2 : 0.5);
  }
  doc.end();
  return done;
}
