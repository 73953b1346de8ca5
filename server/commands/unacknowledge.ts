// Un-acknowledge: give a held case back; its alert starts climbing the ladder again. Version-checked.
// The work is the escalation engine's (server/escalation/engine.ts); this file is the command's entry in the dispatcher.
import type { CommandResult, UnacknowledgeCommand } from '../../shared/protocol';
import type { EscalationCommands } from '../escalation/hooks';
import { failure, type CommandContext } from './command-context';

export function unacknowledgeHandler(escalation: EscalationCommands | undefined) {
  return (context: CommandContext, command: UnacknowledgeCommand): Promise<CommandResult> =>
    escalation === undefined ? Promise.resolve(failure('invalid', 'Escalation is not running on this hub.')) : escalation.unacknowledge(context, command);
}
