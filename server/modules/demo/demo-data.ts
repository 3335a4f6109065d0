/** Deterministic generator of realistic French households (no real person). */

/** mulberry32: small, fast, reproducible PRNG. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const lastNames = [
  'Martin',
  'Bernard',
  'Thomas',
  'Petit',
  'Robert',
  'Richard',
  'Durand',
  'Dubois',
  'Moreau',
  'Laurent',
  'Simon',
  'Michel',
  'Lefèvre',
  'Leroy',
  'Roux',
  'David',
  'Bertrand',
  'Morel',
  'Fournier',
  'Girard',
  'Bonnet',
  'Dupont',
  'Lambert',
  'Fontaine',
  'Rousseau',
  'Vincent',
  'Muller',
  'Lefebvre',
  'Faure',
  'André',
  'Mercier',
  'Blanc',
  'Guérin',
  'Boyer',
  'Garnier',
  'Chevalier',
  'François',
  'Legrand',
  'Gauthier',
  'Garcia',
  'Perrin',
  'Robin',
  'Clément',
  'Morin',
  'Nicolas',
  'Henry',
  'Roussel',
  'Mathieu',
  'Gautier',
  'Masson',
  'Marchand',
  'Duval',
  'Denis',
  'Dumont',
  'Marie',
  'Lemaire',
  'Noël',
  'Meyer',
  'Dufour',
  'Meunier',
  'Brun',
  'Blanchard',
  'Giraud',
  'Joly',
  'Rivière',
  'Lucas',
  'Brunet',
  'Gaillard',
  'Barbier',
  'Arnaud',
  'Benali',
  'Haddad',
  'Diallo',
  'Traoré',
  'Nguyen',
  'Da Silva',
  'Ferreira',
  'Kaya',
  'Mendy',
  'Cissé',
];
const femaleNames = [
  'Marie',
  'Jeanne',
  'Françoise',
  'Monique',
  'Catherine',
  'Nathalie',
  'Isabelle',
  'Sylvie',
  'Christine',
  'Martine',
  'Hélène',
  'Josette',
  'Odette',
  'Fatima',
  'Aïcha',
  'Chantal',
  'Sophie',
  'Camille',
  'Léa',
  'Inès',
  'Émilie',
  'Nadia',
  'Yvette',
  'Geneviève',
];
const maleNames = [
  'Jean',
  'Pierre',
  'Michel',
  'André',
  'Philippe',
  'Alain',
  'Bernard',
  'Jacques',
  'Daniel',
  'Patrick',
  'René',
  'Marcel',
  'Benoît',
  'Mohamed',
  'Ahmed',
  'Mamadou',
  'Thierry',
  'Nicolas',
  'Julien',
  'Lucas',
  'Hugo',
  'Karim',
  'Gérard',
  'Roger',
];

/** Two agencies with three residences each, in the Val-de-Marne. */
export const demoAgencies = [
  { code: 'NORD', name: 'Agence Nord', duty_phone: '+33145000001' },
  { code: 'SUD', name: 'Agence Sud', duty_phone: '+33145000002' },
];
export const demoResidences = [
  {
    erp_code: 'R001',
    agency: 'NORD',
    name: 'Les Tilleuls',
    address: '12 rue Jean Jaurès',
    postal_code: '94400',
    city: 'Vitry-sur-Seine',
    insee_code: '94081',
    qpv: true,
    floors: 8,
    lift: true,
  },
  {
    erp_code: 'R002',
    agency: 'NORD',
    name: 'Le Clos Fleuri',
    address: '3 allée des Lilas',
    postal_code: '94200',
    city: 'Ivry-sur-Seine',
    insee_code: '94041',
    qpv: false,
    floors: 4,
    lift: false,
  },
  {
    erp_code: 'R003',
    agency: 'NORD',
    name: 'Résidence Voltaire',
    address: '45 avenue Voltaire',
    postal_code: '94400',
    city: 'Vitry-sur-Seine',
    insee_code: '94081',
    qpv: true,
    floors: 12,
    lift: true,
  },
  {
    erp_code: 'R004',
    agency: 'SUD',
    name: 'Les Hauts de Choisy',
    address: '8 boulevard des Alliés',
    postal_code: '94600',
    city: 'Choisy-le-Roi',
    insee_code: '94022',
    qpv: true,
    floors: 10,
    lift: true,
  },
  {
    erp_code: 'R005',
    agency: 'SUD',
    name: 'Le Parc',
    address: '21 rue Gabriel Péri',
    postal_code: '94320',
    city: 'Thiais',
    insee_code: '94073',
    qpv: false,
    floors: 3,
    lift: false,
  },
  {
    erp_code: 'R006',
    agency: 'SUD',
    name: 'Cité des Roses',
    address: '2 place de la République',
    postal_code: '94310',
    city: 'Orly',
    insee_code: '94054',
    qpv: true,
    floors: 6,
    lift: true,
  },
];

export type DemoPerson = {
  civility: 'M.' | 'Mme';
  first_name: string;
  last_name: string;
  birth_date: string;
  household_role: 'holder' | 'co_holder' | 'occupant';
  phones: { kind: 'mobile' | 'landline'; value: string }[];
};
export type DemoHousehold = {
  erp_ref: string;
  unit_ref: string;
  residence: string;
  floor: number;
  rooms: number;
  persons: DemoPerson[];
  livesAlone: boolean;
  reducedMobility: boolean;
};

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}
function digits(rand: () => number, n: number) {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rand() * 10);
  return s;
}
function birthDate(rand: () => number, age: number, year: number) {
  const month = 1 + Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 28);
  return `${year - age}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** N households, reproducible from `seed`: same seed, same households. */
export function generateHouseholds(count: number, seed: number, year = 2026): DemoHousehold[] {
  const rand = prng(seed);
  const out: DemoHousehold[] = [];
  for (let i = 0; i < count; i++) {
    const residence = pick(rand, demoResidences);
    // Social housing is older than the population: a quarter of holders are 70 or more.
    const r = rand();
    const age = r < 0.25 ? 70 + Math.floor(rand() * 26) : r < 0.45 ? 60 + Math.floor(rand() * 10) : 22 + Math.floor(rand() * 38);
    const livesAlone = age >= 70 ? rand() < 0.55 : rand() < 0.25;
    const lastName = pick(rand, lastNames);
    const female = rand() < 0.58;
    const persons: DemoPerson[] = [];
    const phone = (kind: 'mobile' | 'landline') => (kind === 'mobile' ? `+33${rand() < 0.5 ? '6' : '7'}${digits(rand, 8)}` : `+331${digits(rand, 8)}`);
    const holderPhones: DemoPerson['phones'] = [];
    if (age < 80 || rand() < 0.5) holderPhones.push({ kind: 'mobile', value: phone('mobile') });
    if (age >= 60 && rand() < 0.6) holderPhones.push({ kind: 'landline', value: phone('landline') });
    persons.push({
      civility: female ? 'Mme' : 'M.',
      first_name: pick(rand, female ? femaleNames : maleNames),
      last_name: lastName,
      birth_date: birthDate(rand, age, year),
      household_role: 'holder',
      phones: holderPhones,
    });
    if (!livesAlone) {
      if (rand() < 0.6) {
        persons.push({
          civility: female ? 'M.' : 'Mme',
          first_name: pick(rand, female ? maleNames : femaleNames),
          last_name: lastName,
          birth_date: birthDate(rand, Math.max(20, age + Math.floor(rand() * 7) - 3), year),
          household_role: 'co_holder',
          phones: rand() < 0.7 ? [{ kind: 'mobile', value: phone('mobile') }] : [],
        });
      }
      const children = age < 55 ? Math.floor(rand() * 4) : 0;
      for (let c = 0; c < children; c++) {
        const girl = rand() < 0.5;
        persons.push({
          civility: girl ? 'Mme' : 'M.',
          first_name: pick(rand, girl ? femaleNames : maleNames),
          last_name: lastName,
          birth_date: birthDate(rand, 1 + Math.floor(rand() * 17), year),
          household_role: 'occupant',
          phones: [],
        });
      }
    }
    out.push({
      erp_ref: `M${seed}-${String(i + 1).padStart(6, '0')}`,
      unit_ref: `L${seed}-${String(i + 1).padStart(6, '0')}`,
      residence: residence.erp_code,
      floor: Math.floor(rand() * (residence.floors + 1)),
      rooms: 1 + Math.min(5, persons.length + Math.floor(rand() * 2)),
      persons,
      livesAlone,
      reducedMobility: age >= 75 ? rand() < 0.3 : rand() < 0.04,
    });
  }
  return out;
}

/** Name lists, for generators outside this module (benchmarks). */
export const lastNamesList: readonly string[] = lastNames;
export const femaleNamesList: readonly string[] = femaleNames;
export const maleNamesList: readonly string[] = maleNames;
