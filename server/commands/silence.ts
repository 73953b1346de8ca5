// Silence: pause a case's escalation ladder for N minutes (deadlines still count); a new patient message ends it.
// The work is the escalation engine's (server/escalation/engine.ts); this file is the command's entry in the dispatcher.
import type { CommandResult, SilenceCommand } from '../../shared/protocol';
import type { EscalationCommands } from '../escalation/hooks';
import { failure, type CommandContext } from './command-context';

export function silenceHandler(escalation: EscalationCommands | undefined) {
  return (context: CommandContext, command: SilenceCommand): Promise<CommandResult> =>
    escalation === undefined ? Promise.resolve(failure('invalid', 'Escalation is not running on this hub.')) : escalation.silence(context, command);
}
