/**
 * The data inventory of the DPIA file (TRUST DP-12), `docs/aipd/inventaire.md`, rendered in French
 * from the classification the table owners declare. `npm run docs:aipd` writes it; a test fails
 * when the committed file is not what the declarations give.
 */
import path from 'node:path';
import { dataClassDescriptions, dataClasses, dataClassLabels, purposeLabels, purposes } from '../../contracts/data-protection.ts';
import { type ClassifiedColumn, classifiedColumns, declarationFile } from './classification.ts';

/** Where the inventory is committed. */
export const inventoryFile = path.join(import.meta.dirname, '..', '..', 'docs', 'aipd', 'inventaire.md');

const cell = (text: string) => text.replaceAll('|', '\\|');
const purposesOf = (c: ClassifiedColumn) => c.purposes.map((p) => purposeLabels[p]).join(', ');

/** The inventory's Markdown text. */
export function inventoryMarkdown(columns: ClassifiedColumn[] = classifiedColumns()): string {
  const byTable = new Map<string, ClassifiedColumn[]>();
  for (const c of columns) byTable.set(c.table, [...(byTable.get(c.table) ?? []), c]);
  const mostSensitive = (cs: ClassifiedColumn[]) => dataClasses[Math.max(...cs.map((c) => dataClasses.indexOf(c.class)))] as (typeof dataClasses)[number];
  const lines = [
    '# Inventaire des données',
    '',
    '<!-- Fichier généré par « npm run docs:aipd » : ne pas le modifier à la main. -->',
    '',
    'Chaque colonne de chaque table de la base de Lien, avec sa classe de données, sa ou ses',
    'finalités et le module qui possède la table. Ce fichier est généré (`npm run docs:aipd`) à',
    'partir de la classification que chaque module déclare dans le code',
    '(`server/modules/<module>/<module>.data.ts`, `server/platform/<dossier>/<dossier>.data.ts`) ;',
    'un test échoue quand une colonne de la base n’y est pas classée, et un autre quand ce fichier',
    'ne correspond plus aux déclarations.',
    '',
    `${byTable.size} tables, ${columns.length} colonnes.`,
    '',
    '## Classes de données',
    '',
    '| Classe | Code | Ce qu’elle couvre | Colonnes |',
    '|---|---|---|---|',
    ...dataClasses.map((d) => `| ${dataClassLabels[d]} | \`${d}\` | ${cell(dataClassDescriptions[d])} | ${columns.filter((c) => c.class === d).length} |`),
    '',
    '## Finalités',
    '',
    'Une colonne peut servir plusieurs finalités ; la première citée est celle de sa collecte.',
    '',
    '| Finalité | Code | Colonnes |',
    '|---|---|---|',
    ...purposes.map((p) => `| ${purposeLabels[p]} | \`${p}\` | ${columns.filter((c) => c.purposes.includes(p)).length} |`),
    '',
    '## Tables',
    '',
    '| Table | Contenu | Module propriétaire | Classe la plus sensible | Finalités |',
    '|---|---|---|---|---|',
    ...[...byTable].map(([table, cs]) => {
      const first = cs[0] as ClassifiedColumn;
      const tablePurposes = purposes.filter((p) => cs.some((c) => c.purposes.includes(p))).map((p) => purposeLabels[p]);
      return `| [\`${table}\`](#${table}) | ${cell(first.about)} | \`${first.owner}\` | ${dataClassLabels[mostSensitive(cs)]} | ${tablePurposes.join(', ')} |`;
    }),
    '',
    '## Colonnes, table par table',
  ];
  for (const [table, cs] of byTable) {
    const first = cs[0] as ClassifiedColumn;
    lines.push(
      '',
      `### ${table}`,
      '',
      `${cell(first.about)}. Module propriétaire : \`${first.owner}\` (classification déclarée dans \`${declarationFile(first.owner)}\`).`,
      '',
      '| Colonne | Classe | Finalités | Module propriétaire |',
      '|---|---|---|---|',
      ...cs.map((c) => `| \`${c.column}\` | ${dataClassLabels[c.class]} | ${purposesOf(c)} | \`${c.owner}\` |`),
    );
  }
  return `${lines.join('\n')}\n`;
}
