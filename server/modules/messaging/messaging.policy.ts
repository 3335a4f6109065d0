import { rolesWith } from '../../platform/auth/abilities.ts';

/** Who writes templates and sends messages. */
export const senderRoles = rolesWith('messages.send');
/** Who approves a send to more than 1,000 recipients (the second person, TRUST LD-09). */
export const approverRoles = rolesWith('messages.approve');
