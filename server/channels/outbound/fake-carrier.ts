// Test support: a real HTTP server on 127.0.0.1 standing in for a carrier's API. It records each
// request exactly as received and answers whatever the test scripts, in the carrier's wire format.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** `hang` never answers, to exercise the client's timeout. */
export type ScriptedAnswer = { status: number; json?: unknown } | 'hang';

export interface FakeCarrier {
  baseUrl: string;
  requests: RecordedRequest[];
  answer(next: ScriptedAnswer): void;
  close(): Promise<void>;
}

export async function startFakeCarrier(): Promise<FakeCarrier> {
  const requests: RecordedRequest[] = [];
  let next: ScriptedAnswer = { status: 500, json: { error: 'no answer scripted' } };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (next === 'hang') return;
      const body = next.json === undefined ? '' : JSON.stringify(next.json);
      response.writeHead(next.status, body === '' ? {} : { 'content-type': 'application/json' });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake carrier is not listening on a TCP port');
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    requests,
    answer(scripted) {
      next = scripted;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * One fake carrier for a test file: started before its tests, closed after them, its record emptied before each
 * test (the scripted answer stays until a test scripts another). Use it inside tests and hooks, not at import time.
 */
export function useFakeCarrier(): FakeCarrier {
  let started: FakeCarrier | undefined;
  const current = (): FakeCarrier => {
    if (started === undefined) throw new Error('the fake carrier starts before the tests: use it inside a test or a hook');
    return started;
  };
  beforeAll(async () => {
    started = await startFakeCarrier();
  });
  afterAll(async () => {
    await started?.close();
  });
  beforeEach(() => {
    current().requests.length = 0;
  });
  return {
    get baseUrl() {
      return current().baseUrl;
    },
    get requests() {
      return current().requests;
    },
    answer: (next) => current().answer(next),
    close: () => current().close(),
  };
}
