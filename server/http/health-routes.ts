// GET /healthz for load balancers and monitoring; GET /metrics in Prometheus text format.
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../observability/logger';
import type { HubMetrics } from '../observability/metrics';
import { currentSeq } from '../store/event-log';
import type { Store } from '../store/open-store';

export function registerHealthRoutes(app: FastifyInstance, deps: { store: Store; metrics: HubMetrics; log: Logger }): void {
  app.get('/healthz', async (_request, reply) => {
    try {
      const seq = await currentSeq({ trx: deps.store.db, dialect: deps.store.dialect });
      return reply.send({ status: 'ok', store: deps.store.dialect, seq });
    } catch (error) {
      deps.log.error({ err: error }, '[health] store check failed');
      return reply.code(503).send({ status: 'unavailable', store: deps.store.dialect });
    }
  });
  app.get('/metrics', async (_request, reply) => {
    return reply.header('content-type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
