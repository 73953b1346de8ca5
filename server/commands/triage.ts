// Triage: set priority and category, or move the case to another queue (which may take it out of this desk's sight).
import type { CommandResult, TriageCommand } from '../../shared/protocol';
import { changeCase, failure, resolvedAlready, staleVersion, type CommandContext } from './command-context';

export async function triage(context: CommandContext, command: TriageCommand): Promise<CommandResult> {
  const refused = resolvedAlready(context) ?? staleVersion(context, command.version);
  if (refused !== undefined) return refused;
  const { current, site } = context;
  const queue = command.queueId === undefined ? undefined : site.queues.find((candidate) => candidate.id === command.queueId);
  if (command.queueId !== undefined && queue === undefined) return failure('invalid', `There is no queue called "${command.queueId}".`);
  const moved = queue !== undefined && queue.id !== current.queueId;
  return changeCase(context, {
    set: {
      ...(command.priority === undefined ? {} : { priority: command.priority }),
      ...(command.category === undefined ? {} : { category: command.category }),
      ...(moved ? { queue_id: queue.id, ward: queue.ward ?? current.ward, assignee_id: null } : {}),
    },
    event: 'case.triaged',
    audit: {
      action: 'case.triaged',
      detail: {
        priority: { from: current.priority, to: command.priority ?? current.priority },
        category: { from: current.category, to: command.category ?? current.category },
        queue: { from: current.queueId, to: queue?.id ?? current.queueId },
      },
    },
  });
}
