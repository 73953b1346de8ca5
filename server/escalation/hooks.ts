// The seams the rest of the hub calls into the escalation engine through, so intake and the command dispatcher depend
// on two small interfaces rather than on the engine.
import type { CaseView, UserView } from '../../shared/domain';
import type { CommandName, CommandResult, PageCommand, SilenceCommand, UnacknowledgeCommand } from '../../shared/protocol';
import type { CommandContext } from '../commands/command-context';
import type { NewCase } from '../store/schema';
import type { WriteUnit } from '../store/write-queue';

export type OpeningDeadlines = Pick<NewCase, 'ack_due_at' | 'respond_due_at' | 'resolve_due_at'>;

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

/** A case's deadline columns after a queue move, and what the triage audit records of the recomputation. */
export interface QueueMove {
  deadlines: { ack_due_at: number | null; respond_due_at: number | null; resolve_due_at: number | null };
  audit: Record<string, unknown>;
}

export interface QueueMoveEscalation {
  /**
   * In the triage's transaction, before the case row changes (so the `case.triaged` event carries the result): drops
   * the old queue's timers and starts the new queue's deadlines and alert, measured from now. Returns the deadline
   * columns to store with the move.
   */
  moveToQueue(unit: WriteUnit, current: CaseView, toQueueId: string): Promise<QueueMove>;
}

/** What the escalation commands need from the engine (server/commands/unacknowledge.ts, silence.ts, page.ts, triage.ts). */
export interface EscalationCommands extends CommandEscalation, QueueMoveEscalation {
  unacknowledge(context: CommandContext, command: UnacknowledgeCommand): Promise<CommandResult>;
  silence(context: CommandContext, command: SilenceCommand): Promise<CommandResult>;
  page(context: CommandContext, command: PageCommand): Promise<CommandResult>;
}
