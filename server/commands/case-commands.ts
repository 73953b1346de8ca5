// Invariant 3: every desk command is parsed, permission-checked against the stored case, applied in one transaction
// with its event and audit, and answered with the new case or a typed error. The answer is stored under the command's
// id in the same transaction, so a repeated id (a desk retrying after a dropped connection) gets the first answer and
// changes nothing.
import { z } from 'zod';
import type { UserView } from '../../shared/domain';
import { COMMAND_SCHEMAS, CommandResultSchema, type CommandName, type CommandPayload, type CommandResult } from '../../shared/protocol';
import { canSeeQueueId } from '../access/scope';
import type { SiteConfig } from '../config/site-config';
import { findCaseView } from '../store/case-views';
import { answerOnce } from './command-ledger';
import type { Store } from '../store/open-store';
import { acknowledge } from './acknowledge';
import { assign } from './assign';
import { failure, type CommandContext } from './command-context';
import { dismiss_undelivered } from './dismiss-undelivered';
import { link_patient } from './link-patient';
import type { EscalationCommands } from '../escalation/hooks';
import type { SendingReach } from '../outbox/sending-reach';
import { note } from './note';
import { pageHandler } from './page';
import { record_call } from './record-call';
import { reply } from './reply';
import { resolve } from './resolve';
import { silenceHandler } from './silence';
import { triageHandler } from './triage';
import { unacknowledgeHandler } from './unacknowledge';

type Handler<N extends CommandName> = (context: CommandContext, command: CommandPayload<N>) => Promise<CommandResult>;

type EscalationCommandName = 'unacknowledge' | 'silence' | 'page' | 'triage';
const HANDLERS: { [N in Exclude<CommandName, EscalationCommandName>]: Handler<N> } = { acknowledge, assign, reply, resolve, note, record_call, dismiss_undelivered, link_patient };

export class CaseCommands {
  private readonly handlers: { [N in CommandName]: Handler<N> };

  constructor(
    private readonly store: Store,
    private readonly site: SiteConfig,
    /** Escalation engine: told of every successful change in its transaction, and runs the escalation commands. */
    private readonly escalation?: EscalationCommands,
    /** What this hub can send by: a reply no carrier can carry is refused (H6). Absent: replies queue regardless. */
    private readonly reach?: SendingReach,
  ) {
    this.handlers = { ...HANDLERS, unacknowledge: unacknowledgeHandler(escalation), silence: silenceHandler(escalation), page: pageHandler(escalation), triage: triageHandler(escalation) };
  }

  /** Never throws for bad input: a malformed payload is an `invalid` answer. Store failures do throw. */
  async execute(name: CommandName, user: UserView, payload: unknown): Promise<CommandResult> {
    const parsed = COMMAND_SCHEMAS[name].safeParse(payload);
    if (!parsed.success) return failure('invalid', `The ${name} request was not understood: ${z.prettifyError(parsed.error)}`);
    return this.run(name, user, parsed.data as CommandPayload<typeof name>);
  }

  private run<N extends CommandName>(name: N, user: UserView, command: CommandPayload<N>): Promise<CommandResult> {
    return this.store.writes.run((unit) =>
      answerOnce(unit, { commandId: command.commandId, name, userId: user.id }, CommandResultSchema, async (): Promise<CommandResult> => {
        const current = await findCaseView(unit.trx, command.caseId);
        if (current === undefined || !canSeeQueueId(user, this.site, current.queueId)) {
          // Case ids are random UUIDs, so telling "missing" from "not yours" reveals nothing worth hiding; the refusal
          // itself carries no case data.
          return current === undefined ? failure('not_found', 'That case does not exist.') : failure('forbidden', 'That case is not in your queues.');
        }
        const handler = this.handlers[name] as Handler<N>;
        const result = await handler({ unit, user, site: this.site, current, ...(this.reach === undefined ? {} : { reach: this.reach }) }, command);
        if (result.ok && this.escalation !== undefined) await this.escalation.afterCommand(unit, name, current, result.case, user);
        return result;
      }),
    );
  }
}
