// Prometheus metrics for one hub. A registry per hub (not prom-client's global) so tests can run several hubs in one
// process without their counters colliding.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { WriteObserver } from '../store/write-queue';

/** Milliseconds to a second: where commits and disk syncs live, healthy or not. */
const WRITE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export class HubMetrics {
  readonly registry = new Registry();
  readonly messagesReceived = new Counter({ name: 'clarion_messages_received_total', help: 'Inbound patient messages stored, by channel and provider', labelNames: ['channel', 'provider'] as const, registers: [this.registry] });
  readonly duplicatesIgnored = new Counter({ name: 'clarion_inbound_duplicates_total', help: 'Carrier redeliveries recognised and stored once', labelNames: ['provider'] as const, registers: [this.registry] });
  readonly commands = new Counter({ name: 'clarion_commands_total', help: 'Desk commands answered, by command and result code', labelNames: ['command', 'result'] as const, registers: [this.registry] });
  readonly eventsBroadcast = new Counter({ name: 'clarion_events_broadcast_total', help: 'Case events sent to desks after commit', registers: [this.registry] });
  readonly desksConnected = new Gauge({ name: 'clarion_desks_connected', help: 'Desk sockets connected to this hub', registers: [this.registry] });
  readonly loginFailures = new Counter({ name: 'clarion_login_failures_total', help: 'Failed or throttled login attempts', labelNames: ['reason'] as const, registers: [this.registry] });
  readonly writeSeconds = new Histogram({ name: 'clarion_write_seconds', help: 'One write (a webhook, a command, a timer batch) from being queued to its commit being durable', buckets: WRITE_BUCKETS, registers: [this.registry] });
  readonly transactionSeconds = new Histogram({ name: 'clarion_write_transaction_seconds', help: 'One group commit, begin to COMMIT (on SQLite the event loop is busy for all of it)', buckets: WRITE_BUCKETS, registers: [this.registry] });
  readonly syncSeconds = new Histogram({ name: 'clarion_write_sync_seconds', help: "The WAL sync after each SQLite commit (on the event loop when no other write waits, else on the thread pool): the disk's share of every answer", buckets: WRITE_BUCKETS, registers: [this.registry] });
  readonly batchWrites = new Histogram({ name: 'clarion_write_batch_size', help: 'Writes sharing one commit (group commit)', buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256], registers: [this.registry] });

  /** For the store's write queue (`store.writes.observe`). */
  readonly writes: WriteObserver = {
    transaction: (seconds, writes) => {
      this.transactionSeconds.observe(seconds);
      this.batchWrites.observe(writes);
    },
    sync: (seconds) => this.syncSeconds.observe(seconds),
    write: (seconds) => this.writeSeconds.observe(seconds),
  };

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
