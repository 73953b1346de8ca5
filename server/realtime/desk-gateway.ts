// The desks' Socket.IO endpoint: authenticates the handshake, puts each socket in the rooms of exactly the queues its
// user may see (invariant 5), answers commands and queries through acknowledgements, and streams committed events in
// sequence order, one packet per commit, to the desks in scope (invariant 2; scope-fanout.ts).
import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import type { UserView } from '../../shared/domain';
import {
  CaseDetailRequestSchema,
  CaseProfileRequestSchema,
  COMMAND_NAMES,
  PresenceSetRequestSchema,
  TYPING_EXPIRES_MS,
  SocketAuthSchema,
  SyncRequestSchema,
  type AlertCountsResult,
  type MyAlertsResult,
  MarthasRuleReportRequestSchema,
  MeasuresRequestSchema,
  type MarthasRuleReportResult,
  type MeasuresResult,
  type BootstrapResult,
  type CaseDetailResult,
  type CaseProfileResult,
  type PresenceListResult,
  type PresenceSetResult,
  type ClientToServerEvents,
  type CommandError,
  type CommandResult,
  type ServerToClientEvents,
  type ShiftResult,
  type ShiftStatusResult,
  type SyncResult,
  type PoliciesListResult,
  type PolicySetResult,
} from '../../shared/protocol';
import { canSeeQueueId, queueRoom, visibleQueues, toQueueView } from '../access/scope';
import { resolveSession } from '../auth/sessions';
import { listStaff } from '../auth/staff-directory';
import type { Clock } from '../clock';
import type { CaseCommands } from '../commands/case-commands';
import type { PolicyEditor } from '../escalation/policy-editor';
import type { EscalationEngine } from '../escalation/engine';
import type { Presence } from '../escalation/presence';
import { marthasRuleCsv } from '../escalation/marthas-rule';
import { listMyAlerts } from '../escalation/my-alerts';
import { computeMeasures, defaultWindow } from '../escalation/measures';
import { REPORT_ROLES } from '../escalation/report-routes';
import { readShift, setShift } from '../escalation/shifts';
import { shiftLimits, type SiteConfig } from '../config/site-config';
import type { Logger } from '../observability/logger';
import type { HubMetrics } from '../observability/metrics';
import { readCaseProfile } from '../store/case-profile';
import { auditCaseViewed, auditReportViewed, RecordedReads, type CaseReadView } from '../store/read-audit';
import { findCaseView, listActiveCases, listCaseMessages } from '../store/case-views';
import { currentSeq, eventsSince } from '../store/event-log';
import type { Store } from '../store/open-store';
import type { CommittedEvent } from '../store/write-queue';
import { CasePresenceBook } from './case-presence';
import { CommittedEventsSchema, ScopeFanout, type InterServerEvents } from './scope-fanout';

export interface DeskSocketData {
  user: UserView;
  sessionExpiresAt: number;
}

export type DeskServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, DeskSocketData>;
type DeskSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, DeskSocketData>;

/** Most events one sync answer carries; the desk asks again from the last one while `more` is true. */
export const SYNC_PAGE = 1000;

export interface DeskGatewayDeps {
  store: Store;
  site: SiteConfig;
  commands: CaseCommands;
  clock: Clock;
  metrics: HubMetrics;
  log: Logger;
  /** Connected desks count as reachable for escalation; shifts and alert counts are answered here. */
  escalation?: { engine: EscalationEngine; presence: Presence };
  /** Admins' escalation policy editor (policies:list, policies:set). */
  policies?: PolicyEditor;
  /** "Typing" lapses this long after a desk last said so (hub clock). @default TYPING_EXPIRES_MS */
  typingExpiresMs?: number;
  /** True when other hubs share this one's store through an adapter: each commit's events are passed to them too. */
  clustered?: boolean;
  /** How often desks whose session has ended are disconnected (real time; the end is read on the hub clock). @default 30_000 */
  sessionSweepMs?: number;
}

type Refusal = { ok: false; error: CommandError };

const unavailable: CommandError = { code: 'unavailable', message: 'The hub could not complete this just now. Nothing was changed; please try again.' };

/** A read whose audit row could not be written is refused, in words that say why nothing is shown. */
const unrecorded = (what: string): Refusal => ({
  ok: false,
  error: { code: 'unavailable', message: `The hub could not record that you viewed ${what}, so it is not shown. Please try again.` },
});

export function attachDeskGateway(io: DeskServer, deps: DeskGatewayDeps): { broadcast(events: CommittedEvent[]): void; stop(): void } {
  const { store, site, commands, clock, metrics, log, escalation } = deps;
  const casePresence = new CasePresenceBook(clock, deps.typingExpiresMs ?? TYPING_EXPIRES_MS);
  // A desk whose session has ended is disconnected, not merely refused at its next request: until then it counted as
  // reachable, and a ladder step could "notify" a nurse whose sign-in ran out at the end of her shift.
  const sessionSweep = setInterval(() => {
    const now = clock.now();
    for (const socket of io.of('/').sockets.values()) {
      if (now < socket.data.sessionExpiresAt) continue;
      log.info({ userId: socket.data.user.id }, '[desk] session ended: desk disconnected');
      socket.disconnect(true);
    }
  }, deps.sessionSweepMs ?? 30_000);
  sessionSweep.unref();
  /** Tells the rooms of the case's queue who is viewing it now (ephemeral: no seq, nothing stored). */
  const announcePresence = (caseId: string, queueId: string) => io.to(queueRoom(queueId)).emit('presence', casePresence.of(caseId));
  const fanout = new ScopeFanout(io);
  if (deps.clustered === true) {
    io.on('desk:events', (payload: unknown) => {
      const events = CommittedEventsSchema.safeParse(payload);
      if (events.success) fanout.deliver(events.data);
      else log.error({ issues: events.error.issues.slice(0, 3) }, '[desk] events from another hub failed validation; its desks resync on reconnect');
    });
  }

  io.use(async (socket, next) => {
    const auth = SocketAuthSchema.safeParse(socket.handshake.auth);
    if (!auth.success) return next(new Error('unauthorized: log in first'));
    try {
      const session = await resolveSession(store, auth.data.token, clock.now());
      if (session === undefined) return next(new Error('unauthorized: session expired or unknown'));
      socket.data = { user: session.user, sessionExpiresAt: session.expiresAt };
      next();
    } catch (error) {
      log.error({ err: error }, '[desk] handshake failed');
      next(new Error('unavailable'));
    }
  });

  io.on('connection', (socket) => {
    const { user } = socket.data;
    const reads = new RecordedReads(() => clock.now());
    const auditRead = async (caseId: string, view: CaseReadView): Promise<void> => {
      if (reads.covers(caseId, view)) return;
      await auditCaseViewed(store, user, caseId, view);
      reads.note(caseId, view);
    };
    const queues = visibleQueues(user, site);
    const queueIds = queues.map((queue) => queue.id);
    // Queue rooms carry presence; the scope room carries the events (scope-fanout.ts).
    void socket.join(queueIds.map(queueRoom));
    fanout.join(socket, queueIds);
    metrics.desksConnected.inc();
    escalation?.presence.connected(user.id);
    socket.on('disconnect', () => {
      fanout.leave(queueIds);
      metrics.desksConnected.dec();
      escalation?.presence.disconnected(user.id);
      const left = casePresence.remove(socket.id);
      if (left !== undefined) announcePresence(left.caseId, left.queueId);
    });
    log.info({ userId: user.id, queues: queues.length }, '[desk] connected');

    for (const name of COMMAND_NAMES) {
      socket.on(name, (payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        void answer<CommandResult>(socket, ack as (result: CommandResult) => void, async (): Promise<CommandResult> => {
          const result = await commands.execute(name, user, payload);
          metrics.commands.inc({ command: name, result: result.ok ? 'ok' : result.error.code });
          return result;
        });
      });
    }

    socket.on('bootstrap', (_payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      void answer<BootstrapResult>(socket, ack as (result: BootstrapResult) => void, async (): Promise<BootstrapResult> => {
        // Read the sequence first: anything committed after it reaches the desk as an event, which the desk applies
        // only if it is newer than the case it already holds.
        const seq = await currentSeq({ trx: store.db, dialect: store.dialect });
        const cases = await listActiveCases(store.db, queueIds);
        const staff = (await listStaff(store)).filter((member) => visibleQueues(member, site).some((queue) => queueIds.includes(queue.id)));
        // Each queue's silence limit, so the desk offers only silences the hub would accept (H12).
        const withLimits = queues.map((queue) => ({ ...toQueueView(queue), ...(escalation === undefined ? {} : { maxSilenceMinutes: escalation.engine.silenceLimit(queue.id) }) }));
        return { ok: true, seq, me: user, queues: withLimits, staff, cases, serverTime: clock.now() };
      });
    });

    socket.on('sync', (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      void answer<SyncResult>(socket, ack as (result: SyncResult) => void, async (): Promise<SyncResult> => {
        const request = SyncRequestSchema.safeParse(payload);
        if (!request.success) return { ok: false, error: { code: 'invalid', message: `sync needs { since }: ${z.prettifyError(request.error)}` } };
        const seq = await currentSeq({ trx: store.db, dialect: store.dialect });
        const events = await eventsSince(store.db, request.data.since, queueIds, SYNC_PAGE);
        return { ok: true, events, more: events.length === SYNC_PAGE, seq, serverTime: clock.now() };
      });
    });

    socket.on('shift:set', (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      void answer<ShiftResult>(socket, ack as (result: ShiftResult) => void, () => setShift(store, shiftLimits(site), user, payload));
    });

    socket.on('shift:get', (_payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      void answer<ShiftStatusResult>(socket, ack as (result: ShiftStatusResult) => void, () => readShift(store, shiftLimits(site), user, clock.now()));
    });

    socket.on('policies:list', (_payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      void answer<PoliciesListResult>(socket, ack as (result: PoliciesListResult) => void, async (): Promise<PoliciesListResult> =>
        deps.policies === undefined ? { ok: false, error: { code: 'unavailable', message: 'This hub has no escalation engine.' } } : deps.policies.list(user),
      );
    });

    socket.on('policies:set', (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      void answer<PolicySetResult>(socket, ack as (result: PolicySetResult) => void, async (): Promise<PolicySetResult> =>
        deps.policies === undefined ? { ok: false, error: { code: 'unavailable', message: 'This hub has no escalation engine.' } } : deps.policies.set(user, payload),
      );
    });

    socket.on('alerts:counts', (_payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      void answer<AlertCountsResult>(socket, ack as (result: AlertCountsResult) => void, async (): Promise<AlertCountsResult> => {
        if (escalation === undefined) return { ok: true, queues: {}, mine: 0 };
        return { ok: true, ...(await escalation.engine.alertCounts(user, queueIds)) };
      });
    });

    socket.on('alerts:mine', (_payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      // Not only the ladder's: a reply of this user's marked not delivered is listed with or without an escalation engine.
      void answer<MyAlertsResult>(socket, ack as (result: MyAlertsResult) => void, async (): Promise<MyAlertsResult> => ({ ok: true, alerts: await listMyAlerts(store.db, user, queueIds) }));
    });

    socket.on('reports:measures', (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      void answer<MeasuresResult>(socket, ack as (result: MeasuresResult) => void, async (): Promise<MeasuresResult> => {
        const request = MeasuresRequestSchema.safeParse(payload ?? {});
        if (!request.success) return { ok: false, error: { code: 'invalid', message: `reports:measures takes { from?, to? }: ${z.prettifyError(request.error)}` } };
        const now = clock.now();
        const from = request.data.from ?? defaultWindow(now).from;
        const to = request.data.to ?? defaultWindow(now).to;
        const visible = new Set(queueIds);
        const rows = (await computeMeasures(store.db, from, to, now)).filter((row) => visible.has(row.queueId));
        return (await recorded(() => auditReportViewed(store, user, { report: 'measures', from, to }), 'this report', user.id)) ?? { ok: true, from, to, rows };
      });
    });

    socket.on('reports:marthas-rule', (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      void answer<MarthasRuleReportResult>(socket, ack as (result: MarthasRuleReportResult) => void, async (): Promise<MarthasRuleReportResult> => {
        if (!REPORT_ROLES.includes(user.role)) return { ok: false, error: { code: 'forbidden', message: "Martha's Rule reports are for outreach staff and administrators." } };
        const request = MarthasRuleReportRequestSchema.safeParse(payload);
        if (!request.success) return { ok: false, error: { code: 'invalid', message: z.prettifyError(request.error) } };
        const csv = await marthasRuleCsv(store.db, request.data.month);
        return (await recorded(() => auditReportViewed(store, user, { report: 'marthas-rule', month: request.data.month, via: 'desk' }), 'this report', user.id)) ?? { ok: true, month: request.data.month, csv };
      });
    });

    socket.on('presence:set', (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      void answer<PresenceSetResult>(socket, ack as (result: PresenceSetResult) => void, async (): Promise<PresenceSetResult> => {
        const request = PresenceSetRequestSchema.safeParse(payload);
        if (!request.success) return { ok: false, error: { code: 'invalid', message: `presence:set needs { caseId, typing }: ${z.prettifyError(request.error)}` } };
        let target: { caseId: string; queueId: string } | null = null;
        if (request.data.caseId !== null) {
          // Scope as for case:detail: a desk may not announce itself on (or learn the viewers of) a case it cannot see.
          const view = await findCaseView(store.db, request.data.caseId);
          if (view === undefined) return { ok: false, error: { code: 'not_found', message: 'That case does not exist.' } };
          if (!canSeeQueueId(user, site, view.queueId)) return { ok: false, error: { code: 'forbidden', message: 'That case is not in your queues.' } };
          target = { caseId: view.id, queueId: view.queueId };
        }
        if (!socket.connected) return { ok: true };
        const touched = casePresence.set(socket.id, { userId: user.id, displayName: user.displayName }, target, request.data.typing);
        for (const { caseId, queueId } of touched) announcePresence(caseId, queueId);
        return { ok: true };
      });
    });

    socket.on('presence:list', (_payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      void answer<PresenceListResult>(socket, ack as (result: PresenceListResult) => void, async (): Promise<PresenceListResult> => ({
        ok: true,
        cases: casePresence.inQueues(queueIds),
      }));
    });

    socket.on('case:profile', (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      void answer<CaseProfileResult>(socket, ack as (result: CaseProfileResult) => void, async (): Promise<CaseProfileResult> => {
        const request = CaseProfileRequestSchema.safeParse(payload);
        if (!request.success) return { ok: false, error: { code: 'invalid', message: 'case:profile needs { caseId }' } };
        const view = await findCaseView(store.db, request.data.caseId);
        if (view === undefined) return { ok: false, error: { code: 'not_found', message: 'That case does not exist.' } };
        if (!canSeeQueueId(user, site, view.queueId)) return { ok: false, error: { code: 'forbidden', message: 'That case is not in your queues.' } };
        const profile = await readCaseProfile(store.db, view, clock.now());
        return (await recorded(() => auditRead(view.id, 'profile'), 'this case', user.id)) ?? profile;
      });
    });

    socket.on('case:detail', (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      void answer<CaseDetailResult>(socket, ack as (result: CaseDetailResult) => void, async (): Promise<CaseDetailResult> => {
        const request = CaseDetailRequestSchema.safeParse(payload);
        if (!request.success) return { ok: false, error: { code: 'invalid', message: 'case:detail needs { caseId }' } };
        const view = await findCaseView(store.db, request.data.caseId);
        if (view === undefined) return { ok: false, error: { code: 'not_found', message: 'That case does not exist.' } };
        if (!canSeeQueueId(user, site, view.queueId)) return { ok: false, error: { code: 'forbidden', message: 'That case is not in your queues.' } };
        const messages = await listCaseMessages(store.db, view.id);
        return (await recorded(() => auditRead(view.id, 'thread'), 'this case', user.id)) ?? { ok: true, case: view, messages };
      });
    });
  });

  /**
   * Writes a read's audit row before its answer is sent (H13): `null` once committed, else the refusal to send instead.
   * Called after the scope checks, so a refused read writes nothing.
   */
  async function recorded(write: () => Promise<void>, what: string, userId: string): Promise<Refusal | null> {
    try {
      await write();
      return null;
    } catch (error) {
      log.error({ err: error, userId }, '[desk] read not audited: refused');
      return unrecorded(what);
    }
  }

  /** Every request is answered exactly once: with its result, or with a typed error — never left hanging. */
  async function answer<T extends { ok: boolean }>(socket: DeskSocket, ack: (result: T | Refusal) => void, work: () => Promise<T>): Promise<void> {
    if (clock.now() >= socket.data.sessionExpiresAt) {
      ack({ ok: false, error: { code: 'forbidden', message: 'Your session has ended. Please log in again.' } });
      socket.disconnect(true);
      return;
    }
    try {
      ack(await work());
    } catch (error) {
      log.error({ err: error, userId: socket.data.user.id }, '[desk] request failed');
      ack({ ok: false, error: unavailable });
    }
  }

  return {
    stop() {
      clearInterval(sessionSweep);
    },
    broadcast(events) {
      fanout.deliver(events);
      if (deps.clustered === true && events.length > 0) io.serverSideEmit('desk:events', events);
      metrics.eventsBroadcast.inc(events.length);
      for (const { event, prevQueueId } of events) {
        if (prevQueueId !== null && casePresence.moveCase(event.case.id, event.case.queueId)) announcePresence(event.case.id, event.case.queueId);
      }
    },
  };
}
