// The escalation engine: turns a queue's policy into timer rows when a case opens, fires them (warnings, breaches,
// ladder steps, acknowledged-timeouts, silence ends) when the scheduler claims them, and keeps each case's alert in
// step with what staff do. Everything it writes happens inside someone's write transaction (invariants 2 and 4).
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { CaseView, UserView } from '../../shared/domain';
import { DeadlineNameSchema, type AlertPayload, type CommandName, type CommandResult, type DeadlineName, type EventType, type PageCommand, type SilenceCommand, type UnacknowledgeCommand } from '../../shared/protocol';
import type { Clock } from '../clock';
import { failure, resolvedAlready, staleVersion, type CommandContext } from '../commands/command-context';
import type { SiteConfig } from '../config/site-config';
import type { Logger } from '../observability/logger';
import { getCaseView, findCaseViewIn } from '../store/case-views';
import type { Store } from '../store/open-store';
import { prepareInsert, prepareQuery } from '../store/prepared-query';
import { newSortableId } from '../store/sortable-id';
import type { CaseAlertRow, TimerRow } from '../store/schema';
import type { WriteUnit } from '../store/write-queue';
import { appendAlertEvent } from './alert-events';
import { deadlineAfter, deadlineChain } from './deadlines';
import type { CommandEscalation, IntakeEscalation, OpeningDeadlines, QueueMove, QueueMoveEscalation } from './hooks';
import { queueFirstReply } from './marthas-rule';
import { countMyAlerts } from './my-alerts';
import type { PolicyBook, QueuePolicy } from './policy-book';
import { DEFAULT_MAX_SILENCE_MINUTES, LadderSchema, type Ladder } from './policy-schema';
import type { Presence } from './presence';
import { DeadlineScheduler } from './scheduler';
import { adminIds, pageableIds, reachableTargets, StaffDirectory } from './targets';

const MINUTE_MS = 60_000;

/** Timer kinds as stored. A deadline's kind names the deadline, so acknowledging can cancel just its own chain. */
const DEADLINE_KIND: Record<DeadlineName, string> = {
  acknowledge: 'deadline:acknowledge',
  first_response: 'deadline:first_response',
  resolve: 'deadline:resolve',
};
const STEP = 'step';
const ACK_TIMEOUT = 'ack_timeout';
const SILENCE_END = 'silence_end';

const ChainDetailSchema = z.object({ deadline: DeadlineNameSchema, at: z.array(z.number()).min(1), fractions: z.array(z.number()), index: z.number().int().nonnegative() });
const StepDetailSchema = z.object({ episode: z.number().int(), cycle: z.number().int() });
const AckTimeoutDetailSchema = z.object({ acknowledgedAt: z.number().int() });
const SilenceEndDetailSchema = z.object({ episode: z.number().int() });

/** Alert states. `triggered` and `silenced` count as unacknowledged. */
export type AlertState = 'triggered' | 'silenced' | 'acknowledged' | 'resolved';

type Actor = { type: 'user'; id: string } | { type: 'system'; id: null };
const SYSTEM: Actor = { type: 'system', id: null };

// Statements of every inbound message and every escalation step, compiled once (server/store/prepared-query.ts).
const findAlert = prepareQuery((db, p: { caseId: string }) => db.selectFrom('case_alerts').selectAll().where('case_id', '=', p.caseId));
const setLadderPosition = prepareQuery((db, p: { caseId: string; level: number; cycle: number; now: number }) =>
  db.updateTable('case_alerts').set({ level: p.level, cycle: p.cycle, updated_at: p.now }).where('case_id', '=', p.caseId),
);
const insertTimer = prepareInsert('timers', ['id', 'case_id', 'kind', 'due_at', 'step', 'detail', 'state', 'created_at', 'fired_at']);
const insertNotification = prepareInsert('alert_notifications', ['id', 'case_id', 'episode', 'user_id', 'kind', 'level', 'at']);
/** From this many people notified at once, one multi-row insert (recordNotifications). */
const MANY_NOTIFIED = 4;
/** Rows per insert: 3,500 bound values, well inside SQLite's and PostgreSQL's limits. */
const NOTIFICATION_CHUNK = 500;
const findStaffReply = prepareQuery((db, p: { caseId: string }) =>
  db.selectFrom('messages').select('id').where('case_id', '=', p.caseId).where('direction', '=', 'outbound').where('author_id', 'is not', null).limit(1),
);

export interface EscalationEngineOptions {
  store: Store;
  site: SiteConfig;
  book: PolicyBook;
  presence: Presence;
  clock: Clock;
  log: Logger;
  registry?: Registry;
  /** @default true — see SchedulerOptions.arm */
  armTimer?: boolean;
}

export class EscalationEngine implements IntakeEscalation, CommandEscalation, QueueMoveEscalation {
  readonly scheduler: DeadlineScheduler;
  private readonly store: Store;
  private readonly site: SiteConfig;
  private readonly book: PolicyBook;
  private readonly presence: Presence;
  private readonly staff = new StaffDirectory();

  constructor(options: EscalationEngineOptions) {
    this.store = options.store;
    this.site = options.site;
    this.book = options.book;
    this.presence = options.presence;
    this.scheduler = new DeadlineScheduler({
      store: options.store,
      clock: options.clock,
      log: options.log,
      fire: (unit, timer) => this.fire(unit, timer),
      ...(options.registry === undefined ? {} : { registry: options.registry }),
      arm: options.armTimer ?? true,
    });
  }

  start(): Promise<void> {
    return this.scheduler.start();
  }

  stop(): Promise<void> {
    return this.scheduler.stop();
  }

  // ---- intake ------------------------------------------------------------------------------------------------

  openingDeadlines(queueId: string, now: number): OpeningDeadlines {
    const found = this.book.forQueue(queueId);
    if (found === undefined) return { ack_due_at: null, respond_due_at: null, resolve_due_at: null };
    return {
      ack_due_at: this.due(queueId, now, 'acknowledge'),
      respond_due_at: this.due(queueId, now, 'first_response'),
      resolve_due_at: this.due(queueId, now, 'resolve'),
    };
  }

  async afterInbound(unit: WriteUnit, view: CaseView, opened: boolean): Promise<void> {
    if (opened) return this.startCase(unit, view);
    if (view.status === 'acknowledged') {
      // A new patient message on a case someone holds: it is open again, and whoever held it hears so first.
      const targets = [...new Set([view.acknowledgedBy, view.assigneeId].filter((id): id is string => id !== null))];
      await this.reopen(unit, view, 'case.reopened', { kind: 'reopened_by_message', targets }, SYSTEM);
      return;
    }
    // Read only here: reopen() reads the alert itself, so an acknowledged case need not read it twice.
    const alert = await this.alertOf(unit, view.id);
    if (alert?.state === 'silenced') {
      await this.restartLadder(unit, view, alert);
      await appendAlertEvent(unit, { type: 'case.reopened', case: view, alert: { kind: 'reopened_by_message', level: 0, cycle: 0, targets: [] }, actor: SYSTEM });
    }
  }

  // ---- commands ----------------------------------------------------------------------------------------------

  async afterCommand(unit: WriteUnit, name: CommandName, _before: CaseView, after: CaseView): Promise<void> {
    switch (name) {
      case 'acknowledge': {
        await this.cancel(unit, after.id, [STEP, SILENCE_END, ACK_TIMEOUT, DEADLINE_KIND.acknowledge]);
        await this.setAlertState(unit, after.id, 'acknowledged');
        return this.scheduleAckTimeout(unit, after);
      }
      case 'reply':
        return this.cancel(unit, after.id, [DEADLINE_KIND.first_response]);
      case 'resolve':
        await this.cancel(unit, after.id, null);
        return this.setAlertState(unit, after.id, 'resolved');
      default:
        return;
    }
  }

  async unacknowledge(context: CommandContext, command: UnacknowledgeCommand): Promise<CommandResult> {
    const refused = resolvedAlready(context) ?? staleVersion(context, command.version);
    if (refused !== undefined) return refused;
    if (context.current.status !== 'acknowledged') return failure('invalid', 'This case is not acknowledged, so there is nothing to give back.');
    const updated = await this.reopen(context.unit, context.current, 'case.unacknowledged', { kind: 'unacknowledged', targets: [] }, { type: 'user', id: context.user.id });
    return { ok: true, case: updated };
  }

  /** The longest silence a queue allows, in minutes: the hub refuses more, and desks offer no more (bootstrap). */
  silenceLimit(queueId: string): number {
    return this.book.forQueue(queueId)?.policy.maxSilenceMinutes ?? DEFAULT_MAX_SILENCE_MINUTES;
  }

  async silence(context: CommandContext, command: SilenceCommand): Promise<CommandResult> {
    const refused = resolvedAlready(context) ?? staleVersion(context, command.version);
    if (refused !== undefined) return refused;
    const { unit, current } = context;
    const alert = await this.alertOf(unit, current.id);
    if (current.status !== 'open' || alert === undefined || (alert.state !== 'triggered' && alert.state !== 'silenced')) {
      return failure('invalid', 'Only an open, unacknowledged alert can be silenced.');
    }
    // Refused rather than shortened: a nurse told "silenced for 60 min" who got 15 would be wrong about when it resumes.
    const limit = this.silenceLimit(current.queueId);
    if (command.minutes > limit) {
      const queue = this.site.queues.find((candidate) => candidate.id === current.queueId)?.name ?? current.queueId;
      return failure('invalid', `${queue} alerts can be silenced for at most ${limit} min at a time. Nothing was changed: choose ${limit} min or less, or acknowledge the case.`);
    }
    const until = unit.now + command.minutes * MINUTE_MS;
    await this.cancel(unit, current.id, [STEP, SILENCE_END]);
    await unit.trx.updateTable('case_alerts').set({ state: 'silenced', silenced_until: until, updated_at: unit.now }).where('case_id', '=', current.id).execute();
    await this.addTimer(unit, current.id, SILENCE_END, until, alert.level, { episode: alert.episode });
    await appendAlertEvent(unit, {
      type: 'case.silenced',
      case: current,
      alert: { kind: 'silenced', level: alert.level, cycle: alert.cycle, targets: [], until },
      actor: { type: 'user', id: context.user.id },
      detail: { minutes: command.minutes },
    });
    return { ok: true, case: current };
  }

  async page(context: CommandContext, command: PageCommand): Promise<CommandResult> {
    const refused = resolvedAlready(context);
    if (refused !== undefined) return refused;
    const { unit, current } = context;
    const { ok, refused: outOfScope } = await pageableIds(unit, this.staff, this.site, current, command.userIds);
    if (outOfScope.length > 0) return failure('invalid', `${outOfScope.length} of those colleagues cannot see this case's queue, or are not active.`);
    const alert = await this.alertOf(unit, current.id);
    const episode = alert?.episode ?? 0;
    await this.recordNotifications(unit, current.id, episode, ok, 'paged', alert?.level ?? 0);
    await appendAlertEvent(unit, {
      type: 'alert.escalated',
      case: current,
      alert: { kind: 'paged', level: alert?.level ?? 0, cycle: alert?.cycle ?? 0, targets: ok },
      actor: { type: 'user', id: context.user.id },
    });
    return { ok: true, case: current };
  }

  // ---- queue moves (triage) ----------------------------------------------------------------------------------

  /**
   * A case moved to another queue runs on the new queue's promises from the moment of the move: the new team only
   * learns of the case then, so counting from when it opened would hand them a deadline already half gone (or gone).
   * Milestones already met stay met — their deadline is kept as it was measured, and gets no new chain.
   */
  async moveToQueue(unit: WriteUnit, current: CaseView, toQueueId: string): Promise<QueueMove> {
    // The same compare-and-set as every cancel: only rows still `pending` change, and a claim that comes later finds
    // the row cancelled and does nothing — so no warning, breach or step of the old queue fires after the move.
    await this.cancel(unit, current.id, null);
    const moved: CaseView = { ...current, queueId: toQueueId };
    const met = await this.milestonesMet(unit, current);
    const deadlines = {
      ack_due_at: met.acknowledge ? current.ackDueAt : this.due(toQueueId, unit.now, 'acknowledge'),
      respond_due_at: met.first_response ? current.respondDueAt : this.due(toQueueId, unit.now, 'first_response'),
      resolve_due_at: this.due(toQueueId, unit.now, 'resolve'),
    };
    const found = this.book.forQueue(toQueueId);
    if (found !== undefined) {
      await this.startChains(unit, current.id, unit.now, found, [
        ['acknowledge', met.acknowledge ? null : deadlines.ack_due_at],
        ['first_response', met.first_response ? null : deadlines.respond_due_at],
        ['resolve', deadlines.resolve_due_at],
      ]);
    }
    const alert = await this.moveAlert(unit, moved);
    const kept = (['acknowledge', 'first_response'] as const).filter((name) => met[name]);
    return { deadlines, audit: { measuredFrom: unit.now, ackDueAt: deadlines.ack_due_at, respondDueAt: deadlines.respond_due_at, resolveDueAt: deadlines.resolve_due_at, kept, alert } };
  }

  /** Which of the case's milestones are behind it: a met deadline is never set again by a move. */
  private async milestonesMet(unit: WriteUnit, view: CaseView): Promise<Record<'acknowledge' | 'first_response', boolean>> {
    // Once acknowledged counts even if given back since: the engine never restarts an acknowledge deadline on a
    // re-opened case either (its ladder restarts instead), and the measures count the first acknowledgement.
    // `acknowledged_at` is cleared when a case goes back to open; its audit row is not (indexed by case).
    const acknowledgement = view.status === 'acknowledged' ? undefined : await unit.trx.selectFrom('audit').select('id').where('case_id', '=', view.id).where('action', '=', 'case.acknowledged').limit(1).executeTakeFirst();
    return { acknowledge: view.status === 'acknowledged' || acknowledgement !== undefined, first_response: await this.hasReply(unit, view.id) };
  }

  /**
   * An unacknowledged case starts a new alert for the new queue (its ladder snapshotted now, from step 0; a silence
   * set by the old team ends). An acknowledged one stays held, with the new queue's acknowledged timeout from now;
   * should it re-open, that alert takes the new queue's ladder as any new alert does.
   */
  private async moveAlert(unit: WriteUnit, moved: CaseView): Promise<string> {
    if (moved.status === 'acknowledged') {
      await this.scheduleAckTimeout(unit, moved);
      return 'acknowledged: kept';
    }
    await this.restartLadder(unit, moved, undefined);
    return 'new alert on the new queue';
  }

  // ---- firing ------------------------------------------------------------------------------------------------

  /** Called by the scheduler after it has claimed the timer, in the claiming transaction. */
  private async fire(unit: WriteUnit, timer: TimerRow): Promise<void> {
    const view = await findCaseViewIn(unit, timer.case_id);
    if (view === undefined || view.status === 'resolved') return;
    const detail: unknown = JSON.parse(timer.detail);
    if (timer.kind.startsWith('deadline:')) return this.fireDeadline(unit, view, timer, ChainDetailSchema.parse(detail));
    switch (timer.kind) {
      case STEP: {
        const { episode, cycle } = StepDetailSchema.parse(detail);
        const alert = await this.alertOf(unit, view.id);
        if (alert === undefined || alert.state !== 'triggered' || alert.episode !== episode) return;
        return this.runStep(unit, view, alert, timer.step, cycle, timer.due_at, 'escalated');
      }
      case ACK_TIMEOUT: {
        const { acknowledgedAt } = AckTimeoutDetailSchema.parse(detail);
        if (view.status !== 'acknowledged' || view.acknowledgedAt !== acknowledgedAt) return;
        await this.reopen(unit, view, 'case.reopened', { kind: 'acknowledged_timeout', targets: view.acknowledgedBy === null ? [] : [view.acknowledgedBy] }, SYSTEM);
        return;
      }
      case SILENCE_END: {
        const { episode } = SilenceEndDetailSchema.parse(detail);
        const alert = await this.alertOf(unit, view.id);
        if (alert === undefined || alert.state !== 'silenced' || alert.episode !== episode) return;
        await unit.trx.updateTable('case_alerts').set({ state: 'triggered', silenced_until: null, updated_at: unit.now }).where('case_id', '=', view.id).execute();
        return this.runStep(unit, view, { ...alert, state: 'triggered' }, alert.level, alert.cycle, unit.now, 'silence_ended');
      }
      default:
        throw new Error(`[escalation] unknown timer kind ${timer.kind}`);
    }
  }

  private async fireDeadline(unit: WriteUnit, view: CaseView, timer: TimerRow, chain: z.infer<typeof ChainDetailSchema>): Promise<void> {
    if (chain.deadline === 'acknowledge' && view.status !== 'open') return;
    if (chain.deadline === 'first_response' && (await this.hasReply(unit, view.id))) return;
    const breach = chain.index === chain.at.length - 1;
    const alert = await this.alertOf(unit, view.id);
    const dueAt = chain.at[chain.at.length - 1]!;
    await appendAlertEvent(unit, {
      type: breach ? 'alert.breach' : 'alert.warning',
      case: view,
      alert: {
        kind: breach ? 'breach' : 'warning',
        level: alert?.level ?? 0,
        cycle: alert?.cycle ?? 0,
        targets: [],
        deadline: chain.deadline,
        dueAt,
        fraction: breach ? 1 : (chain.fractions[chain.index] ?? 1),
      },
      actor: SYSTEM,
    });
    if (!breach) await this.addTimer(unit, view.id, timer.kind, chain.at[chain.index + 1]!, 0, { ...chain, index: chain.index + 1 });
  }

  /** One ladder step: tell its targets, or — if nobody can be told — tell the next level and the admins. */
  private async runStep(unit: WriteUnit, view: CaseView, alert: CaseAlertRow, level: number, cycle: number, baseDue: number, kind: 'escalated' | 'silence_ended'): Promise<void> {
    const ladder = parseLadder(alert.ladder);
    const step = ladder?.steps[level];
    if (ladder === undefined || step === undefined) return;
    const next = nextPosition(ladder, level, cycle);
    const reached = await reachableTargets(unit, this.staff, this.site, this.presence, step.notify, view, unit.now);
    let type: EventType = 'alert.escalated';
    let payload: AlertPayload = { kind, level, cycle, targets: reached };
    if (reached.length === 0) {
      const nextStep = next === undefined ? undefined : ladder.steps[next.level];
      const upward = nextStep === undefined ? [] : await reachableTargets(unit, this.staff, this.site, this.presence, nextStep.notify, view, unit.now);
      type = 'alert.nobody_reachable';
      payload = { kind: 'nobody_reachable', level, cycle, targets: [...new Set([...upward, ...(await adminIds(unit))])], unreachableLevel: level };
    }
    await this.recordNotifications(unit, view.id, alert.episode, payload.targets, payload.kind, level);
    await appendAlertEvent(unit, { type, case: view, alert: payload, actor: SYSTEM, detail: { notify: step.notify } });
    if (next === undefined) {
      await setLadderPosition.execute(unit, { caseId: view.id, level: ladder.steps.length, cycle, now: unit.now });
      return;
    }
    // On the original timeline: a step that fires late (a restart) does not push every later step back.
    const due = baseDue + next.waitMinutes * MINUTE_MS;
    await this.addTimer(unit, view.id, STEP, due, next.level, { episode: alert.episode, cycle: next.cycle });
    await setLadderPosition.execute(unit, { caseId: view.id, level: next.level, cycle: next.cycle, now: unit.now });
  }

  // ---- pieces ------------------------------------------------------------------------------------------------

  private due(queueId: string, openedAt: number, name: DeadlineName): number | null {
    const found = this.book.forQueue(queueId);
    if (found === undefined) return null;
    const { policy } = found;
    const duration = name === 'acknowledge' ? policy.acknowledgeBy : name === 'first_response' ? policy.firstResponseBy : policy.resolveBy;
    if (duration === undefined) return null;
    return deadlineAfter(openedAt, duration, found.calendar);
  }

  private async startCase(unit: WriteUnit, view: CaseView): Promise<void> {
    const found = this.book.forQueue(view.queueId);
    if (found === undefined) return;
    await this.startChains(unit, view.id, view.openedAt, found, [
      ['acknowledge', view.ackDueAt],
      ['first_response', view.respondDueAt],
      ['resolve', view.resolveDueAt],
    ]);
    await this.restartLadder(unit, view, undefined);
    if (found.policy.firstReply === true && view.linePurpose === 'martha') await queueFirstReply(unit, view);
  }

  /** Each deadline's chain (warnings, then breach), its fractions counted from `from`; a null deadline has none. */
  private async startChains(unit: WriteUnit, caseId: string, from: number, found: QueuePolicy, dues: readonly [DeadlineName, number | null][]): Promise<void> {
    for (const [name, dueAt] of dues) {
      if (dueAt === null) continue;
      const chain = deadlineChain(name, from, dueAt, found.policy, found.calendar);
      await this.addTimer(unit, caseId, DEADLINE_KIND[name], chain.at[0]!, 0, { ...chain, index: 0 });
    }
  }

  /** An acknowledged case still unresolved after the queue's timeout goes back to open; the timer carries which hold it ends. */
  private async scheduleAckTimeout(unit: WriteUnit, view: CaseView): Promise<void> {
    const minutes = this.book.forQueue(view.queueId)?.policy.acknowledgedTimeoutMinutes;
    if (minutes === undefined || view.acknowledgedAt === null) return;
    await this.addTimer(unit, view.id, ACK_TIMEOUT, unit.now + minutes * MINUTE_MS, 0, { acknowledgedAt: view.acknowledgedAt });
  }

  /** A new alert episode: the queue's current ladder snapshotted, from its first step. */
  private async restartLadder(unit: WriteUnit, view: CaseView, previous: CaseAlertRow | undefined): Promise<void> {
    await this.cancel(unit, view.id, [STEP, SILENCE_END, ACK_TIMEOUT]);
    const ladder = this.book.forQueue(view.queueId)?.policy.ladder;
    const episode = (previous ?? (await this.alertOf(unit, view.id)))?.episode ?? 0;
    const row = { queue_id: view.queueId, state: 'triggered', episode: episode + 1, ladder: JSON.stringify(ladder ?? null), level: 0, cycle: 0, started_at: unit.now, silenced_until: null, updated_at: unit.now };
    await unit.trx
      .insertInto('case_alerts')
      .values({ case_id: view.id, ...row })
      .onConflict((conflict) => conflict.column('case_id').doUpdateSet(row))
      .execute();
    const first = ladder?.steps[0];
    if (first !== undefined) await this.addTimer(unit, view.id, STEP, unit.now + first.afterMinutes * MINUTE_MS, 0, { episode: episode + 1, cycle: 0 });
  }

  /** Back to open (version-checked like any case change), with its event and audit, and the ladder from the top. */
  private async reopen(unit: WriteUnit, view: CaseView, type: EventType, alert: Pick<AlertPayload, 'kind' | 'targets'>, actor: Actor): Promise<CaseView> {
    const result = await unit.trx
      .updateTable('cases')
      .set({ status: 'open', acknowledged_at: null, acknowledged_by: null, version: view.version + 1, updated_at: unit.now })
      .where('id', '=', view.id)
      .where('version', '=', view.version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new Error(`[escalation] case ${view.id} changed under its own transaction`);
    await this.restartLadder(unit, view, undefined);
    const updated = await getCaseView(unit.trx, view.id);
    const episode = (await this.alertOf(unit, view.id))?.episode ?? 0;
    await this.recordNotifications(unit, view.id, episode, alert.targets, alert.kind, 0);
    await appendAlertEvent(unit, { type, case: updated, alert: { ...alert, level: 0, cycle: 0 }, actor, detail: { previousStatus: view.status, acknowledgedBy: view.acknowledgedBy } });
    return updated;
  }

  private async addTimer(unit: WriteUnit, caseId: string, kind: string, dueAt: number, step: number, detail: Record<string, unknown>): Promise<void> {
    const id = newSortableId();
    await insertTimer.execute(unit, { id, case_id: caseId, kind, due_at: dueAt, step, detail: JSON.stringify(detail), state: 'pending', created_at: unit.now, fired_at: null });
    // Before commit on purpose: if the transaction rolls back, the heap entry finds no pending row and does nothing.
    this.scheduler.schedule(id, dueAt);
  }

  /** Cancels a case's pending timers of the given kinds (all kinds when null). */
  private async cancel(unit: WriteUnit, caseId: string, kinds: string[] | null): Promise<void> {
    let query = unit.trx.updateTable('timers').set({ state: 'cancelled', fired_at: unit.now }).where('case_id', '=', caseId).where('state', '=', 'pending');
    if (kinds !== null) query = query.where('kind', 'in', kinds);
    await query.execute();
  }

  private async setAlertState(unit: WriteUnit, caseId: string, state: AlertState): Promise<void> {
    await unit.trx.updateTable('case_alerts').set({ state, silenced_until: null, updated_at: unit.now }).where('case_id', '=', caseId).execute();
  }

  private async alertOf(unit: WriteUnit, caseId: string): Promise<CaseAlertRow | undefined> {
    return findAlert.first(unit, { caseId });
  }

  private async hasReply(unit: WriteUnit, caseId: string): Promise<boolean> {
    const row = await findStaffReply.first(unit, { caseId });
    return row !== undefined;
  }

  private async recordNotifications(unit: WriteUnit, caseId: string, episode: number, userIds: readonly string[], kind: string, level: number): Promise<void> {
    const rows = userIds.map((userId) => ({ id: newSortableId(), case_id: caseId, episode, user_id: userId, kind, level, at: unit.now }));
    // Usually one to three people: a prepared insert each, cheaper than building a statement. A whole team in one
    // statement instead, whose SQL changes with its size: on PostgreSQL each statement is a round trip, and a team step
    // reaching sixty people cost sixty (bench/timers/directory-change).
    if (rows.length < MANY_NOTIFIED) {
      for (const row of rows) await insertNotification.execute(unit, row);
      return;
    }
    for (let start = 0; start < rows.length; start += NOTIFICATION_CHUNK) await unit.trx.insertInto('alert_notifications').values(rows.slice(start, start + NOTIFICATION_CHUNK)).execute();
  }

  // ---- queries -----------------------------------------------------------------------------------------------

  /**
   * Unacknowledged alerts per visible queue; and what is addressed to this user and not over: the alerts that reached
   * them in the current episode, pages into acknowledged cases and into cases with no alert, their replies not
   * delivered (my-alerts.ts).
   */
  async alertCounts(user: UserView, queueIds: readonly string[]): Promise<{ queues: Record<string, number>; mine: number }> {
    const queues: Record<string, number> = Object.fromEntries(queueIds.map((id) => [id, 0]));
    if (queueIds.length === 0) return { queues, mine: 0 };
    const { db } = this.store;
    const rows = await db
      .selectFrom('case_alerts')
      .innerJoin('cases', 'cases.id', 'case_alerts.case_id')
      .select(['cases.queue_id', (eb) => eb.fn.countAll<number>().as('count')])
      .where('case_alerts.state', 'in', ['triggered', 'silenced'])
      .where('cases.queue_id', 'in', queueIds)
      .groupBy('cases.queue_id')
      .execute();
    for (const row of rows) queues[row.queue_id] = Number(row.count);
    // The same rules as the tray a desk restores (alerts:mine), so the two agree: my-alerts.ts.
    return { queues, mine: await countMyAlerts(db, user, queueIds) };
  }
}

/** Ladders as snapshotted on alerts: a handful of distinct texts, each read once rather than on every step. */
const laddersByText = new Map<string, Ladder | undefined>();
const LADDER_CACHE_LIMIT = 256;

function parseLadder(json: string): Ladder | undefined {
  if (laddersByText.has(json)) return laddersByText.get(json);
  const value: unknown = JSON.parse(json);
  const ladder = value === null ? undefined : LadderSchema.parse(value);
  if (laddersByText.size >= LADDER_CACHE_LIMIT) laddersByText.clear();
  laddersByText.set(json, ladder);
  return ladder;
}

/** Where the ladder goes after `level`: the next step, or round again while the repeat cap allows, or nowhere. */
export function nextPosition(ladder: Ladder, level: number, cycle: number): { level: number; cycle: number; waitMinutes: number } | undefined {
  const following = ladder.steps[level + 1];
  if (following !== undefined) return { level: level + 1, cycle, waitMinutes: following.afterMinutes };
  if (cycle < ladder.repeat) return { level: 0, cycle: cycle + 1, waitMinutes: ladder.repeatAfterMinutes + ladder.steps[0]!.afterMinutes };
  if (ladder.lastStepUntilAcknowledged === true) return { level, cycle: cycle + 1, waitMinutes: ladder.repeatAfterMinutes };
  return undefined;
}
