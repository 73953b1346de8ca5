// Transport over socket.io-client: websocket only (halves connect time, see ARCHITECTURE.md),
// every acknowledgement bounded by a timeout and parsed before it leaves this file.
import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import {
  AlertCountsResultSchema,
  BootstrapResultSchema,
  CaseDetailResultSchema,
  CaseProfileResultSchema,
  CasePresenceSchema,
  CommandResultSchema,
  DeskEventBatchSchema,
  type DeskEvent,
  MarthasRuleReportResultSchema,
  MeasuresResultSchema,
  MyAlertsResultSchema,
  PoliciesListResultSchema,
  PolicySetResultSchema,
  PresenceListResultSchema,
  PresenceSetResultSchema,
  ShiftResultSchema,
  ShiftStatusResultSchema,
  SyncResultSchema,
} from '../../../shared/protocol';
import {
  TransportError,
  type RequestName,
  type RequestPayload,
  type RequestResult,
  type Transport,
  type TransportStatus,
  type CasePresence,
  type Unsubscribe,
} from './transport';

const RESULT_SCHEMAS: { [N in RequestName]: z.ZodType<RequestResult<N>> } = {
  acknowledge: CommandResultSchema,
  assign: CommandResultSchema,
  triage: CommandResultSchema,
  reply: CommandResultSchema,
  resolve: CommandResultSchema,
  note: CommandResultSchema,
  unacknowledge: CommandResultSchema,
  silence: CommandResultSchema,
  page: CommandResultSchema,
  record_call: CommandResultSchema,
  link_patient: CommandResultSchema,
  dismiss_undelivered: CommandResultSchema,
  'reports:measures': MeasuresResultSchema,
  'reports:marthas-rule': MarthasRuleReportResultSchema,
  'shift:set': ShiftResultSchema,
  'alerts:counts': AlertCountsResultSchema,
  'alerts:mine': MyAlertsResultSchema,
  bootstrap: BootstrapResultSchema,
  sync: SyncResultSchema,
  'case:detail': CaseDetailResultSchema,
  'case:profile': CaseProfileResultSchema,
  'presence:set': PresenceSetResultSchema,
  'presence:list': PresenceListResultSchema,
  'shift:get': ShiftStatusResultSchema,
  'policies:list': PoliciesListResultSchema,
  'policies:set': PolicySetResultSchema,
};

export interface SocketTransportOptions {
  /** Hub origin; empty means the page's own origin (the hub serves the desk). @default '' */
  url?: string;
  /** How long to wait for an acknowledgement before giving up. @default 10000 */
  requestTimeoutMs?: number;
}

export class SocketTransport implements Transport {
  private socket: Socket | null = null;
  private readonly url: string;
  private readonly requestTimeoutMs: number;
  private readonly eventListeners = new Set<(events: DeskEvent[]) => void>();
  private readonly presenceListeners = new Set<(update: CasePresence) => void>();
  private readonly protocolErrorListeners = new Set<(detail: string) => void>();
  private readonly statusListeners = new Set<(status: TransportStatus) => void>();

  constructor(options: SocketTransportOptions = {}) {
    this.url = options.url ?? '';
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  connect(token: string): void {
    this.disconnect();
    const options = { auth: { token }, transports: ['websocket'], reconnectionDelayMax: 3000 };
    const socket = this.url ? io(this.url, options) : io(options);
    this.socket = socket;
    this.emitStatus({ kind: 'connecting' });
    socket.on('connect', () => this.emitStatus({ kind: 'connected' }));
    socket.on('disconnect', (reason) => {
      this.emitStatus({ kind: 'disconnected', reason });
      // socket.io does not retry after a server-side disconnect; a restarting hub may do exactly that.
      // If the session is really over, the next handshake is refused and we report `rejected`.
      if (reason === 'io server disconnect') setTimeout(() => this.socket === socket && socket.connect(), 1000);
    });
    socket.on('connect_error', (error) => {
      // `active` true: a network failure socket.io retries by itself. False: the hub's middleware said no,
      // either for good (the session is over) or because it could not check just now (retry ourselves).
      if (socket.active) {
        this.emitStatus({ kind: 'disconnected', reason: error.message });
      } else if (error.message.startsWith('unauthorized')) {
        this.emitStatus({ kind: 'rejected', reason: error.message });
      } else {
        this.emitStatus({ kind: 'disconnected', reason: error.message });
        setTimeout(() => this.socket === socket && socket.connect(), 2000);
      }
    });
    socket.on('events', (payload: unknown) => {
      const parsed = DeskEventBatchSchema.safeParse(payload);
      if (!parsed.success) {
        console.error('[transport] events failed validation', parsed.error.message);
        for (const listener of this.protocolErrorListeners) listener(parsed.error.message);
        return;
      }
      for (const listener of this.eventListeners) listener(parsed.data);
    });
    socket.on('presence', (payload: unknown) => {
      // Presence is a courtesy, not part of the sequence: a payload that does not parse is dropped, not resynced.
      const parsed = CasePresenceSchema.safeParse(payload);
      if (!parsed.success) {
        console.error('[transport] presence failed validation', parsed.error.message);
        return;
      }
      for (const listener of this.presenceListeners) listener(parsed.data);
    });
  }

  disconnect(): void {
    if (!this.socket) return;
    this.socket.removeAllListeners();
    this.socket.disconnect();
    this.socket = null;
  }

  async request<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<RequestResult<N>> {
    const socket = this.socket;
    // Refuse rather than let socket.io buffer: a command queued while offline would act on a view
    // the user can no longer see is current.
    if (!socket?.connected) throw new TransportError('offline', `not connected (${name})`);
    let raw: unknown;
    try {
      raw = await socket.timeout(this.requestTimeoutMs).emitWithAck(name, payload);
    } catch {
      throw new TransportError('timeout', `no answer to ${name} within ${this.requestTimeoutMs} ms`);
    }
    const parsed = RESULT_SCHEMAS[name].safeParse(raw);
    if (!parsed.success) {
      console.error(`[transport] ${name} answer failed validation`, parsed.error.message);
      throw new TransportError('invalid_response', `unexpected answer to ${name}`);
    }
    return parsed.data;
  }

  onEvents(listener: (events: DeskEvent[]) => void): Unsubscribe {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onPresence(listener: (update: CasePresence) => void): Unsubscribe {
    this.presenceListeners.add(listener);
    return () => this.presenceListeners.delete(listener);
  }

  onProtocolError(listener: (detail: string) => void): Unsubscribe {
    this.protocolErrorListeners.add(listener);
    return () => this.protocolErrorListeners.delete(listener);
  }

  onStatus(listener: (status: TransportStatus) => void): Unsubscribe {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private emitStatus(status: TransportStatus): void {
    for (const listener of this.statusListeners) listener(status);
  }
}
