// The cases this desk can see, and the commands staff run on them.
import { makeAutoObservable, observable, runInAction } from 'mobx';
import { isUndelivered, type CaseView, type Category, type DeliveryState, type MessageView, type Outcome, type Priority } from '../../../shared/domain';
import type { CommandName, CommandPayload, CommandResult, DeskEvent } from '../../../shared/protocol';

export type CallDetails = Omit<CommandPayload<'record_call'>, 'commandId' | 'caseId' | 'version'>;
export type PatientLink = Omit<CommandPayload<'link_patient'>, 'commandId' | 'caseId' | 'version'>;
import { describeCommandError, describeTransportFailure } from '../format/command-error-words';
import { deliveryLabel } from '../format/labels';
import { TransportError } from '../transport/transport';
import { newCommandId } from './command-id';
import type { RootStore } from './root-store';

type CommandExtras<N extends CommandName> = Omit<CommandPayload<N>, 'commandId' | 'caseId' | 'version'>;
type CommandSuccess = Extract<CommandResult, { ok: true }>;

/** "Reply failed — case #12. Not sent: …": the state in words, then the hub's reason when it gave one. */
function undeliveredWords(view: CaseView, message: MessageView, state: DeliveryState): string {
  const reason = message.deliveryError ?? null;
  return `Reply ${deliveryLabel(state).toLowerCase()} — case #${view.ref}${reason === null || reason === '' ? '' : `. ${reason}`}`;
}

/**
 * "Case #12 was moved by Sam Patel to a queue you do not see — no longer in your list". The desk knows only the names of
 * its own queues (bootstrap), so the one the case went to cannot be named.
 */
function leftSightWords(view: CaseView, mover: string | null): string {
  return `Case #${view.ref} was moved${mover === null ? '' : ` by ${mover}`} to a queue you do not see — no longer in your list`;
}

/** Most urgent first: unacknowledged before acknowledged, then priority, then longest waiting. */
export function compareForInbox(left: CaseView, right: CaseView): number {
  const leftWaiting = left.status === 'open' ? 0 : 1;
  const rightWaiting = right.status === 'open' ? 0 : 1;
  return leftWaiting - rightWaiting || left.priority - right.priority || left.openedAt - right.openedAt || left.ref - right.ref;
}

export class CaseStore {
  /** Shallow: each CaseView is replaced whole by the hub's latest snapshot, never edited in place. */
  readonly byId = observable.map<string, CaseView>(undefined, { deep: false });
  /** Cases with a command awaiting the hub's answer, so buttons can't send it twice. */
  readonly pending = observable.set<string>();
  /**
   * Cases that moved out of this desk's queues, with the version that took them out: a snapshot from before the move
   * (a command's answer overtaken by the move's event) must not bring one back. A newer one in sight does.
   */
  private readonly departed = new Map<string, number>();

  constructor(private readonly root: RootStore) {
    makeAutoObservable<this, 'root' | 'departed'>(this, { root: false, byId: false, pending: false, departed: false }, { autoBind: true });
  }

  get(caseId: string): CaseView | undefined {
    return this.byId.get(caseId);
  }

  /**
   * Open and acknowledged cases, in inbox order, and resolved ones whose reply did not reach the family: those stay
   * in the inbox, marked, until a later reply is delivered or someone dismisses the mark (the hub lists them too).
   */
  get activeCases(): CaseView[] {
    const active: CaseView[] = [];
    for (const view of this.byId.values()) if (view.status !== 'resolved' || (view.replyUndelivered ?? null) !== null) active.push(view);
    return active.sort(compareForInbox);
  }

  get unacknowledgedByQueue(): ReadonlyMap<string, number> {
    const counts = new Map<string, number>();
    for (const view of this.byId.values()) {
      if (view.status === 'open') counts.set(view.queueId, (counts.get(view.queueId) ?? 0) + 1);
    }
    return counts;
  }

  get unacknowledgedTotal(): number {
    let total = 0;
    for (const count of this.unacknowledgedByQueue.values()) total += count;
    return total;
  }

  /**
   * Keeps the newest snapshot: a late event never overwrites a command result it predates. A snapshot in a queue this
   * desk does not see takes the case out (docs/protocol.md: it has left the desk's sight). `movedBy`: the user whose
   * change it was, when known, to say who moved the open case away.
   */
  upsert(view: CaseView, movedBy: string | null = null): void {
    if (this.isOutdated(view)) return;
    if (!this.root.directory.sees(view.queueId)) {
      this.leave(view, movedBy);
      return;
    }
    this.departed.delete(view.id);
    this.byId.set(view.id, view);
  }

  replaceAll(views: readonly CaseView[]): void {
    this.byId.replace(views.map((view) => [view.id, view] as const));
    for (const view of views) this.departed.delete(view.id);
  }

  applyEvent(event: DeskEvent): void {
    this.upsert(event.case, event.actorId);
  }

  acknowledge(caseId: string): Promise<boolean> {
    // What the user was shown: if the family has written since, the hub refuses and the desk shows the new message.
    const shown = this.byId.get(caseId)?.lastMessageAt;
    return this.run('acknowledge', caseId, shown === undefined ? {} : { seenLastMessageAt: shown }, 'Acknowledged');
  }

  assign(caseId: string, assigneeId: string | null): Promise<boolean> {
    return this.run('assign', caseId, { assigneeId }, assigneeId ? 'Assigned' : 'Unassigned');
  }

  assignToMe(caseId: string): Promise<boolean> {
    const me = this.root.session.user;
    if (!me) return Promise.resolve(false);
    return this.run('assign', caseId, { assigneeId: me.id }, 'Assigned to you');
  }

  /** The colleague who owns (is assigned) the case, when that is not this user; null for nobody or me. */
  otherOwner(caseId: string): { userId: string; displayName: string } | null {
    const assigneeId = this.byId.get(caseId)?.assigneeId ?? null;
    if (assigneeId === null || assigneeId === this.root.session.user?.id) return null;
    return { userId: assigneeId, displayName: this.root.directory.displayName(assigneeId) ?? 'a colleague' };
  }

  /**
   * `templateId`: a structured question from REPLY_TEMPLATES, so the hub can attach its answer buttons.
   * A case someone else owns is not replied to unless the user confirmed it (`overOwnerId` names the owner they saw):
   * without that, nothing is sent and the answer is 'needs_confirmation'.
   */
  async reply(caseId: string, body: string, templateId?: string, overOwnerId?: string): Promise<boolean | 'needs_confirmation'> {
    const owner = this.otherOwner(caseId);
    if (owner !== null && owner.userId !== overOwnerId) return 'needs_confirmation';
    return this.run('reply', caseId, templateId ? { body, templateId } : { body }, this.replyAccepted);
  }

  /**
   * A reply that will not reach the contact (its delivery state just became failed or expired; MessageStore tells).
   * The "Reply queued" notice shown for that very message is replaced, so the screen never says "queued" beside
   * "Failed"; a failure of another reply on the case leaves it alone, since the reply it is about is still queued.
   * Said once, politely, when it replaced that notice or the case is open: otherwise the change is only in the thread.
   * A failure that overtakes the hub's answer to the reply is shown when the answer comes (`replyAccepted`).
   */
  replyUndelivered(view: CaseView, message: MessageView): void {
    if (message.deliveryState === null) return;
    const words = undeliveredWords(view, message, message.deliveryState);
    const superseded = this.root.notices.supersede({ kind: 'reply_queued', messageId: message.id }, 'error', words);
    if (superseded || this.root.selection.selectedCaseId === view.id) this.root.notices.announce(words, 'polite');
  }

  note(caseId: string, body: string): Promise<boolean> {
    return this.run('note', caseId, { body }, 'Note added');
  }

  resolve(caseId: string, outcome: Outcome, summary?: string): Promise<boolean> {
    return this.run('resolve', caseId, summary ? { outcome, summary } : { outcome }, 'Resolved');
  }

  triage(caseId: string, change: { priority?: Priority; category?: Category; queueId?: string }): Promise<boolean> {
    return this.run('triage', caseId, change, change.queueId ? 'Moved' : 'Triaged');
  }

  /** Gives an acknowledged case back to the queue, so its alert climbs again. */
  unacknowledge(caseId: string): Promise<boolean> {
    return this.run('unacknowledge', caseId, {}, 'Handed back, no longer acknowledged');
  }

  silence(caseId: string, minutes: number): Promise<boolean> {
    return this.run('silence', caseId, { minutes }, `Escalation silenced for ${minutes} min`);
  }

  page(caseId: string, userIds: string[]): Promise<boolean> {
    return this.run('page', caseId, { userIds }, 'Paged');
  }

  /**
   * The family was reached another way ("Phoned the family"): clears the case's "reply not delivered" mark, and the
   * note goes on the thread. Names the mark the user saw, so a newer failure is not dismissed with it.
   */
  dismissUndelivered(caseId: string, note: string): Promise<boolean> {
    const mark = this.byId.get(caseId)?.replyUndelivered ?? null;
    if (mark === null) return Promise.resolve(false);
    return this.run('dismiss_undelivered', caseId, { messageId: mark.messageId, note }, 'Marked as dealt with');
  }

  /** Martha's Rule: what the call is about, as learnt in the conversation (feeds the monthly figures). */
  recordCall(caseId: string, details: CallDetails): Promise<boolean> {
    return this.run('record_call', caseId, details, 'Call details recorded');
  }

  /** "This phone writes about this patient": the hub finds the patient by NHS number or records them. */
  linkPatient(caseId: string, details: PatientLink): Promise<boolean> {
    return this.run('link_patient', caseId, details, 'Linked to the patient');
  }

  reset(): void {
    this.byId.clear();
    this.pending.clear();
    this.departed.clear();
  }

  private isOutdated(view: CaseView): boolean {
    const held = this.byId.get(view.id)?.version ?? this.departed.get(view.id);
    return held !== undefined && held > view.version;
  }

  /**
   * Nothing more about the case reaches this desk until it comes back, so its thread is forgotten too: kept, it would
   * be shown without what was written meanwhile when the case returns. A nurse looking at it is told why it went.
   */
  private leave(view: CaseView, movedBy: string | null): void {
    const wasHeld = this.byId.delete(view.id);
    this.departed.set(view.id, view.version);
    this.root.messages.forget(view.id);
    if (this.root.selection.selectedCaseId !== view.id) return;
    this.root.selection.select(null);
    if (wasHeld) this.root.notices.show('info', leftSightWords(view, this.moverWords(movedBy)), view.id);
  }

  private moverWords(userId: string | null): string | null {
    if (userId === null) return null;
    return userId === this.root.session.user?.id ? 'you' : this.root.directory.displayName(userId);
  }

  /**
   * The hub stored the reply. Its delivery report can come before this answer (the outbox sends once the reply is
   * committed, and the report's event is pushed while the answer is still on its way): if the thread already holds the
   * message as failed or expired, the notice says so rather than "queued", which nothing would then replace. That
   * failure was announced when it arrived if its case was open, as it is now unless the user moved away and back
   * within the answer's round trip; otherwise the notice is its first telling, and is said politely like any failure.
   */
  private replyAccepted(answer: CommandSuccess): void {
    const view = answer.case;
    const messageId = answer.messageId;
    // An answer stored before the hub named the message (a replayed command id): nothing can be matched to it.
    if (messageId === undefined) {
      this.root.notices.show('info', `Reply queued for sending — case #${view.ref}`, view.id);
      return;
    }
    const message = this.root.messages.thread(view.id)?.find((candidate) => candidate.id === messageId);
    const state = message?.deliveryState ?? null;
    if (message !== undefined && state !== null && isUndelivered(state)) {
      const alreadySaid = this.root.selection.selectedCaseId === view.id;
      this.root.notices.show('error', undeliveredWords(view, message, state), view.id, null, alreadySaid ? 'none' : 'polite');
      return;
    }
    this.root.notices.show('info', `Reply queued for sending — case #${view.ref}`, view.id, { kind: 'reply_queued', messageId });
  }

  /** `success`: the words of the notice ("Acknowledged" → "Acknowledged — case #12"), or what to show instead. */
  private async run<N extends CommandName>(
    name: N,
    caseId: string,
    extras: CommandExtras<N>,
    success: string | ((answer: CommandSuccess) => void),
  ): Promise<boolean> {
    const seen = this.byId.get(caseId);
    if (!seen || this.pending.has(caseId)) return false;
    this.pending.add(caseId);
    // The version the user was looking at: if anyone changed the case since, the hub says `conflict`.
    const payload = { ...extras, commandId: newCommandId(), caseId, version: seen.version } as CommandPayload<N>;
    let result: CommandResult;
    try {
      result = await this.root.transport.request(name, payload);
    } catch (error) {
      runInAction(() => {
        this.pending.delete(caseId);
        const failure = error instanceof TransportError ? error.failure : 'timeout';
        this.root.notices.show('error', describeTransportFailure(failure), caseId);
      });
      return false;
    }
    runInAction(() => {
      this.pending.delete(caseId);
      if (result.ok) {
        this.upsert(result.case);
        if (typeof success === 'string') this.root.notices.show('info', `${success} — case #${result.case.ref}`, caseId);
        else success(result);
        return;
      }
      if (result.error.case) this.upsert(result.error.case);
      this.root.notices.show('error', describeCommandError(result.error), caseId);
    });
    // A conflict means the thread may have moved on too.
    if (!result.ok && (result.error.code === 'conflict' || result.error.code === 'already_acknowledged' || result.error.code === 'unseen_message')) {
      void this.root.messages.load(caseId);
    }
    return result.ok;
  }
}
