// Composes one hub: store, intake, commands, HTTP routes and the desks' Socket.IO endpoint on one port.
// Used by the CLI (`clarion hub`), by `npm start`, and by every test that needs a real hub.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { createClient } from 'redis';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server } from 'socket.io';
import type { UserView } from '../shared/domain';
import type { InboundMessage } from '../shared/inbound';
import { createStaff, type NewStaff } from './auth/staff-directory';
import { listDisabledCarriers, loadCarrierConfig, type CarrierConfig } from './channels/carrier-config';
import { registerCarrierWebhooks } from './channels/webhook-routes';
import { systemClock, type Clock } from './clock';
import { CaseCommands } from './commands/case-commands';
import { applySubscriptionChange } from './consent/carrier-subscription';
import { HubConfigSchema, maskUrl, type HubConfig, type HubConfigInput } from './config/hub-config';
import { loadSiteConfig, type LoadedSiteConfig } from './config/load-site-config';
import type { SiteConfig } from './config/site-config';
import { seedDemoStaff, type DemoCredential } from './demo/demo-staff';
import { registerDeskStatic } from './http/desk-static';
import { registerDevRoutes } from './http/dev-routes';
import { registerHealthRoutes } from './http/health-routes';
import { registerOverdueTimerMetrics } from './escalation/overdue-timers';
import { registerLoginRoute } from './http/login-route';
import { loadBankHolidays } from './escalation/bank-holiday-file';
import { EscalationEngine } from './escalation/engine';
import { registerMeasureMetrics } from './escalation/measures';
import { PolicyBook } from './escalation/policy-book';
import { PolicyEditor } from './escalation/policy-editor';
import { registerReportRoutes } from './escalation/report-routes';
import { Presence } from './escalation/presence';
import { Intake, type ReceiveResult } from './intake/receive';
import { createLogger, type Logger } from './observability/logger';
import { HubMetrics } from './observability/metrics';
import { outboundCarriers, type WhatsAppTemplate } from './outbox/carrier-clients';
import { EarlyReceipts } from './outbox/early-receipts';
import { registerOutboxMetrics } from './outbox/outbox-metrics';
import { OutboxSender, type OutboxSenderOptions } from './outbox/outbox-sender';
import { registerSendingMetrics, sendingChannels, sendingWarning } from './outbox/sending-reach';
import { attachDeskGateway, type DeskServer } from './realtime/desk-gateway';
import { AuditChainWatch, registerAuditChainMetrics, type AuditWatchOptions } from './store/audit-watch';
import { openStore, type Store } from './store/open-store';
import { readDevCarriers, withDevCarriers } from './simulator/dev-carriers';
import { registerPhonePage } from './simulator/phone-page';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../dist/renderer', import.meta.url));

export interface HubOptions extends HubConfigInput {
  clock?: Clock;
  /** Overrides the data dir's config file (tests). */
  site?: SiteConfig;
  /** Create the demo accounts on first run of the demo configuration. @default false */
  seedDemoStaff?: boolean;
  rendererDir?: string;
  logger?: Logger;
  /** Carrier settings; read from the environment when not given (docs/channels.md). */
  carriers?: CarrierConfig;
  /** Redis channel prefix shared by the hubs of one deployment (tests give each run its own). @default 'clarion' */
  redisChannel?: string;
  /**
   * The outbox sender (server/outbox/, docs/channels.md "Outbound"). It polls only when a carrier that sends is enabled;
   * `autoStart: false` leaves sending to `hub.outbox.runDue()`, for tests that drive it with a ManualClock.
   * @default { autoStart: true, pollIntervalMs: 1000 }
   */
  outbox?: Omit<OutboxSenderOptions, 'clock' | 'carriers' | 'log'> & {
    autoStart?: boolean;
    pollIntervalMs?: number;
    whatsappTemplate?: WhatsAppTemplate;
    /**
     * A hub with no carrier at all holds replies Queued (the sender does not run) instead of refusing staff replies and
     * failing automatic ones (H6, docs/channels.md "No carrier to send by"). For the demo, which has no carrier until
     * `clarion simulate init`, and tests not about sending. Ignored once any carrier sends.
     * @default true in development mode, false in production
     */
    holdWithoutCarrier?: boolean;
  };
  /**
   * Receipts that overtook the send (server/outbox/early-receipts.ts). Those held for a message whose id is recorded are
   * applied at start and then every `sweepIntervalMs` (real time; 0: only at start), in case the sender's own release
   * of them failed. @default { sweepIntervalMs: 30_000 }
   */
  earlyReceipts?: { sweepIntervalMs?: number };
  /** Arm a real timer for the next escalation deadline; tests driving a ManualClock may leave it on. @default true */
  escalationTimer?: boolean;
  /** How often desks whose session has ended are disconnected (real time; server/realtime/desk-gateway.ts). @default 30_000 */
  sessionSweepMs?: number;
  /** The audit chain watch (server/store/audit-watch.ts): incremental every minute, a full walk at start and daily. */
  auditWatch?: AuditWatchOptions;
}

export interface Hub {
  readonly url: string;
  readonly port: number;
  readonly config: HubConfig;
  readonly carriers: CarrierConfig;
  readonly site: SiteConfig;
  readonly siteSource: LoadedSiteConfig['source'];
  readonly demo: boolean;
  /** Demo accounts created by this start (empty unless it seeded them). Printed once by the CLI, never stored. */
  readonly demoCredentials: DemoCredential[];
  readonly store: Store;
  readonly intake: Intake;
  readonly commands: CaseCommands;
  readonly metrics: HubMetrics;
  readonly outbox: OutboxSender;
  /** Deadlines, ladders and alerts (docs/escalation.md); `escalation.scheduler.advanceTo()` fires what is due. */
  readonly escalation: EscalationEngine;
  readonly policies: PolicyEditor;
  readonly presence: Presence;
  /** Verifies the audit chain on a schedule; `incremental()` and `full()` run a check now (tests). */
  readonly auditChain: AuditChainWatch;
  readonly app: FastifyInstance;
  readonly io: DeskServer;
  addUser(staff: NewStaff): Promise<UserView>;
  receive(message: InboundMessage): Promise<ReceiveResult>;
  close(): Promise<void>;
}

export async function createHub(options: HubOptions = {}): Promise<Hub> {
  const { clock = systemClock, site: siteOverride, seedDemoStaff: wantDemoStaff = false, rendererDir = DEFAULT_RENDERER_DIR, logger, redisChannel = 'clarion', carriers: carriersOption, outbox: outboxOptions = {}, earlyReceipts: earlyReceiptOptions = {}, escalationTimer = true, auditWatch: auditWatchOptions, ...input } = options;
  const config = HubConfigSchema.parse(input);
  // Development only: secrets `clarion simulate` generated into the data dir fill what the environment leaves unset.
  const devCarriers = config.mode === 'development' ? readDevCarriers(config.dataDir) : undefined;
  const carriers = carriersOption ?? loadCarrierConfig(withDevCarriers(devCarriers, process.env));
  const log = logger ?? createLogger(config.logLevel);
  const loaded = siteOverride === undefined ? loadSiteConfig(config.dataDir) : { site: siteOverride, demo: false, source: 'supplied by the caller' };
  const site = loaded.site;

  const store = await openStore(config.databaseUrl === undefined ? { kind: 'sqlite', dataDir: config.dataDir } : { kind: 'postgres', url: config.databaseUrl }, clock);
  const metrics = new HubMetrics();
  store.writes.observe(metrics.writes);
  // Receipts are applied monotonically; one that overtakes the send is held in the store until the sender records the
  // carrier's id.
  const earlyReceipts = new EarlyReceipts(store, { log: log.child({ component: 'receipts' }) });
  const presence = new Presence();
  const policyBook = new PolicyBook(site, loadBankHolidays(config.dataDir).dates);
  const policies = new PolicyEditor(store, site, policyBook, log.child({ component: 'policies' }));
  // Admins' stored edits replace the config's policies before the first alert can start.
  await policies.load();
  policies.startRefreshing(10_000);
  const escalation = new EscalationEngine({
    store,
    site,
    book: policyBook,
    presence,
    clock,
    log: log.child({ component: 'escalation' }),
    registry: metrics.registry,
    armTimer: escalationTimer,
  });
  registerMeasureMetrics(metrics.registry, store.db, clock);
  registerOutboxMetrics(metrics.registry, store.db, clock);
  registerOverdueTimerMetrics(metrics.registry, store.db, clock);
  const auditChain = new AuditChainWatch(store.db, clock, log.child({ component: 'audit' }), auditWatchOptions);
  registerAuditChainMetrics(metrics.registry, auditChain);
  const intake = new Intake(store, site, escalation);
  const { autoStart = true, pollIntervalMs = 1_000, whatsappTemplate, holdWithoutCarrier = config.mode === 'development', ...senderOptions } = outboxOptions;
  const outbound = outboundCarriers(carriers, clock, whatsappTemplate);
  registerSendingMetrics(metrics.registry, outbound);
  const sends = carriers.twilio.enabled || carriers.whatsapp.enabled || carriers.rbm.enabled || carriers.notify.enabled;
  const held = holdWithoutCarrier && !sends;
  const commands = new CaseCommands(store, site, escalation, held ? undefined : outbound);
  const demoCredentials = loaded.demo && wantDemoStaff ? await seedDemoStaff(store) : [];

  // Fastify's own logger is off: routes log through the hub's pino logger, one structured line per event.
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, trustProxy: false });
  await app.register(fastifyFormbody);
  registerLoginRoute(app, { store, clock, metrics, log: log.child({ component: 'login' }), sessionLifetimeMs: config.sessionHours * 3_600_000 });
  registerHealthRoutes(app, { store, metrics, clock, log: log.child({ component: 'health' }), sending: () => sendingChannels(outbound), auditChain: () => auditChain.state() });
  registerReportRoutes(app, { store, clock, log: log.child({ component: 'reports' }) });
  await registerCarrierWebhooks(app, {
    config: carriers,
    log: log.child({ component: 'webhooks' }),
    now: () => clock.now(),
    intake: {
      receive: async (message) => {
        const result = await intake.receive(message);
        if (result.duplicate) metrics.duplicatesIgnored.inc({ provider: message.provider });
        else metrics.messagesReceived.inc({ channel: message.channel, provider: message.provider });
        return result;
      },
      applyDeliveryStatus: async (status) => {
        await earlyReceipts.apply(status);
      },
      applySubscriptionChange: async (change) => {
        await applySubscriptionChange(store, change);
      },
    },
  });
  for (const { carrier, reason } of listDisabledCarriers(carriers)) log.warn({ carrier }, `[channels] ${reason}`);
  if (config.mode === 'development') {
    registerDevRoutes(app, { intake, clock });
    registerPhonePage(app, { simulatorUrl: devCarriers?.simulatorUrl });
  }
  await registerDeskStatic(app, rendererDir);

  const io: DeskServer = new Server(app.server, {
    serveClient: false,
    // Measured: compression cuts broadcast fan-out about 20× (ARCHITECTURE.md, performance notes).
    perMessageDeflate: false,
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });
  const redisClients = config.redisUrl === undefined ? [] : await attachRedisAdapter(io, config.redisUrl, redisChannel);
  const gateway = attachDeskGateway(io, { store, site, commands, clock, metrics, log: log.child({ component: 'desk' }), escalation: { engine: escalation, presence }, policies, clustered: redisClients.length > 0, ...(options.sessionSweepMs === undefined ? {} : { sessionSweepMs: options.sessionSweepMs }) });
  store.writes.onCommit((events) => gateway.broadcast(events));
  // The configured delivery-report deadlines, unless a test sets its own.
  const outbox = new OutboxSender(store, { deliveryConfirmMs: carriers.deliveryConfirmMs, ...senderOptions, clock, carriers: outbound, earlyReceipts, log: log.child({ component: 'outbox' }) });
  // Receipts held for an id the sender committed just before the hub stopped, before it could release them; then, on a
  // timer, those whose release failed while the hub runs.
  await earlyReceipts.releaseKnown();
  earlyReceipts.startSweeping(earlyReceiptOptions.sweepIntervalMs ?? 30_000);
  // Without a carrier the sender still runs (unless held): what is queued (an automatic reply, a row from before the
  // carriers were removed) fails with the reason and marks its case, rather than waiting Queued unseen (H6).
  if (autoStart && !held) outbox.start(pollIntervalMs);
  const warning = sendingWarning(outbound, held);
  if (warning !== undefined) log.warn({ channels: sendingChannels(outbound) }, warning);
  // After the broadcast is wired: timers that fell due while the hub was down fire as soon as the scheduler runs.
  await escalation.start();

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info(
    { url, store: store.dialect, location: store.location, site: loaded.source, mode: config.mode, redis: maskUrl(config.redisUrl), database: maskUrl(config.databaseUrl) },
    '[hub] listening',
  );
  // After listening: the first full walk of a long chain runs in the background while the hub serves.
  auditChain.start();

  let closed = false;
  return {
    url,
    port,
    config,
    carriers,
    site,
    siteSource: loaded.source,
    demo: loaded.demo,
    demoCredentials,
    store,
    intake,
    commands,
    metrics,
    outbox,
    escalation,
    policies,
    presence,
    auditChain,
    app,
    io,
    addUser: (staff) => createStaff(store, staff),
    receive: (message) => intake.receive(message),
    async close() {
      if (closed) return;
      closed = true;
      await outbox.stop();
      await earlyReceipts.stop();
      policies.stop();
      await escalation.stop();
      await auditChain.stop();
      gateway.stop();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await app.close().catch(() => {});
      await store.close();
      await Promise.all(redisClients.map((client) => client.quit().catch(() => {})));
    },
  };
}

async function attachRedisAdapter(io: DeskServer, url: string, key: string) {
  const publisher = createClient({ url });
  const subscriber = publisher.duplicate();
  await Promise.all([publisher.connect(), subscriber.connect()]);
  io.adapter(createAdapter(publisher, subscriber, { key }));
  return [publisher, subscriber];
}

/** A fresh id for a dev or test message. */
export function newProviderMessageId(): string {
  return randomUUID();
}
