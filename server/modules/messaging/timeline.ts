/** Every message of a household on its timeline (issue 15): SMS and e-mails from the outbox, letters of the sends. */
import type { TimelineEvent } from '../../../contracts/households.ts';
import { messageStatusLabel } from '../../../contracts/message-status.ts';
import { channelLabels } from '../../../contracts/messaging.ts';
import { can } from '../../platform/auth/abilities.ts';
import type { SessionContext } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { householdMessages } from '../../platform/outbox/enqueue-many.ts';
import { lettersTo } from './messaging.repository.ts';

const excerpt = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);

/** The household's messages; their text only for the roles that send messages. */
export async function messageTimeline(trx: Tx, s: SessionContext, householdId: string): Promise<TimelineEvent[]> {
  const withText = can(s.role, 'messages.send');
  const events: TimelineEvent[] = [];
  for (const m of await householdMessages(trx, householdId)) {
    const what = m.channel === 'sms' ? 'SMS' : 'E-mail';
    const status = messageStatusLabel(m.status);
    events.push({
      at: m.created_at.toISOString(),
      kind: `message.${m.channel}`,
      type: 'message',
      label: `${what} ${status}${withText ? ` : « ${excerpt(m.subject ?? m.body.split('\n')[0] ?? '')} »` : ''}`,
    });
  }
  for (const l of await lettersTo(trx, householdId)) {
    events.push({
      at: l.created_at.toISOString(),
      kind: 'message.letter',
      type: 'message',
      label: `${channelLabels.letter} à imprimer${withText ? ` : « ${excerpt(l.template)} »` : ''}`,
    });
  }
  return events;
}
