// Development only: POST /dev/inbound puts a message through intake exactly as a carrier webhook would, for the
// desk's first minute and for manual testing. Never registered in production mode.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ChannelSchema, MAX_MESSAGE_LENGTH } from '../../shared/domain';
import { E164Schema } from '../../shared/inbound';
import type { Clock } from '../clock';
import type { Intake } from '../intake/receive';

const DevInboundSchema = z.object({
  from: E164Schema,
  to: E164Schema,
  text: z.string().min(1).max(MAX_MESSAGE_LENGTH),
  channel: ChannelSchema.default('sms'),
  contactName: z.string().max(256).optional(),
  providerMessageId: z.string().min(1).max(128).optional(),
});

export function registerDevRoutes(app: FastifyInstance, deps: { intake: Intake; clock: Clock }): void {
  app.post('/dev/inbound', async (request, reply) => {
    const parsed = DevInboundSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: z.prettifyError(parsed.error) });
    const { providerMessageId, contactName, ...message } = parsed.data;
    const result = await deps.intake.receive({
      ...message,
      ...(contactName === undefined ? {} : { contactName }),
      provider: 'dev',
      providerMessageId: providerMessageId ?? randomUUID(),
      receivedAt: deps.clock.now(),
      kind: 'text',
    });
    return reply.code(result.duplicate ? 200 : 201).send(result);
  });
}
