// One HTTP exchange with a carrier's API over global fetch, bounded by a timeout, with the answer's
// JSON (if any) handed back unparsed for the caller's schema.

export type CarrierResponse =
  | { kind: 'answered'; status: number; json: unknown }
  | { kind: 'unreachable'; reason: 'timeout' | 'network' };

export interface CarrierRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export async function requestCarrier(request: CarrierRequest): Promise<CarrierResponse> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return { kind: 'unreachable', reason: timedOut ? 'timeout' : 'network' };
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    // The headers came but the body did not: as unknown an outcome as a timeout.
    return { kind: 'unreachable', reason: 'network' };
  }
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { kind: 'answered', status: response.status, json };
}

/** Throttling and server faults pass; other client errors will fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * A timeout leaves it unknown whether the carrier accepted the message. Retrying is still right for
 * a patient-facing reply (a duplicate beats silence); carriers with idempotency keys (RBM) dedupe.
 */
export function unreachableFailure(reason: 'timeout' | 'network'): { ok: false; retryable: true; reason: string } {
  return { ok: false, retryable: true, reason: reason === 'timeout' ? 'carrier did not answer in time' : 'carrier unreachable' };
}
