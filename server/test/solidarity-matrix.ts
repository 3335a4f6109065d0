/** The « solidarity » section of authz-matrix.yaml (issue 17), for the tests that compare it with the API. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Role } from '../../contracts/roles.ts';

type View = { fields: string[]; roles?: Role[]; shelterReaders?: string[]; hiddenFrom?: Role[] };
export const solidarityMatrix = (
  parse(readFileSync(path.join(import.meta.dirname, '..', '..', 'authz-matrix.yaml'), 'utf8')) as {
    solidarity: { lentFlatAddress: View; delivererCard: View; partnerList: View };
  }
).solidarity;
