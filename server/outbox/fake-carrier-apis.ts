// Test support: one real HTTP server on 127.0.0.1 standing in for every carrier's API at once (Twilio, WhatsApp Cloud,
// RBM with Google's token endpoint, Notify), routed by path, answering in each carrier's documented wire format.
// The hub is pointed at it through the *_API_BASE_URL settings, exactly as the simulator points it in development.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { loadCarrierConfig, type CarrierConfig } from '../channels/carrier-config';

export interface CarrierCall {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type CarrierAnswer = { status: number; json?: unknown };
/** A route may take its time (await something) before answering, as a slow carrier would. */
export type CarrierRoute = (call: CarrierCall) => CarrierAnswer | undefined | Promise<CarrierAnswer | undefined>;

export interface FakeCarrierApis {
  baseUrl: string;
  calls: CarrierCall[];
  /** Routes tried before the defaults; the first that answers wins. */
  override(route: CarrierRoute): void;
  callsTo(pattern: RegExp, method?: string): CarrierCall[];
  /** Forgets the calls and the overrides (between tests). */
  reset(): void;
  close(): Promise<void>;
}

export const TWILIO_ACCOUNT_SID = 'AC' + '0f'.repeat(16);
export const WHATSAPP_PHONE_NUMBER_ID = '106540352242922';
/** What a Twilio send posts to: the account's Messages resource. */
export const TWILIO_SEND = /\/Messages\.json$/;
/** Twilio's answer for a number it cannot send to (error 21211, in its documented error shape): a permanent failure. */
export const TWILIO_INVALID_NUMBER: CarrierAnswer = {
  status: 400,
  json: { code: 21211, message: "The 'To' number is not a valid phone number.", more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 },
};
const NOTIFY_SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506';
const NOTIFY_SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0';

let counter = 0;
function hex32(): string {
  counter += 1;
  return counter.toString(16).padStart(32, '0');
}

/** The carriers' success answers, as their API references document them (trimmed to the fields that matter). */
const DEFAULT_ROUTES: CarrierRoute[] = [
  (call) => (call.method === 'POST' && call.path === '/token' ? { status: 200, json: { access_token: 'ya29.fake', expires_in: 3599, token_type: 'Bearer' } } : undefined),
  (call) => {
    if (call.method !== 'POST' || !/^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json$/.test(call.path)) return undefined;
    const form = new URLSearchParams(call.body);
    return { status: 201, json: { sid: `SM${hex32()}`, status: 'queued', to: form.get('To'), from: form.get('From'), account_sid: TWILIO_ACCOUNT_SID, num_segments: '1' } };
  },
  (call) => {
    if (call.method !== 'POST' || !call.path.endsWith(`/${WHATSAPP_PHONE_NUMBER_ID}/messages`)) return undefined;
    const to = String((JSON.parse(call.body) as { to?: unknown }).to);
    return { status: 200, json: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: `wamid.HBgM${hex32()}` }] } };
  },
  (call) => (call.method === 'GET' && /^\/v1\/phones\/\+\d+\/capabilities/.test(call.path) ? { status: 200, json: { features: ['RICHCARD_STANDALONE', 'ACTION_DIAL'] } } : undefined),
  (call) => {
    const match = /^\/v1\/phones\/(\+\d+)\/agentMessages\?messageId=([0-9a-f-]+)/.exec(call.path);
    if (call.method !== 'POST' || match === null) return undefined;
    return { status: 200, json: { name: `phones/${match[1]}/agentMessages/${match[2]}`, sendTime: '2026-11-27T09:30:00.123Z' } };
  },
  (call) => (call.method === 'DELETE' && /^\/v1\/phones\/\+\d+\/agentMessages\//.test(call.path) ? { status: 200, json: {} } : undefined),
  (call) => {
    if (call.method !== 'POST' || call.path !== '/v2/notifications/sms') return undefined;
    const request = JSON.parse(call.body) as { reference?: string };
    return { status: 201, json: { id: `7b2c${hex32().slice(4, 8)}-3a29-46b4-9a6f-16142fde533a`, reference: request.reference ?? null, content: { body: '', from_number: 'NHSTRUST' } } };
  },
];

export async function startFakeCarrierApis(): Promise<FakeCarrierApis> {
  const calls: CarrierCall[] = [];
  const overrides: CarrierRoute[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    const respond = async (): Promise<void> => {
      const call = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      calls.push(call);
      let answer: CarrierAnswer | undefined;
      for (const route of [...overrides, ...DEFAULT_ROUTES]) {
        answer = await route(call);
        if (answer !== undefined) break;
      }
      answer ??= { status: 404, json: { error: { code: 404, message: 'no such route on the fake carrier', status: 'NOT_FOUND' } } };
      const body = answer.json === undefined ? '' : JSON.stringify(answer.json);
      response.writeHead(answer.status, body === '' ? {} : { 'content-type': 'application/json' });
      response.end(body);
    };
    request.on('end', () => void respond());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake carrier APIs are not listening on a TCP port');
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    calls,
    override: (route) => overrides.unshift(route),
    callsTo: (pattern, method) => calls.filter((call) => pattern.test(call.path) && (method === undefined || call.method === method)),
    reset() {
      calls.length = 0;
      overrides.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type CarrierSet = 'twilio' | 'whatsapp' | 'rbm' | 'notify';

/** Carrier settings with every API base URL at the fake; RBM gets a real service-account key whose token_uri is the fake. */
export function fakeCarrierConfig(apis: FakeCarrierApis, dir: string, enabled: readonly CarrierSet[]): CarrierConfig {
  const env: Record<string, string> = {
    CLARION_PUBLIC_URL: 'https://clarion.example.nhs.uk',
    TWILIO_API_BASE_URL: apis.baseUrl,
    WHATSAPP_API_BASE_URL: `${apis.baseUrl}/v24.0`,
    RBM_API_BASE_URL: apis.baseUrl,
    NOTIFY_API_BASE_URL: apis.baseUrl,
  };
  if (enabled.includes('twilio')) Object.assign(env, { TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: 'twilio-auth-token-0123456789abcdef', TWILIO_FROM: '+447700900333' });
  if (enabled.includes('whatsapp')) {
    Object.assign(env, { WHATSAPP_APP_SECRET: 'app-secret', WHATSAPP_VERIFY_TOKEN: 'verify-token', WHATSAPP_ACCESS_TOKEN: 'EAAG-access', WHATSAPP_PHONE_NUMBER_ID });
  }
  if (enabled.includes('rbm')) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = join(dir, 'rbm-service-account.json');
    writeFileSync(
      keyFile,
      JSON.stringify({ type: 'service_account', client_email: 'clarion@rbm.iam.gserviceaccount.com', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), token_uri: `${apis.baseUrl}/token` }),
    );
    Object.assign(env, { RBM_CLIENT_TOKEN: 'rbm-client-token', RBM_AGENT_ID: 'clarion-ward-agent', RBM_SERVICE_ACCOUNT_FILE: keyFile, RBM_LINE_NUMBER: '+447700900333' });
  }
  if (enabled.includes('notify')) {
    Object.assign(env, {
      NOTIFY_CALLBACK_TOKEN: 'notify-callback-token',
      NOTIFY_API_KEY: `clarion_live-${NOTIFY_SERVICE_ID}-${NOTIFY_SECRET}`,
      NOTIFY_TEMPLATE_ID: 'f33517ff-2a88-4f6e-b855-c550268ce08a',
    });
  }
  return loadCarrierConfig(env);
}
