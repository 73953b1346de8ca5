// Assign: to me, to a colleague who can see the case's queue, or to nobody.
import type { AssignCommand, CommandResult } from '../../shared/protocol';
import { canSeeQueueId } from '../access/scope';
import { toUserView } from '../auth/staff-directory';
import { changeCase, failure, resolvedAlready, staleVersion, type CommandContext } from './command-context';

export async function assign(context: CommandContext, command: AssignCommand): Promise<CommandResult> {
  const refused = resolvedAlready(context) ?? staleVersion(context, command.version);
  if (refused !== undefined) return refused;
  const { current, unit, site } = context;
  if (command.assigneeId !== null) {
    const row = await unit.trx.selectFrom('users').selectAll().where('id', '=', command.assigneeId).where('disabled', '=', 0).executeTakeFirst();
    if (row === undefined) return failure('invalid', 'That colleague does not exist or is no longer active.');
    if (!canSeeQueueId(toUserView(row), site, current.queueId)) {
      return failure('invalid', `${row.display_name} cannot see this queue, so cannot be given this case.`);
    }
  }
  return changeCase(context, {
    set: { assignee_id: command.assigneeId },
    event: 'case.assigned',
    audit: { action: 'case.assigned', detail: { from: current.assigneeId, to: command.assigneeId } },
  });
}
