// Triage: set priority and category, or move the case to another queue (which may take it out of this desk's sight).
// A move hands the case to the new queue's escalation policy from the moment of the move (server/escalation/engine.ts,
// moveToQueue), in this same transaction, so the `case.triaged` event already carries the new deadlines.
import type { CommandResult, TriageCommand } from '../../shared/protocol';
import type { QueueMove, QueueMoveEscalation } from '../escalation/hooks';
import { changeCase, failure, resolvedAlready, staleVersion, type CommandContext } from './command-context';

/** The dispatcher's entry: triage with the hub's escalation engine (none on a hub without escalation). */
export function triageHandler(escalation: QueueMoveEscalation | undefined) {
  return (context: CommandContext, command: TriageCommand): Promise<CommandResult> => triage(context, command, escalation);
}

export async function triage(context: CommandContext, command: TriageCommand, escalation?: QueueMoveEscalation): Promise<CommandResult> {
  const refused = resolvedAlready(context) ?? staleVersion(context, command.version);
  if (refused !== undefined) return refused;
  const { current, site, unit } = context;
  const queue = command.queueId === undefined ? undefined : site.queues.find((candidate) => candidate.id === command.queueId);
  if (command.queueId !== undefined && queue === undefined) return failure('invalid', `There is no queue called "${command.queueId}".`);
  // "Moved" only to a different queue: naming the case's own queue changes no deadline, timer or alert.
  const moved = queue !== undefined && queue.id !== current.queueId;
  const move: QueueMove | undefined = moved && escalation !== undefined ? await escalation.moveToQueue(unit, current, queue.id) : undefined;
  return changeCase(context, {
    set: {
      ...(command.priority === undefined ? {} : { priority: command.priority }),
      ...(command.category === undefined ? {} : { category: command.category }),
      ...(moved ? { queue_id: queue.id, ward: queue.ward ?? current.ward, assignee_id: null } : {}),
      ...(move?.deadlines ?? {}),
    },
    event: 'case.triaged',
    audit: {
      action: 'case.triaged',
      detail: {
        priority: { from: current.priority, to: command.priority ?? current.priority },
        category: { from: current.category, to: command.category ?? current.category },
        queue: { from: current.queueId, to: queue?.id ?? current.queueId },
        // One audit row per change: the recomputed deadlines are part of the move, recorded with it.
        ...(move === undefined ? {} : { escalation: move.audit }),
      },
    },
  });
}
