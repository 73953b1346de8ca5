// GET /healthz for load balancers and monitoring; GET /metrics in Prometheus text format.
// /healthz answers 503 only when this hub cannot reach its store: that is this hub's fault, and another hub may serve.
// Overdue timers are reported as `degraded` with a 200: they live in the shared store, so every hub would report them
// alike, and taking every hub out of the load balancer for a stalled ladder would stop the messages too. A broken audit
// chain is `degraded` with a 200 for the same reason: the chain is in the shared store, and the hubs still work.
import type { FastifyInstance } from 'fastify';
import type { Channel, Provider } from '../../shared/domain';
import type { Clock } from '../clock';
import { readOverdueTimers } from '../escalation/overdue-timers';
import type { Logger } from '../observability/logger';
import type { HubMetrics } from '../observability/metrics';
import type { AuditChainState } from '../store/audit-watch';
import { currentSeq } from '../store/event-log';
import type { Store } from '../store/open-store';

export interface HealthDeps {
  store: Store;
  metrics: HubMetrics;
  log: Logger;
  clock: Clock;
  /**
   * Each channel and the carrier that sends by it here, or null. Shown, not part of `status`: every hub of a deployment
   * shares the carrier settings, so pulling hubs out of the balancer over them would stop the messages in too (H6).
   */
  sending?: () => Record<Channel, Provider | null>;
  /** The audit chain watch's verdict as it stands (server/store/audit-watch.ts): read, not walked, per request. */
  auditChain?: () => AuditChainState;
}

export function registerHealthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  app.get('/healthz', async (_request, reply) => {
    try {
      const seq = await currentSeq({ trx: deps.store.db, dialect: deps.store.dialect });
      const overdue = await readOverdueTimers(deps.store.db, deps.clock.now());
      const timers = { overdue: overdue.count, oldestOverdueSeconds: overdue.oldestSeconds };
      const sending = deps.sending === undefined ? {} : { sending: deps.sending() };
      const auditChain = deps.auditChain?.();
      const status = overdue.count === 0 && auditChain?.state !== 'broken' ? 'ok' : 'degraded';
      return reply.send({ status, store: deps.store.dialect, seq, timers, ...(auditChain === undefined ? {} : { auditChain }), ...sending });
    } catch (error) {
      deps.log.error({ err: error }, '[health] store check failed');
      return reply.code(503).send({ status: 'unavailable', store: deps.store.dialect });
    }
  });
  app.get('/metrics', async (_request, reply) => {
    return reply.header('content-type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
