/** The partner's printable list of a distribution (A4 PDF): the name to call out, how many people, a box to tick. */

import { frenchDay } from '../../../contracts/paris-time.ts';
import { plural } from '../../../contracts/plural.ts';
import { distributionKindLabels, type PartnerList } from '../../../contracts/solidarity.ts';
import { checklistPdf } from '../../platform/pdf/checklist.ts';

export function partnerListLines(l: PartnerList): string[] {
  return [
    `${distributionKindLabels[l.kind]} — ${l.partner}`,
    `Le ${frenchDay(l.heldOn)}, ${l.place} — ${plural(l.lines.length, 'ménage invité', 'ménages invités')}`,
    ...l.lines.map((x) => `☐ ${x.name} — ${plural(x.persons, 'personne', 'personnes')}`),
  ];
}

export function partnerListPdf(l: PartnerList): Promise<Buffer> {
  const [title, subtitle, ...lines] = partnerListLines(l);
  return checklistPdf(title ?? '', subtitle ?? '', lines);
}
