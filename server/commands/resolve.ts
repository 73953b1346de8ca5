// Resolve: closes the case, and only with an outcome — a case whose cause is still open must not quietly disappear.
import { MARTHA_OUTCOMES } from '../../shared/domain';
import type { CommandResult, ResolveCommand } from '../../shared/protocol';
import { changeCase, failure, resolvedAlready, staleVersion, type CommandContext } from './command-context';

export async function resolve(context: CommandContext, command: ResolveCommand): Promise<CommandResult> {
  const refused = resolvedAlready(context) ?? staleVersion(context, command.version);
  if (refused !== undefined) return refused;
  const { current, unit, user } = context;
  if (current.linePurpose === 'martha' && !MARTHA_OUTCOMES.includes(command.outcome)) {
    return failure('invalid', "A Martha's Rule call needs a review outcome: review done, transfer to critical care, change in care, no change, or redirected to PALS.");
  }
  return changeCase(context, {
    set: {
      status: 'resolved',
      resolved_at: unit.now,
      resolved_by: user.id,
      outcome: command.outcome,
      // The deadlines stay: they are what "share of deadlines met" is measured against (server/escalation/measures.ts).
    },
    event: 'case.resolved',
    audit: { action: 'case.resolved', detail: { outcome: command.outcome, summary: command.summary ?? null, previousStatus: current.status } },
  });
}
