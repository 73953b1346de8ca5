// Page: call extra responders into an active case; each gets an alert addressed to them.
// The work is the escalation engine's (server/escalation/engine.ts); this file is the command's entry in the dispatcher.
import type { CommandResult, PageCommand } from '../../shared/protocol';
import type { EscalationCommands } from '../escalation/hooks';
import { failure, type CommandContext } from './command-context';

export function pageHandler(escalation: EscalationCommands | undefined) {
  return (context: CommandContext, command: PageCommand): Promise<CommandResult> =>
    escalation === undefined ? Promise.resolve(failure('invalid', 'Escalation is not running on this hub.')) : escalation.page(context, command);
}
