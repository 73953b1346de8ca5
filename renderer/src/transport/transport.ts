// The desk's only door to the hub's socket. Stores receive this interface, never a raw socket, so
// a test can hand them a real client pointed at a real hub and nothing in a store knows about socket.io.
import type { CasePresence, ClientToServerEvents, DeskEvent } from '../../../shared/protocol';

export type { CasePresence };

export type RequestName = keyof ClientToServerEvents;
export type RequestPayload<N extends RequestName> = Parameters<ClientToServerEvents[N]>[0];
export type RequestResult<N extends RequestName> = Parameters<Parameters<ClientToServerEvents[N]>[1]>[0];

export type TransportStatus =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  /** The link dropped; socket.io keeps retrying with backoff. */
  | { kind: 'disconnected'; reason: string }
  /** The hub refused the handshake (token expired or revoked): retrying would not help. */
  | { kind: 'rejected'; reason: string };

export type TransportFailure = 'offline' | 'timeout' | 'invalid_response';

export class TransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export type Unsubscribe = () => void;

export interface Transport {
  connect(token: string): void;
  disconnect(): void;
  readonly connected: boolean;
  /** Sends and awaits the acknowledgement, parsed with the shared schema; rejects with TransportError. */
  request<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<RequestResult<N>>;
  /** Pushed events, already parsed: one commit's events in the desk's scope, in seq order. */
  onEvents(listener: (events: DeskEvent[]) => void): Unsubscribe;
  /** Who is viewing or typing in a case (ephemeral, outside the event sequence), already parsed. */
  onPresence(listener: (update: CasePresence) => void): Unsubscribe;
  /** A pushed payload that failed to parse: the desk can no longer trust its sequence and must resync. */
  onProtocolError(listener: (detail: string) => void): Unsubscribe;
  onStatus(listener: (status: TransportStatus) => void): Unsubscribe;
}
