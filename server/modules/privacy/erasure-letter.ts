/**
 * The French answer to an erasure or objection request (TRUST DP-07), as a PDF the DPO sends:
 * what was deleted, what is kept with restricted access and what is kept, each with its reason
 * (RGPD art. 12.4: a refusal, even partial, states its reasons and the right to complain to the CNIL).
 */
import { objectionLabels } from '../../../contracts/households.ts';
import { type ErasurePlan, erasureActionLabels } from '../../../contracts/privacy.ts';
import { newPdf } from '../../platform/pdf/document.ts';
import { parisToday } from '../../platform/time.ts';

const frDate = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });

/** A day in French: « 30 novembre 2026 », « 1er décembre 2026 ». */
const frenchDay = (isoDay: string) => frDate.format(new Date(`${isoDay}T12:00:00Z`)).replace(/^1 /, '1er ');

/** The letter's text, paragraph by paragraph (also what the PDF prints; tests read it). */
export function erasureLetterText(outcome: ErasurePlan, who: { personName: string; householdRef: string; receivedOn: string }, organisation: string): string[] {
  const erasure = outcome.kind === 'erasure';
  const executed = outcome.executedAt ? parisToday(new Date(outcome.executedAt)) : parisToday(new Date());
  const out = [
    `Objet : réponse à votre demande ${erasure ? 'd’effacement (article 17 du RGPD)' : 'd’opposition (article 21 du RGPD)'} reçue le ${frenchDay(who.receivedOn)}`,
    `Madame, Monsieur ${who.personName},`,
    `Votre demande concernant le ménage ${who.householdRef} a été traitée par ${organisation} le ${frenchDay(executed)}. Voici, catégorie par catégorie, ce qui a été fait de vos données et pourquoi.`,
  ];
  for (const action of ['delete', 'restrict', 'keep'] as const) {
    const lines = outcome.lines.filter((l) => l.action === action);
    if (!lines.length) continue;
    out.push(`${erasureActionLabels[action]} :`);
    for (const l of lines) out.push(`• ${l.label} (${l.rows} ${l.rows > 1 ? 'éléments' : 'élément'}) — ${l.reason}`);
  }
  if (outcome.restriction) {
    out.push(`Les données conservées ne sont plus utilisées que pour leur finalité légale et ne sont visibles que du rôle « ${outcome.restriction.seenBy} ».`);
  }
  if (outcome.objections.length) {
    out.push(
      `Vos oppositions enregistrées : ${outcome.objections.map((k) => objectionLabels[k]).join(', ')}. Elles sont respectées par toutes nos campagnes et nos registres.`,
    );
  }
  out.push(
    'Si cette réponse ne vous satisfait pas, vous pouvez saisir la Commission nationale de l’informatique et des libertés (CNIL, 3 place de Fontenoy, 75007 Paris, www.cnil.fr) ou former un recours juridictionnel.',
    'Nous vous prions d’agréer, Madame, Monsieur, l’expression de nos salutations distinguées.',
    `Le délégué ou la déléguée à la protection des données de ${organisation}`,
  );
  return out;
}

/** The letter as an A4 PDF. */
export function erasureLetterPdf(
  outcome: ErasurePlan,
  who: { personName: string; householdRef: string; receivedOn: string },
  organisation: string,
): Promise<Buffer> {
  const doc = newPdf({ size: 'A4', margin: 56, info: { Title: 'Réponse à votre demande sur vos données', Author: organisation } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const [subject, ...rest] = erasureLetterText(outcome, who, organisation);
  doc
    .font('bold')
    .fontSize(12)
    .text(subject ?? '');
  doc.moveDown().font('regular').fontSize(10.5);
  for (const p of rest) {
    const heading = p.endsWith(' :') && !p.startsWith('•');
    doc.font(heading ? 'bold' : 'regular').text(p, { indent: p.startsWith('•') ? 10 : 0 });
    doc.moveDown(heading ? 0.2 : 0.5);
  }
  doc.end();
  return done;
}
