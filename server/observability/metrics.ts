// Prometheus metrics for one hub. A registry per hub (not prom-client's global) so tests can run several hubs in one
// process without their counters colliding.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class HubMetrics {
  readonly registry = new Registry();
  readonly messagesReceived = new Counter({ name: 'clarion_messages_received_total', help: 'Inbound patient messages stored, by channel and provider', labelNames: ['channel', 'provider'] as const, registers: [this.registry] });
  readonly duplicatesIgnored = new Counter({ name: 'clarion_inbound_duplicates_total', help: 'Carrier redeliveries recognised and stored once', labelNames: ['provider'] as const, registers: [this.registry] });
  readonly commands = new Counter({ name: 'clarion_commands_total', help: 'Desk commands answered, by command and result code', labelNames: ['command', 'result'] as const, registers: [this.registry] });
  readonly eventsBroadcast = new Counter({ name: 'clarion_events_broadcast_total', help: 'Case events sent to desks after commit', registers: [this.registry] });
  readonly desksConnected = new Gauge({ name: 'clarion_desks_connected', help: 'Desk sockets connected to this hub', registers: [this.registry] });
  readonly loginFailures = new Counter({ name: 'clarion_login_failures_total', help: 'Failed or throttled login attempts', labelNames: ['reason'] as const, registers: [this.registry] });
  readonly writeSeconds = new Histogram({ name: 'clarion_write_seconds', help: 'Time from a write being queued to its commit', buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
