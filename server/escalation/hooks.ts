// The seams the rest of the hub calls into the escalation engine through, so intake and the command dispatcher depend
// on two small interfaces rather than on the engine.
import type { CaseView, UserView } from '../../shared/domain';
import type { CommandName, CommandResult, PageCommand, SilenceCommand, UnacknowledgeCommand } from '../../shared/protocol';
import type { CommandContext } from '../commands/command-context';
import type { NewCase } from '../store/schema';
import type { WriteUnit } from '../store/write-queue';

export type OpeningDeadlines = Pick<NewCase, 'ack_due_at' | 'respond_due_at' | 'resolve_due_at' | 'next_step_at'>;

export interface IntakeEscalation {
  /** Deadlines stored on a new case's row, computed from its queue's policy at the moment it opens. */
  openingDeadlines(queueId: string, now: number): OpeningDeadlines;
  /**
   * In the intake's transaction, after its event: start the alert of a new case, or re-open an acknowledged one.
   * `view` is the case as the intake's event carried it: nothing changes the case between that event and this call,
   * so the engine need not read it again.
   */
  afterInbound(unit: WriteUnit, view: CaseView, opened: boolean): Promise<void>;
}

export interface CommandEscalation {
  /** In the command's transaction, after a successful change: stop, restart or trim the case's timers. */
  afterCommand(unit: WriteUnit, name: CommandName, before: CaseView, after: CaseView, user: UserView): Promise<void>;
}

/** What the escalation commands need from the engine (server/commands/unacknowledge.ts, silence.ts, page.ts). */
export interface EscalationCommands extends CommandEscalation {
  unacknowledge(context: CommandContext, command: UnacknowledgeCommand): Promise<CommandResult>;
  silence(context: CommandContext, command: SilenceCommand): Promise<CommandResult>;
  page(context: CommandContext, command: PageCommand): Promise<CommandResult>;
}
