import { rolesWith } from '../../platform/auth/abilities.ts';

/** Who reads arrears and works on plans and FSL steps (TRUST DP-04: never volunteers, caretakers, partners). */
export const arrearsWorkers = rolesWith('arrears.work');

/** Who imports a balance file and runs the compliance check. */
export const balanceImporters = rolesWith('arrears.import');

/** Who pauses reminders for a segment (crisis mode). */
export const pausers = rolesWith('arrears.pause');
