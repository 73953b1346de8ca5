// The carriers' webhooks on the hub. Each request is authenticated before its content is read, and
// answered 2xx only after intake has committed what it carried (ARCHITECTURE.md, invariant 1):
// any failure to store answers 5xx, so the carrier sends it again.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { CarrierConfig, CarrierName } from './carrier-config';
import type { CarrierEvents, ParseOutcome, VerifyOutcome } from './carrier-events';
import type { CarrierIntake } from './carrier-intake';
import { parseNotifyInbound, parseNotifyStatus, verifyNotifyBearer } from './notify';
import { parseRbmEvent, readRbmEnvelope, verifyRbmHandshake, verifyRbmSignature } from './rbm';
import { decodeTwilioForm, parseTwilioInbound, parseTwilioStatus, verifyTwilioSignature } from './twilio';
import { parseWhatsAppWebhook, verifyWhatsAppHandshake, verifyWhatsAppSignature } from './whatsapp';

export interface CarrierWebhookDeps {
  config: CarrierConfig;
  intake: CarrierIntake;
  log: Logger;
  /** Epoch milliseconds; injected so tests control time. Used where a carrier sends no timestamp. */
  now?: () => number;
}

/** Carriers send a message or a small batch of events; anything near this is not a carrier. */
export const WEBHOOK_BODY_LIMIT_BYTES = 64 * 1024;

const TWIML_EMPTY_RESPONSE = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

const CARRIER_LABELS: Record<CarrierName, string> = {
  twilio: 'Twilio',
  whatsapp: 'WhatsApp',
  rbm: 'RBM',
  notify: 'GOV.UK Notify',
};

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/**
 * Registers the webhook routes in their own encapsulated scope: the raw-body parsers they need for
 * signature checks stay there, and the rest of the hub keeps its JSON parsing.
 */
export async function registerCarrierWebhooks(app: FastifyInstance, deps: CarrierWebhookDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT_BYTES }, (_request, body, done) => {
      done(null, body);
    });
    scope.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
      if (error.statusCode === 413) return reply.code(413).send({ error: 'body_too_large', limitBytes: WEBHOOK_BODY_LIMIT_BYTES });
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return reply.code(error.statusCode).send({ error: 'bad_request', code: error.code });
      }
      deps.log.error({ err: error, route: request.routeOptions.url }, '[webhooks] unexpected failure');
      return reply.code(500).send({ error: 'internal_error' });
    });
    registerRoutes(scope, deps);
  });
}

function registerRoutes(scope: FastifyInstance, deps: CarrierWebhookDeps): void {
  const { config, intake, log } = deps;
  const now = deps.now ?? Date.now;
  const routeOptions = { bodyLimit: WEBHOOK_BODY_LIMIT_BYTES };

  function disabled(reply: FastifyReply, carrier: CarrierName): FastifyReply {
    // The detailed reason (which variable is unset) is in the start log, not told to the internet.
    return reply.code(404).send({ error: 'carrier_disabled', reason: `${CARRIER_LABELS[carrier]} is not enabled on this hub` });
  }

  function refused(reply: FastifyReply, carrier: CarrierName, outcome: Exclude<VerifyOutcome, { ok: true }>, missingStatus: 400 | 401): FastifyReply {
    log.warn({ carrier, reason: outcome.reason }, '[webhooks] request refused');
    return reply.code(outcome.reason === 'missing_signature' ? missingStatus : 403).send({ error: outcome.reason });
  }

  /** Hands every event to intake in order; false (and a 5xx already sent) if intake failed. */
  async function deliver(reply: FastifyReply, carrier: CarrierName, outcome: ParseOutcome): Promise<boolean> {
    if (!outcome.ok) {
      log.warn({ carrier, code: outcome.error.code, detail: outcome.error.detail }, '[webhooks] body refused');
      await reply.code(400).send({ error: outcome.error.code, detail: outcome.error.detail });
      return false;
    }
    return store(reply, carrier, outcome);
  }

  async function store(reply: FastifyReply, carrier: CarrierName, events: CarrierEvents): Promise<boolean> {
    let current: string | undefined;
    try {
      for (const message of events.messages) {
        current = message.providerMessageId;
        const { duplicate } = await intake.receive(message);
        log.info({ carrier, providerMessageId: message.providerMessageId, kind: message.kind, duplicate }, '[webhooks] message received');
      }
      for (const status of events.statuses) {
        current = status.providerMessageId;
        await intake.applyDeliveryStatus(status);
        log.info({ carrier, providerMessageId: status.providerMessageId, state: status.state }, '[webhooks] delivery status');
      }
      for (const change of events.subscriptions ?? []) {
        current = change.providerEventId;
        await intake.applySubscriptionChange(change);
        log.info({ carrier, providerEventId: change.providerEventId, channel: change.channel, change: change.change }, '[webhooks] subscription change');
      }
      return true;
    } catch (error) {
      log.error({ err: error, carrier, providerMessageId: current }, '[webhooks] intake failed; carrier will retry');
      await reply.code(503).send({ error: 'intake_failed' });
      return false;
    }
  }

  function twilioRoute(path: string, parse: typeof parseTwilioInbound, answer: (reply: FastifyReply) => FastifyReply): void {
    scope.post(path, routeOptions, async (request, reply) => {
      const setting = config.twilio;
      if (!setting.enabled) return disabled(reply, 'twilio');
      const params = decodeTwilioForm(rawBody(request).toString('utf8'));
      const verified = verifyTwilioSignature({
        authToken: setting.settings.authToken,
        // request.url keeps the query string, which Twilio signed along with the path.
        url: setting.settings.publicUrl + request.url,
        params,
        signature: header(request, 'x-twilio-signature'),
      });
      if (!verified.ok) return refused(reply, 'twilio', verified, 400);
      if (!(await deliver(reply, 'twilio', parse(params, now())))) return reply;
      return answer(reply);
    });
  }

  twilioRoute('/webhooks/twilio', parseTwilioInbound, (reply) => reply.code(200).type('text/xml').send(TWIML_EMPTY_RESPONSE));
  twilioRoute('/webhooks/twilio/status', parseTwilioStatus, (reply) => reply.code(204).send());

  scope.get<{ Querystring: Record<string, unknown> }>('/webhooks/whatsapp', async (request, reply) => {
    const setting = config.whatsapp;
    if (!setting.enabled) return disabled(reply, 'whatsapp');
    const handshake = verifyWhatsAppHandshake(request.query, setting.settings.verifyToken);
    if (!handshake.ok) {
      log.warn({ carrier: 'whatsapp' }, '[webhooks] verification handshake refused');
      return reply.code(403).send({ error: 'bad_verify_token' });
    }
    return reply.code(200).type('text/plain').send(handshake.challenge);
  });

  scope.post('/webhooks/whatsapp', routeOptions, async (request, reply) => {
    const setting = config.whatsapp;
    if (!setting.enabled) return disabled(reply, 'whatsapp');
    const body = rawBody(request);
    const verified = verifyWhatsAppSignature({ appSecret: setting.settings.appSecret, rawBody: body, signature: header(request, 'x-hub-signature-256') });
    if (!verified.ok) return refused(reply, 'whatsapp', verified, 401);
    if (!(await deliver(reply, 'whatsapp', parseWhatsAppWebhook(body)))) return reply;
    return reply.code(200).send();
  });

  scope.post('/webhooks/rbm', routeOptions, async (request, reply) => {
    const setting = config.rbm;
    if (!setting.enabled) return disabled(reply, 'rbm');
    const envelope = readRbmEnvelope(rawBody(request));
    if (envelope.kind === 'malformed') {
      log.warn({ carrier: 'rbm', detail: envelope.detail }, '[webhooks] body refused');
      return reply.code(400).send({ error: 'malformed_body', detail: envelope.detail });
    }
    if (envelope.kind === 'handshake') {
      if (!verifyRbmHandshake(envelope, setting.settings.clientToken)) {
        log.warn({ carrier: 'rbm' }, '[webhooks] verification handshake refused');
        return reply.code(403).send({ error: 'bad_client_token' });
      }
      return reply.code(200).type('text/plain').send(envelope.secret);
    }
    const verified = verifyRbmSignature({ clientToken: setting.settings.clientToken, data: envelope.data, signature: header(request, 'x-goog-signature') });
    if (!verified.ok) return refused(reply, 'rbm', verified, 401);
    const outcome = parseRbmEvent(envelope.data, { agentId: setting.settings.agentId, lineNumber: setting.settings.lineNumber, now: now() });
    if (!(await deliver(reply, 'rbm', outcome))) return reply;
    return reply.code(200).send();
  });

  function notifyRoute(path: string, parse: typeof parseNotifyInbound): void {
    scope.post(path, routeOptions, async (request, reply) => {
      const setting = config.notify;
      if (!setting.enabled) return disabled(reply, 'notify');
      const verified = verifyNotifyBearer({ authorization: header(request, 'authorization'), callbackToken: setting.settings.callbackToken });
      if (!verified.ok) return refused(reply, 'notify', verified, 401);
      if (!(await deliver(reply, 'notify', parse(rawBody(request))))) return reply;
      return reply.code(200).send();
    });
  }

  notifyRoute('/webhooks/notify/inbound', parseNotifyInbound);
  notifyRoute('/webhooks/notify/status', parseNotifyStatus);
}
