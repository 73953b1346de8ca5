// GET /api/reports/marthas-rule.csv?month=YYYY-MM — the monthly Martha's Rule figures for NHS England, for outreach
// staff and admins, with the same bearer token the desk uses. The socket query `reports:marthas-rule` answers the same.
// Each export served is audited (`report.viewed`) before it is sent.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Role } from '../../shared/domain';
import { MarthasRuleReportRequestSchema } from '../../shared/protocol';
import { resolveSession } from '../auth/sessions';
import type { Clock } from '../clock';
import type { Logger } from '../observability/logger';
import { auditReportViewed } from '../store/read-audit';
import type { Store } from '../store/open-store';
import { marthasRuleCsv } from './marthas-rule';

export const REPORT_ROLES: readonly Role[] = ['outreach', 'admin'];

export function registerReportRoutes(app: FastifyInstance, deps: { store: Store; clock: Clock; log: Logger }): void {
  app.get('/api/reports/marthas-rule.csv', async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const token = /^Bearer (\S{1,256})$/.exec(header)?.[1];
    const session = token === undefined ? undefined : await resolveSession(deps.store, token, deps.clock.now());
    if (session === undefined) return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'Log in first.' });
    if (!REPORT_ROLES.includes(session.user.role)) return reply.code(403).send({ error: "Martha's Rule reports are for outreach staff and administrators." });
    const query = MarthasRuleReportRequestSchema.safeParse(request.query);
    if (!query.success) return reply.code(400).send({ error: z.prettifyError(query.error) });
    const csv = await marthasRuleCsv(deps.store.db, query.data.month);
    try {
      await auditReportViewed(deps.store, session.user, { report: 'marthas-rule', month: query.data.month, via: 'csv' });
    } catch (error) {
      // An export nobody can later account for is not served (H13).
      deps.log.error({ err: error, userId: session.user.id }, '[reports] export not audited: refused');
      return reply.code(503).send({ error: 'The hub could not record this export, so it was not served. Please try again.' });
    }
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="marthas-rule-${query.data.month}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });
}
