// An ERP export shaped like the ones landlords really send (issue 12), not like the demo
// generator's: few large residences (60 residences for 12,000 households), 1–6 persons per
// household (≈ 2.2 lines per household), a few defective lines, one line listed twice, a
// formula cell, Windows-1252, `;`, CRLF. Generated data only (no real person), reproducible
// from the seed. The demo export (one small residence per few households, 1–3 persons) hid a
// plan that took 200 s on the duplicate check of a 24,000-line real file.

import { prng } from '../server/modules/demo/index.ts';

/** Headers in the order of the generated lines. */
export const realShapedHeaders = [
  'Code agence',
  'Code groupe',
  'Nom groupe',
  'Adresse',
  'Code postal',
  'Commune',
  'N° logement',
  'Étage',
  'N° bail',
  'Date entrée',
  'N° ménage',
  'N° occupant',
  'Civilité',
  'Nom',
  'Prénom',
  'Date de naissance',
  'Qualité',
  'Tél portable',
  'Tél fixe',
  'Courriel',
  'Solde',
];

// Every character here exists in Windows-1252 and Latin-1 alike (the file is written as Latin-1 bytes).
const lastNames =
  'MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL LEFÈVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE ROUSSEAU VINCENT MULLER LEFEBVRE FAURE ANDRÉ MERCIER BLANC GUÉRIN BOYER GARNIER CHEVALIER FRANÇOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLÉMENT MORIN NICOLAS HENRY ROUSSEL MATHIEU GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT MARIE LEMAIRE NOËL MEYER DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY RIVIÈRE LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GÉRARD ROCHE RENARD SCHMITT ROY LEROUX COLIN VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD DUMAS LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE BENOÎT REY LECLERC PAYET ROLLAND LECLERCQ GUILLAUME LECOMTE LOPEZ JEAN DUPUY GUILLOT HUBERT BERGER CARPENTIER SANCHEZ DUPUIS MOULIN LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER FLEURY ROYER KLEIN JACQUET ADAM PARIS POIRIER MARTY AUBRY GUYOT CARRÉ CHARLES RENAULT CHARPENTIER MÉNARD MAILLARD BARON BERTIN BAILLY HERVÉ SCHNEIDER FERNANDEZ LE GALL COLLET LÉGER BOUVIER JULIEN PRÉVOST MILLET PERROT DANIEL LE ROUX COUSIN GERMAIN BRETON BESSON LANGLOIS RÉMY LE GOFF PELLETIER LÉVÊQUE PERRIER LEBLANC BARRÉ LEBRUN MARCHAL WEBER MALLET HAMON BOULANGER JACOB MONNIER MICHAUD RODRIGUEZ GUICHARD GILLET ÉTIENNE GRONDIN POULAIN TESSIER CHEVALLIER COLLIN CHAUVIN DA SILVA BOUCHET GAY LEMAÎTRE BÉNARD MARÉCHAL HUMBERT REYNAUD ANTOINE HOARAU PERRET BARTHÉLEMY CORDIER PICHON LEJEUNE GILBERT LAMY DELAUNAY PASQUIER CARLIER LAPORTE'.split(
    ' ',
  );
const firstNames = {
  F: 'Marie Jeanne Françoise Monique Catherine Nathalie Isabelle Jacqueline Sylvie Anne Christine Martine Nicole Sophie Valérie Sandrine Céline Julie Camille Léa Manon Chloé Emma Inès Jade Louise Alice Lina Rose Anna Zoé Hélène Odette Simone Yvette Colette Josiane Brigitte Fatima Aïcha Mélanie Aurélie Émilie Laure Élise Agathe Margaux Clémence'.split(
    ' ',
  ),
  M: 'Jean Pierre Michel André Philippe Alain Jacques Bernard Daniel Patrick Nicolas Christophe Stéphane David Julien Thomas Lucas Hugo Louis Gabriel Arthur Jules Léo Raphaël Adam Nathan Paul Noah Ethan Mohamed Karim Youssef Marcel Roger René Gérard Claude Henri Lucien Maurice Sébastien Frédéric Laurent Olivier Éric Guillaume Antoine Mathis Théo'.split(
    ' ',
  ),
};
const streets =
  'rue de Belleville|boulevard de Ménilmontant|rue des Pyrénées|avenue Jean Jaurès|rue de Charonne|rue Oberkampf|boulevard Ney|rue de Crimée|avenue de Flandre|rue d’Alésia|rue de la Convention|boulevard Davout|rue Championnet|rue Ordener|avenue de Choisy|rue de Tolbiac|boulevard Macdonald|rue du Faubourg Saint-Antoine|rue de Vaugirard|rue Marcadet'
    .replace(/’/g, "'")
    .split('|');

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const frDate = (y: number, m: number, d: number) => `${pad(d, 2)}/${pad(m, 2)}/${y}`;
const stripAccents = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '');

/** Persons per household: 1 (34 %), 2 (28 %), 3 (16 %), 4 (11 %), 5 (7 %), 6 (4 %): ≈ 2.3. */
function householdSize(r: number) {
  const cumulative = [0.34, 0.62, 0.78, 0.89, 0.96, 1];
  return cumulative.findIndex((c) => r < c) + 1;
}

type Counts = { lines: number; households: number; residences: number; defective: number; duplicates: number; formulas: number };

/**
 * Lines of a real-shaped export (cells, header first). `defects`: how many lines get a defect
 * that rejects them (about one in a thousand for 24,000 lines, as in the real file); one line
 * of the file is repeated and one cell holds a spreadsheet formula. `counts` receives the totals.
 */
export function* realShapedLines(households: number, seed = 12, counts?: Counts): Generator<string[]> {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)] as T;
  const residences = Math.max(1, Math.round(households / 200));
  const defects = Math.max(3, Math.round(households / 575));
  // Defective households spread through the file, one kind of defect each, in turn.
  const defective = new Set<number>();
  for (let k = 0; k < defects; k++) defective.add(Math.floor(((k + 0.5) * households) / defects));
  const duplicateOf = Math.floor(households / 3);
  const formulaAt = Math.floor((households * 2) / 3);
  const c: Counts = counts ?? { lines: 0, households: 0, residences: 0, defective: 0, duplicates: 0, formulas: 0 };
  Object.assign(c, { lines: 0, households, residences, defective: 0, duplicates: 0, formulas: 0 });
  yield realShapedHeaders;
  let defectKind = 0;
  for (let i = 0; i < households; i++) {
    // Households are listed residence by residence, units in order, as ERP exports sort them.
    const r = Math.floor((i * residences) / households);
    const agency = `AG${pad((r % 4) + 1, 2)}`;
    const group = `G${pad(r + 1, 4)}`;
    const street = streets[r % streets.length] as string;
    const number = (r * 7) % 180;
    const postal = `750${pad(11 + (r % 10), 2)}`;
    const unit = `${group}-${pad(i + 1, 6)}`;
    const lease = `C${pad(i + 1, 8)}`;
    const household = `T${pad(i + 1, 8)}`;
    const size = householdSize(rand());
    const floor = Math.floor(rand() * 12);
    const surname = pick(lastNames);
    const holderYear = 1930 + Math.floor(rand() * 75);
    const balance = rand() < 0.15 ? `${Math.floor(rand() * 3000)},${pad(Math.floor(rand() * 100), 2)}` : '0,00';
    for (let k = 0; k < size; k++) {
      const female = rand() < 0.52;
      const adult = k < 2;
      const year = adult ? holderYear + Math.floor(rand() * 6) - 3 : Math.min(2024, holderYear + 20 + Math.floor(rand() * 20));
      const first = pick(female ? firstNames.F : firstNames.M);
      const hasMobile = rand() < 0.75;
      const hasEmail = adult && rand() < 0.45;
      const cells = [
        agency,
        group,
        `RÉSIDENCE ${surname.split(' ')[0]} ${r + 1}`,
        `${number} ${street}`,
        postal,
        'PARIS',
        unit,
        String(floor),
        lease,
        frDate(1990 + (i % 34), 1 + (i % 12), 1 + (i % 28)),
        household,
        `${household}-${k + 1}`,
        female ? 'Mme' : 'M.',
        surname,
        first,
        frDate(Math.max(1925, Math.min(2024, year)), 1 + Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)),
        k === 0 ? 'Titulaire' : k === 1 ? 'Cotitulaire' : 'Occupant',
        hasMobile ? `06 ${pad(i % 100, 2)} ${pad(Math.floor(rand() * 100), 2)} ${pad(Math.floor(rand() * 100), 2)} ${pad(k * 11, 2)}` : '',
        rand() < 0.2 ? `01 4${Math.floor(rand() * 10)} ${pad(Math.floor(rand() * 100), 2)} ${pad(Math.floor(rand() * 100), 2)} ${pad(k, 2)}` : '',
        hasEmail ? `${stripAccents(first).toLowerCase()}.${stripAccents(surname).toLowerCase().replace(/ /g, '')}${i}@exemple.fr` : '',
        k === 0 ? balance : '',
      ];
      if (defective.has(i) && k === size - 1) {
        // The defects seen in the real file, in turn: each rejects its line.
        const kind = defectKind++ % 5;
        if (kind === 0) cells[13] = ''; // no surname
        if (kind === 1) cells[6] = ''; // no unit
        if (kind === 2) cells[15] = '31/02/1950'; // a date that does not exist
        if (kind === 3) cells[15] = '12/05/56'; // two-digit year
        if (kind === 4) cells[20] = '12 3x4,00'; // unreadable amount (k may be > 0: balance on any line)
        c.defective++;
      }
      if (i === formulaAt && k === 0) {
        cells[17] = '=0612345678';
        c.formulas++;
      }
      c.lines++;
      yield cells;
      if (i === duplicateOf && k === 0) {
        c.lines++;
        c.duplicates++;
        yield cells;
      }
    }
  }
}

/** The file's bytes: Windows-1252 (Latin-1 for these characters), `;`, CRLF, quoting what needs it. */
export function* realShapedCsv(households: number, seed = 12, counts?: Counts): Generator<Buffer> {
  const quote = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  let chunk = '';
  for (const cells of realShapedLines(households, seed, counts)) {
    chunk += `${cells.map(quote).join(';')}\r\n`;
    if (chunk.length > 65_536) {
      yield Buffer.from(chunk, 'latin1');
      chunk = '';
    }
  }
  if (chunk) yield Buffer.from(chunk, 'latin1');
}
