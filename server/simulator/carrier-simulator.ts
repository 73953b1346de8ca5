// The carriers' outbound APIs on 127.0.0.1, for development and tests: Twilio Messages.json, the
// WhatsApp Cloud API, RBM (agentMessages, capabilities, revoke, and Google's token endpoint) and
// GOV.UK Notify. Each authenticates the hub as the carrier would, answers in the carrier's documented
// shape, puts the message on the simulated phone, and then posts signed delivery receipts back to the
// hub's webhooks. The same object is the phones' side: `send` posts what a patient types.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { CarrierConfig, CarrierName } from '../channels/carrier-config';
import { isStartWord, isStopWord } from '../../shared/keywords';
import { bearer, googleAssertionOk, notifyJwtOk, twilioBasicOk, type GoogleAccount } from './carrier-auth';
import { deliver, postToHub, type DeliveryOptions, type HubAnswer } from './hub-client';
import { opaqueId, twilioSid, wamid } from './ids';
import { buildInbound, buildRcsSubscriptionEvent, rcsSubscriptionKeyword, type RcsSubscriptionChange } from './inbound-wire';
import { DEMO_LINES } from './dev-carriers';
import { PhoneNetwork, type PhoneMessage, type ReplyOption } from './phone-network';
import { buildReceipt } from './receipt-wire';
import { PhoneSendSchema, type PhoneSend, type ReceiptState, type SignedRequest } from './types';

export type RcsReach = 'capable' | 'not_capable' | 'offline';
/** Whether a WhatsApp message to a number arrives: `undeliverable` is accepted by the API and failed afterwards. */
export type WhatsAppReach = 'reachable' | 'undeliverable';

export interface ReceiptPlan {
  /** What the phone reports after a message is accepted, in this order; each carrier drops what it cannot say. */
  states: ReceiptState[];
  /** Post them in reverse order (carriers do not guarantee order). */
  reversed: boolean;
  /** Post each one twice (carriers deliver at least once). */
  duplicate: boolean;
  /** Wait before the first receipt, as a network does; the hub records the carrier's id after the API answers. */
  delayMs: number;
}

export interface CarrierSimulatorOptions {
  /** The same carrier settings the hub runs with: the simulator needs their secrets, not their base URLs. Settable later (`use`). */
  carriers?: CarrierConfig;
  /** Where inbound messages and receipts are posted. Settable later (`simulator.hubUrl = …`). */
  hubUrl?: string;
  host?: string;
  port?: number;
  /** RBM's service account, to check the hub's token requests. Without it RBM sends are refused. */
  googleAccount?: GoogleAccount;
  /** The hub's origin, allowed to call /_sim from the development phone page. */
  allowedOrigin?: string;
  receipts?: Partial<ReceiptPlan>;
  now?: () => number;
}

export interface RecordedCarrierRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const NO_CARRIERS: CarrierConfig = {
  requestTimeoutMs: 10_000,
  twilio: { enabled: false, reason: 'not configured' },
  whatsapp: { enabled: false, reason: 'not configured' },
  rbm: { enabled: false, reason: 'not configured' },
  notify: { enabled: false, reason: 'not configured' },
};
const BODY_LIMIT = 256 * 1024;
const RBM_FEATURES = ['RICHCARD_STANDALONE', 'RICHCARD_CAROUSEL', 'ACTION_CREATE_CALENDAR_EVENT', 'ACTION_DIAL', 'ACTION_OPEN_URL', 'ACTION_SHARE_LOCATION', 'ACTION_VIEW_LOCATION'];
const WHATSAPP_WINDOW_MS = 24 * 3_600_000;

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly json?: unknown,
  ) {}
}

const TwilioSendForm = z.object({
  To: z.string().min(1),
  From: z.string().optional(),
  MessagingServiceSid: z.string().optional(),
  Body: z.string().max(1600).optional(),
  ContentSid: z.string().optional(),
  ContentVariables: z.string().optional(),
  StatusCallback: z.url().optional(),
});

const WhatsAppSendBody = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  to: z.string().regex(/^\d{7,15}$/),
  type: z.enum(['text', 'interactive', 'template']),
  text: z.looseObject({ body: z.string().min(1).max(4096) }).optional(),
  interactive: z
    .looseObject({
      type: z.enum(['button', 'list']),
      body: z.looseObject({ text: z.string().min(1) }),
      action: z.looseObject({
        buttons: z.array(z.looseObject({ reply: z.looseObject({ id: z.string().max(256), title: z.string().max(20) }) })).max(3).optional(),
        sections: z.array(z.looseObject({ rows: z.array(z.looseObject({ id: z.string(), title: z.string().max(24) })) })).optional(),
      }),
    })
    .optional(),
  template: z.looseObject({ name: z.string(), components: z.array(z.looseObject({ parameters: z.array(z.looseObject({ text: z.string().optional() })).optional() })).optional() }).optional(),
});

const RbmSendBody = z.object({
  contentMessage: z.looseObject({
    text: z.string().min(1).max(3072),
    suggestions: z.array(z.looseObject({ reply: z.object({ text: z.string().max(25), postbackData: z.string().max(2048) }) })).max(11).optional(),
  }),
});

const NotifySendBody = z.looseObject({
  phone_number: z.string().min(1),
  template_id: z.string(),
  personalisation: z.record(z.string(), z.string()).optional(),
  reference: z.string().nullable().optional(),
  sms_sender_id: z.string().optional(),
});

const TapSchema = z.object({ providerMessageId: z.string().min(1).max(256), optionId: z.string().min(1).max(2048) });
const SimSendSchema = z.object({ send: PhoneSendSchema, copies: z.number().int().min(1).max(20).optional(), concurrent: z.boolean().optional() });

const googleError = (code: number, status: string, message: string) => new HttpAnswer(code, { error: { code, message, status } });
const twilioError = (status: number, code: number, message: string) =>
  new HttpAnswer(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

export class CarrierSimulator {
  readonly network = new PhoneNetwork();
  readonly requests: RecordedCarrierRequest[] = [];
  readonly receiptPlan: ReceiptPlan;
  hubUrl: string | undefined;
  /** The hub's origin, allowed to call /_sim from the phone page. */
  allowedOrigin: string | undefined;
  private carriers: CarrierConfig;
  private googleAccount: GoogleAccount | undefined;
  private readonly server: Server;
  private readonly now: () => number;
  private readonly rcs = new Map<string, RcsReach>();
  private readonly optedOutAtTwilio = new Set<string>();
  private readonly whatsappUndeliverable = new Set<string>();
  private readonly lastWhatsAppInbound = new Map<string, { at: number; line: string }>();
  private readonly rbmTokens = new Set<string>();
  private readonly rbmIds = new Set<string>();
  private readonly inflight = new Set<Promise<unknown>>();
  private address = '';

  private constructor(private readonly options: CarrierSimulatorOptions) {
    this.carriers = options.carriers ?? NO_CARRIERS;
    this.googleAccount = options.googleAccount;
    this.hubUrl = options.hubUrl;
    this.allowedOrigin = options.allowedOrigin;
    this.now = options.now ?? Date.now;
    this.receiptPlan = { states: ['sent', 'delivered', 'read'], reversed: false, duplicate: false, delayMs: 30, ...options.receipts };
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  static async start(options: CarrierSimulatorOptions): Promise<CarrierSimulator> {
    const simulator = new CarrierSimulator(options);
    await new Promise<void>((resolve, reject) => {
      simulator.server.once('error', reject);
      simulator.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    const address = simulator.server.address();
    if (address === null || typeof address === 'string') throw new Error('carrier simulator is not on a TCP port');
    simulator.address = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
    return simulator;
  }

  get url(): string {
    return this.address;
  }

  /** The base URLs the hub should call instead of the real carriers (docs/channels.md). */
  baseUrlEnv(): Record<string, string> {
    return {
      TWILIO_API_BASE_URL: `${this.url}/twilio`,
      WHATSAPP_API_BASE_URL: `${this.url}/whatsapp/v24.0`,
      RBM_API_BASE_URL: `${this.url}/rbm`,
      NOTIFY_API_BASE_URL: `${this.url}/notify`,
    };
  }

  /** Hands the simulator the secrets once they exist (they may name the simulator's own URL). */
  use(settings: { carriers: CarrierConfig; googleAccount?: GoogleAccount }): void {
    this.carriers = settings.carriers;
    this.googleAccount = settings.googleAccount;
  }

  /** Whether RBM can reach a number: capable (default), not on RCS (404), or switched off (held pending). */
  setRcs(phone: string, reach: RcsReach): void {
    this.rcs.set(phone, reach);
    if (reach !== 'offline') {
      for (const message of this.network.messages) {
        if (message.phone === phone && message.carrier === 'rbm' && message.state === 'pending') {
          message.state = 'accepted';
          this.scheduleReceipts(message);
        }
      }
    }
  }

  /**
   * Whether WhatsApp messages reach a number. `undeliverable` is what a phone that left WhatsApp, or never accepted its
   * terms, looks like: the send is accepted and a failed status follows (Meta 131026, Twilio 63024).
   */
  setWhatsApp(phone: string, reach: WhatsAppReach): void {
    if (reach === 'undeliverable') this.whatsappUndeliverable.add(phone);
    else this.whatsappUndeliverable.delete(phone);
  }

  /** A patient's phone sends a message: the carrier posts it to the hub (`copies` > 1: redeliveries). */
  async send(input: PhoneSend, options: DeliveryOptions = {}): Promise<{ message: PhoneMessage; answers: HubAnswer[] }> {
    const send = PhoneSendSchema.parse(input);
    const hubUrl = this.requireHub();
    const built = buildInbound(this.carriers, send, this.now());
    const carrier: CarrierName = send.route === 'twilio-sms' || send.route === 'twilio-whatsapp' ? 'twilio' : send.route;
    const channel = send.route === 'rbm' ? 'rcs' : send.route === 'whatsapp' || send.route === 'twilio-whatsapp' ? 'whatsapp' : 'sms';
    const line = send.route === 'rbm' && this.carriers.rbm.enabled ? this.carriers.rbm.settings.lineNumber : send.to;
    const text = send.reply?.title ?? send.text ?? '';
    // The carrier itself acts on these before the hub hears of them (CHANNELS.md: Twilio's opt-out).
    if (send.route === 'twilio-sms' && isStopWord(text)) this.optedOutAtTwilio.add(send.from);
    if (send.route === 'twilio-sms' && isStartWord(text)) this.optedOutAtTwilio.delete(send.from);
    if (channel === 'whatsapp') this.lastWhatsAppInbound.set(send.from, { at: this.now(), line: send.to });
    const message = this.network.record({
      direction: 'in',
      carrier,
      channel,
      phone: send.from,
      line,
      text,
      options: [],
      providerMessageId: built.id,
      state: 'received',
      hubAnswers: [],
      at: this.now(),
      route: send.route,
    });
    const answers = await deliver(hubUrl, built.request, options);
    message.hubAnswers.push(...answers.map((answer) => answer.status));
    this.network.changed(message);
    return { message, answers };
  }

  /**
   * The user taps Unsubscribe (or Subscribe) in Google Messages. Google posts the UNSUBSCRIBE / SUBSCRIBE event and,
   * unless `keyword` is false, Google Messages also sends the country's keyword text as a message from the user
   * (rcsSubscriptionKeyword). `keyword: false` is the event alone: the text lost, late, or not yet sent.
   */
  async rcsSubscription(
    phone: string,
    change: RcsSubscriptionChange,
    options: DeliveryOptions & { keyword?: boolean; eventId?: string } = {},
  ): Promise<{ eventId: string; request: SignedRequest; answers: HubAnswer[]; keyword?: PhoneMessage }> {
    const hubUrl = this.requireHub();
    const setting = this.carriers.rbm;
    const { keyword = true, eventId, ...delivery } = options;
    const built = buildRcsSubscriptionEvent(this.carriers, { phone, change, ...(eventId === undefined ? {} : { eventId }) }, this.now());
    const answers = await deliver(hubUrl, built.request, delivery);
    if (!keyword || !setting.enabled) return { ...built, answers };
    const text = await this.send({ route: 'rbm', from: phone, to: setting.settings.lineNumber, text: rcsSubscriptionKeyword(phone, change) });
    return { ...built, answers: [...answers, ...text.answers], keyword: text.message };
  }

  /** The phone taps a button, list row or suggested reply on a message the hub sent it. */
  async tap(providerMessageId: string, optionId: string, options: DeliveryOptions = {}): Promise<{ message: PhoneMessage; answers: HubAnswer[] }> {
    const original = this.network.find(providerMessageId);
    const option = original?.options.find((candidate) => candidate.id === optionId);
    if (original === undefined || original.direction !== 'out' || option === undefined) throw new Error('no such message or option on this phone');
    const reply = { id: option.id, title: option.title };
    const base = { from: original.phone, to: original.line, reply, inReplyTo: original.providerMessageId } as const;
    if (original.carrier === 'rbm') return this.send({ ...base, route: 'rbm' }, options);
    if (original.carrier === 'twilio') return this.send({ ...base, route: 'twilio-whatsapp' }, options);
    const replyKind = original.text.startsWith('[list]') ? 'list' : 'button';
    return this.send({ ...base, route: 'whatsapp', replyKind }, options);
  }

  /** Posts receipts for a message the hub sent, in the order given (out of order and repeated on request). */
  async postReceipts(providerMessageId: string, states: ReceiptState[], errorCode?: string): Promise<HubAnswer[]> {
    const message = this.network.find(providerMessageId);
    if (message === undefined || message.direction !== 'out') throw new Error('no such outbound message');
    const answers: HubAnswer[] = [];
    for (const state of states) {
      const request = buildReceipt(
        this.carriers,
        {
          carrier: message.carrier,
          providerMessageId,
          state,
          to: message.phone,
          from: message.twilio?.from ?? message.line,
          ...(message.twilio !== undefined ? { statusCallback: message.twilio.statusCallback, whatsapp: message.twilio.whatsapp } : {}),
          ...(message.reference !== undefined ? { reference: message.reference } : {}),
          ...(errorCode !== undefined ? { errorCode } : {}),
          createdAt: message.at,
        },
        this.now(),
      );
      if (request === null) continue;
      const answer = await postToHub(this.requireHub(), request);
      answers.push(answer);
      message.hubAnswers.push(answer.status);
      if (answer.status < 300 && (state === 'failed' || rank(state) > rank(message.state))) message.state = state;
      this.network.changed(message);
    }
    return answers;
  }

  /** Resolves when every receipt the simulator scheduled has been posted. */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.settled();
  }

  private requireHub(): string {
    if (this.hubUrl === undefined) throw new Error('the simulator does not know the hub URL yet');
    return this.hubUrl;
  }

  private scheduleReceipts(message: PhoneMessage, failure?: string): void {
    const plan = this.receiptPlan;
    const states: ReceiptState[] = failure !== undefined ? ['failed'] : plan.reversed ? [...plan.states].reverse() : [...plan.states];
    const sequence = plan.duplicate ? states.flatMap((state) => [state, state]) : states;
    const work = new Promise((resolve) => setTimeout(resolve, plan.delayMs))
      .then(() => this.postReceipts(message.providerMessageId, sequence, failure))
      .catch(() => {
        // The hub may be down or gone; a real carrier would retry later, the phone keeps its last state.
      });
    this.inflight.add(work);
    void work.finally(() => this.inflight.delete(work));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let answer: HttpAnswer;
    try {
      const body = await readBody(request);
      const url = new URL(request.url ?? '/', 'http://simulator');
      this.requests.push({ method: request.method ?? '', path: url.pathname + url.search, headers: request.headers, body: body.toString('utf8') });
      if (url.pathname.startsWith('/_sim/')) return this.handleSim(request, response, url, body);
      answer = this.route(request, url, body);
    } catch (error) {
      answer = error instanceof HttpAnswer ? error : new HttpAnswer(500, { error: 'simulator_fault' });
    }
    const text = answer.json === undefined ? '' : JSON.stringify(answer.json);
    response.writeHead(answer.status, text === '' ? {} : { 'content-type': 'application/json' });
    response.end(text);
  }

  private route(request: IncomingMessage, url: URL, body: Buffer): HttpAnswer {
    const method = request.method ?? 'GET';
    const path = url.pathname;
    let match: RegExpExecArray | null;
    if (method === 'POST' && (match = /^\/twilio\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path)) !== null) {
      return this.twilioSend(request, match[1] ?? '', body);
    }
    if (method === 'POST' && (match = /^\/whatsapp\/v[\d.]+\/([^/]+)\/messages$/.exec(path)) !== null) {
      return this.whatsAppSend(request, match[1] ?? '', body);
    }
    if (method === 'POST' && path === '/google/token') return this.googleToken(body);
    if ((match = /^\/rbm\/v1\/phones\/([^/]+)\/(agentMessages|capabilities)(?:\/([^/]+))?$/.exec(path)) !== null) {
      return this.rbm(request, decodeURIComponent(match[1] ?? ''), match[2] ?? '', match[3], url, body);
    }
    if (method === 'POST' && path === '/notify/v2/notifications/sms') return this.notifySend(request, body);
    return new HttpAnswer(404, { error: 'not a simulated carrier endpoint' });
  }

  private twilioSend(request: IncomingMessage, accountSid: string, body: Buffer): HttpAnswer {
    const setting = this.carriers.twilio;
    if (!setting.enabled || accountSid !== setting.settings.accountSid || !twilioBasicOk(request.headers.authorization, setting.settings.accountSid, setting.settings.authToken)) {
      return twilioError(401, 20003, 'Authenticate');
    }
    const form = TwilioSendForm.safeParse(Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
    if (!form.success) return twilioError(400, 21602, 'Message body is required.');
    const fields = form.data;
    if (fields.Body === undefined && fields.ContentSid === undefined) return twilioError(400, 21602, 'Message body is required.');
    if (fields.From === undefined && fields.MessagingServiceSid === undefined) return twilioError(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message");
    const whatsapp = fields.To.startsWith('whatsapp:');
    const phone = fields.To.replace(/^whatsapp:/, '');
    if (!/^\+[1-9]\d{6,14}$/.test(phone)) return twilioError(400, 21211, `The 'To' number ${fields.To} is not a valid phone number.`);
    if (!whatsapp && this.optedOutAtTwilio.has(phone)) return twilioError(400, 21610, 'Attempt to send to unsubscribed recipient');
    const sid = twilioSid('SM');
    const from = fields.From ?? '';
    const text = fields.Body ?? `[template ${fields.ContentSid ?? ''}] ${fields.ContentVariables ?? ''}`;
    const message = this.network.record({
      direction: 'out',
      carrier: 'twilio',
      channel: whatsapp ? 'whatsapp' : 'sms',
      phone,
      line: from.replace(/^whatsapp:/, ''),
      text,
      options: [],
      providerMessageId: sid,
      state: 'accepted',
      hubAnswers: [],
      at: this.now(),
      twilio: { from, statusCallback: fields.StatusCallback ?? `${setting.settings.publicUrl}/webhooks/twilio/status`, whatsapp },
    });
    if (fields.StatusCallback !== undefined) this.scheduleReceipts(message, whatsapp && this.whatsappUndeliverable.has(phone) ? '63024' : undefined);
    const created = new Date(this.now()).toUTCString().replace('GMT', '+0000');
    return new HttpAnswer(201, {
      account_sid: accountSid,
      api_version: '2010-04-01',
      body: text,
      date_created: created,
      date_sent: null,
      date_updated: created,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: from === '' ? null : from,
      messaging_service_sid: fields.MessagingServiceSid ?? null,
      num_media: '0',
      num_segments: '1',
      price: null,
      price_unit: 'GBP',
      sid,
      status: 'queued',
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
      to: fields.To,
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
    });
  }

  private whatsAppSend(request: IncomingMessage, phoneNumberId: string, body: Buffer): HttpAnswer {
    const setting = this.carriers.whatsapp;
    const graphError = (status: number, code: number, message: string, type = 'OAuthException') =>
      new HttpAnswer(status, { error: { message, type, code, fbtrace_id: 'AsimulatedTraceId0' } });
    if (!setting.enabled || bearer(request.headers.authorization) !== setting.settings.accessToken) return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    if (phoneNumberId !== setting.settings.phoneNumberId) {
      return graphError(400, 100, `Unsupported post request. Object with ID '${phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 'GraphMethodException');
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return graphError(400, 100, 'Invalid parameter', 'OAuthException');
    }
    const parsed = WhatsAppSendBody.safeParse(json);
    if (!parsed.success) return graphError(400, 100, 'Invalid parameter');
    const sent = parsed.data;
    let text = sent.text?.body ?? sent.interactive?.body.text ?? '';
    let options: ReplyOption[] = [];
    if (sent.type === 'interactive' && sent.interactive !== undefined) {
      const { action, type } = sent.interactive;
      options =
        type === 'button'
          ? (action.buttons ?? []).map((button) => ({ id: button.reply.id, title: button.reply.title }))
          : (action.sections ?? []).flatMap((section) => section.rows.map((row) => ({ id: row.id, title: row.title })));
      if (type === 'list') text = `[list] ${text}`;
    }
    if (sent.type === 'template' && sent.template !== undefined) {
      const parameters = (sent.template.components ?? []).flatMap((component) => (component.parameters ?? []).map((parameter) => parameter.text ?? ''));
      text = `[template ${sent.template.name}] ${parameters.join(' · ')}`;
    }
    const phone = `+${sent.to}`;
    const id = wamid();
    const last = this.lastWhatsAppInbound.get(phone);
    const message = this.network.record({
      direction: 'out',
      carrier: 'whatsapp',
      channel: 'whatsapp',
      phone,
      // One WhatsApp business number per phone_number_id; the simulator answers from the line the patient wrote to.
      line: last?.line ?? DEMO_LINES.martha,
      text,
      options,
      providerMessageId: id,
      state: 'accepted',
      hubAnswers: [],
      at: this.now(),
    });
    // Meta accepts a free-form message outside the 24-hour window and fails it afterwards (131047).
    const windowOpen = last !== undefined && this.now() - last.at < WHATSAPP_WINDOW_MS;
    const failure = this.whatsappUndeliverable.has(phone) ? '131026' : sent.type !== 'template' && !windowOpen ? '131047' : undefined;
    this.scheduleReceipts(message, failure);
    return new HttpAnswer(200, { messaging_product: 'whatsapp', contacts: [{ input: sent.to, wa_id: sent.to }], messages: [{ id }] });
  }

  private googleToken(body: Buffer): HttpAnswer {
    const form = new URLSearchParams(body.toString('utf8'));
    const account = this.googleAccount;
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || account === undefined || !googleAssertionOk(form.get('assertion') ?? '', account, this.now())) {
      return new HttpAnswer(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    }
    const token = `ya29.sim-${opaqueId()}`;
    this.rbmTokens.add(token);
    return new HttpAnswer(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
  }

  private rbm(request: IncomingMessage, phone: string, resource: string, messageId: string | undefined, url: URL, body: Buffer): HttpAnswer {
    const setting = this.carriers.rbm;
    const token = bearer(request.headers.authorization);
    if (!setting.enabled || token === undefined || !this.rbmTokens.has(token)) {
      return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token.');
    }
    if (url.searchParams.get('agentId') !== setting.settings.agentId) return googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission');
    const reach = this.rcs.get(phone) ?? 'capable';
    const method = request.method ?? 'GET';
    if (resource === 'capabilities' && method === 'GET') {
      if (url.searchParams.get('requestId') === null) return googleError(400, 'INVALID_ARGUMENT', 'requestId is required');
      return reach === 'not_capable' ? googleError(404, 'NOT_FOUND', 'Requested entity was not found.') : new HttpAnswer(200, { features: RBM_FEATURES });
    }
    if (resource === 'agentMessages' && method === 'DELETE' && messageId !== undefined) {
      const message = this.network.find(messageId);
      if (message === undefined || message.state !== 'pending') return googleError(404, 'NOT_FOUND', 'Requested entity was not found.');
      message.state = 'revoked';
      this.network.changed(message);
      return new HttpAnswer(200, {});
    }
    if (resource !== 'agentMessages' || method !== 'POST' || messageId !== undefined) return googleError(404, 'NOT_FOUND', 'Requested entity was not found.');
    const id = url.searchParams.get('messageId');
    if (id === null || id === '') return googleError(400, 'INVALID_ARGUMENT', 'messageId is required');
    if (reach === 'not_capable') return googleError(404, 'NOT_FOUND', 'Requested entity was not found.');
    if (this.rbmIds.has(id)) return googleError(409, 'ALREADY_EXISTS', 'Message with the same ID already exists.');
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    }
    const parsed = RbmSendBody.safeParse(json);
    if (!parsed.success) return googleError(400, 'INVALID_ARGUMENT', 'Invalid agent message.');
    this.rbmIds.add(id);
    const content = parsed.data.contentMessage;
    const message = this.network.record({
      direction: 'out',
      carrier: 'rbm',
      channel: 'rcs',
      phone,
      line: setting.settings.lineNumber,
      text: content.text,
      options: (content.suggestions ?? []).map((suggestion) => ({ id: suggestion.reply.postbackData, title: suggestion.reply.text })),
      providerMessageId: id,
      // A switched-off handset: Google holds the message (for up to 30 days) until it can deliver or it is revoked.
      state: reach === 'offline' ? 'pending' : 'accepted',
      hubAnswers: [],
      at: this.now(),
    });
    if (reach !== 'offline') this.scheduleReceipts(message);
    return new HttpAnswer(200, { name: `phones/${phone}/agentMessages/${id}`, sendTime: new Date(this.now()).toISOString(), contentMessage: content });
  }

  private notifySend(request: IncomingMessage, body: Buffer): HttpAnswer {
    const setting = this.carriers.notify;
    const authError = (message: string) => new HttpAnswer(403, { errors: [{ error: 'AuthError', message }], status_code: 403 });
    if (!setting.enabled) return authError('Invalid token: service not found');
    const verdict = notifyJwtOk(request.headers.authorization, setting.settings.serviceId, setting.settings.apiKeySecret, this.now());
    if (verdict === 'missing') return new HttpAnswer(401, { errors: [{ error: 'AuthError', message: 'Unauthorized: authentication token must be provided' }], status_code: 401 });
    if (verdict === 'expired') return authError('Error: Your system clock must be accurate to within 30 seconds');
    if (verdict !== 'ok') return authError('Invalid token: API key not found');
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return new HttpAnswer(400, { errors: [{ error: 'BadRequestError', message: 'Invalid JSON supplied in POST data' }], status_code: 400 });
    }
    const parsed = NotifySendBody.safeParse(json);
    if (!parsed.success) return new HttpAnswer(400, { errors: [{ error: 'ValidationError', message: 'phone_number is a required property' }], status_code: 400 });
    const sent = parsed.data;
    if (sent.template_id !== setting.settings.templateId) return new HttpAnswer(400, { errors: [{ error: 'BadRequestError', message: 'Template not found' }], status_code: 400 });
    // Clarion's template is `((body))` (docs/channels.md): the text is the personalisation.
    const text = sent.personalisation?.body ?? '';
    const id = opaqueId();
    const phone = sent.phone_number.startsWith('+') ? sent.phone_number : `+${sent.phone_number.replace(/^0/, '44')}`;
    const message = this.network.record({
      direction: 'out',
      carrier: 'notify',
      channel: 'sms',
      phone,
      line: '',
      text,
      options: [],
      providerMessageId: id,
      state: 'accepted',
      hubAnswers: [],
      at: this.now(),
      reference: sent.reference ?? null,
    });
    this.scheduleReceipts(message);
    return new HttpAnswer(201, {
      id,
      reference: sent.reference ?? null,
      content: { body: text, from_number: 'CLARION' },
      uri: `${this.url}/notify/v2/notifications/${id}`,
      template: { id: setting.settings.templateId, version: 1, uri: `${this.url}/notify/v2/template/${setting.settings.templateId}` },
      scheduled_for: null,
    });
  }

  /** The development phone page's API: read a phone's conversation, send as it, tap an option. */
  private async handleSim(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const origin = request.headers.origin;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
    if (origin !== undefined && origin === this.allowedOrigin) {
      Object.assign(headers, { 'access-control-allow-origin': origin, vary: 'Origin', 'access-control-allow-headers': 'content-type', 'access-control-allow-methods': 'GET, POST' });
    }
    const reply = (status: number, json: unknown) => {
      response.writeHead(status, headers);
      response.end(JSON.stringify(json));
    };
    if (request.method === 'OPTIONS') {
      response.writeHead(204, headers);
      return void response.end();
    }
    try {
      if (request.method === 'GET' && url.pathname === '/_sim/conversation') {
        const phone = url.searchParams.get('phone') ?? '';
        return reply(200, { phone, messages: this.network.conversation(phone) });
      }
      if (request.method === 'GET' && url.pathname === '/_sim/routes') {
        const { twilio, whatsapp, rbm, notify } = this.carriers;
        return reply(200, {
          routes: { 'twilio-sms': twilio.enabled, 'twilio-whatsapp': twilio.enabled, whatsapp: whatsapp.enabled, rbm: rbm.enabled, notify: notify.enabled },
          rbmLine: rbm.enabled ? rbm.settings.lineNumber : null,
        });
      }
      if (request.method === 'POST' && url.pathname === '/_sim/send') {
        const parsed = SimSendSchema.safeParse(JSON.parse(body.toString('utf8')));
        if (!parsed.success) return reply(400, { error: z.prettifyError(parsed.error) });
        const { message, answers } = await this.send(parsed.data.send, { copies: parsed.data.copies ?? 1, concurrent: parsed.data.concurrent ?? false });
        return reply(200, { providerMessageId: message.providerMessageId, statuses: answers.map((answer) => answer.status) });
      }
      if (request.method === 'POST' && url.pathname === '/_sim/tap') {
        const parsed = TapSchema.safeParse(JSON.parse(body.toString('utf8')));
        if (!parsed.success) return reply(400, { error: z.prettifyError(parsed.error) });
        const { message, answers } = await this.tap(parsed.data.providerMessageId, parsed.data.optionId);
        return reply(200, { providerMessageId: message.providerMessageId, statuses: answers.map((answer) => answer.status) });
      }
      return reply(404, { error: 'not found' });
    } catch (error) {
      return reply(400, { error: error instanceof Error ? error.message : 'failed' });
    }
  }
}

const ORDER: Record<PhoneMessage['state'], number> = { pending: 0, received: 0, revoked: 0, accepted: 1, sent: 2, delivered: 3, read: 4, failed: 1 };
function rank(state: PhoneMessage['state']): number {
  return ORDER[state];
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        reject(new HttpAnswer(413, { error: 'too large' }));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
