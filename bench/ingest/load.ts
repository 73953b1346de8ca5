// The bench's sender: signed Twilio webhooks over keep-alive HTTP, either at a steady rate (each
// message sent at its own due time, never in bursts) or as a closed loop with a fixed number in flight.
import { Agent, request } from 'node:http';
import { loadCarrierConfig, type CarrierConfig } from '../../server/channels/carrier-config';
import { buildInbound } from '../../server/simulator/inbound-wire';
import type { SignedRequest } from '../../server/simulator/types';
import { preciseNow } from './protocol';

export const BENCH_LINE = '+447700900111';
export const PUBLIC_URL = 'https://clarion.example.nhs.uk';

export function benchCarrierEnv(): Record<string, string> {
  return {
    CLARION_PUBLIC_URL: PUBLIC_URL,
    TWILIO_ACCOUNT_SID: `AC${'5e'.repeat(16)}`,
    TWILIO_AUTH_TOKEN: 'bench-twilio-auth-token-0123456789',
    TWILIO_FROM: BENCH_LINE,
  };
}

/** How many patients write in turn: each opens one Martha's Rule case, and the hub sends each one first reply. */
export const PATIENTS = 200;
const TEXT = 'My mum is more breathless than this morning and the nurse has not been back. Can someone review her please?';

/** Requests built and signed before a phase starts, so signing does not compete with the server under test. */
export function buildRequests(carriers: CarrierConfig, firstId: number, count: number): SignedRequest[] {
  return Array.from({ length: count }, (_, index) => {
    const id = firstId + index;
    // Conversations go on: 200 patients, so most messages join a case that is already open.
    const from = `+447700900${String(id % PATIENTS).padStart(3, '0')}`;
    return buildInbound(carriers, { route: 'twilio-sms', from, to: BENCH_LINE, text: `${TEXT} bench#${id}#` }).request;
  });
}

export function carriersFor(env: Record<string, string>): CarrierConfig {
  return loadCarrierConfig(env);
}

const agent = new Agent({ keepAlive: true, maxSockets: 128 });

function post(url: string, signed: SignedRequest): Promise<number> {
  return new Promise((resolve) => {
    const target = new URL(url + signed.path);
    const outgoing = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { ...signed.headers, 'content-length': signed.body.length } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on('error', () => resolve(0));
    outgoing.end(signed.body);
  });
}

export interface SendLog {
  /** Per bench id: when it was sent (epoch ms), and the HTTP status (0: no answer). */
  sentAt: Map<number, number>;
  failures: number;
  /** How late the sender was against its schedule: shows whether the sender kept up. */
  lagMs: number[];
  /** Time from sending each webhook to its HTTP answer (the store's share of the latency). */
  answerMs: number[];
}

/** Open loop at `rate`/s for `seconds`: message i is sent at start + i/rate, whatever happened to earlier ones. */
export async function steadyRate(url: string, requests: SignedRequest[], firstId: number, rate: number, seconds: number): Promise<SendLog> {
  const count = Math.min(requests.length, Math.floor(rate * seconds));
  const log: SendLog = { sentAt: new Map(), failures: 0, lagMs: [], answerMs: [] };
  const started = preciseNow() + 20;
  const pending: Promise<void>[] = [];
  for (let index = 0; index < count; index += 1) {
    const due = started + (index * 1000) / rate;
    const wait = due - preciseNow();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, Math.floor(wait)));
    const now = preciseNow();
    log.lagMs.push(Math.max(0, now - due));
    log.sentAt.set(firstId + index, now);
    const signed = requests[index];
    if (signed === undefined) break;
    pending.push(
      post(url, signed).then((status) => {
        log.answerMs.push(preciseNow() - now);
        if (status < 200 || status >= 300) log.failures += 1;
      }),
    );
  }
  await Promise.all(pending);
  return log;
}

/** Closed loop: `inFlight` senders, each posting the next message as soon as its last was answered, for `seconds`. */
export async function closedLoop(url: string, requests: SignedRequest[], firstId: number, inFlight: number, seconds: number): Promise<SendLog & { answered: number; elapsedMs: number }> {
  const log: SendLog = { sentAt: new Map(), failures: 0, lagMs: [], answerMs: [] };
  const started = preciseNow();
  const stopAt = started + seconds * 1000;
  let next = 0;
  let answered = 0;
  async function worker(): Promise<void> {
    while (preciseNow() < stopAt && next < requests.length) {
      const index = next;
      next += 1;
      const signed = requests[index];
      if (signed === undefined) return;
      log.sentAt.set(firstId + index, preciseNow());
      const status = await post(url, signed);
      if (status >= 200 && status < 300) answered += 1;
      else log.failures += 1;
    }
  }
  await Promise.all(Array.from({ length: inFlight }, () => worker()));
  return { ...log, answered, elapsedMs: preciseNow() - started };
}

export function closeSender(): void {
  agent.destroy();
}
