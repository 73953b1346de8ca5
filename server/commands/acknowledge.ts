// Acknowledge: "I have this." Claims the case (assigns it when nobody has it) and stops its escalation.
// Not version-checked on purpose: a triage, a note or a colleague's reply landing while a nurse reaches for the button
// must not make her acknowledge twice; the race that matters — two people at once — is answered with who won, and when.
// The one change that does refuse it is a message from the family she has not been shown (`seenLastMessageAt`): it may
// be the one that says he is worse, and acknowledging stops the ladder.
import type { AcknowledgeCommand, CommandResult } from '../../shared/protocol';
import { changeCase, failure, resolvedAlready, type CommandContext } from './command-context';

export async function acknowledge(context: CommandContext, command: AcknowledgeCommand): Promise<CommandResult> {
  const { current, unit, user } = context;
  const refused = resolvedAlready(context);
  if (refused !== undefined) return refused;
  if (current.status === 'acknowledged' && current.acknowledgedBy !== null && current.acknowledgedAt !== null) {
    const winner = await unit.trx.selectFrom('users').select(['id', 'display_name']).where('id', '=', current.acknowledgedBy).executeTakeFirst();
    const name = winner?.display_name ?? 'a colleague';
    return failure('already_acknowledged', `Already acknowledged by ${name}.`, {
      by: { userId: current.acknowledgedBy, displayName: name },
      at: current.acknowledgedAt,
      case: current,
    });
  }
  if (command.seenLastMessageAt !== undefined && current.lastMessageAt > command.seenLastMessageAt) {
    return failure('unseen_message', 'The family has written again since this case was shown. Read it, then acknowledge.', { at: current.lastMessageAt, case: current });
  }
  return changeCase(context, {
    set: { status: 'acknowledged', acknowledged_at: unit.now, acknowledged_by: user.id, assignee_id: current.assigneeId ?? user.id },
    event: 'case.acknowledged',
    audit: { action: 'case.acknowledged', detail: { previousStatus: current.status } },
  });
}
