// Posts carrier requests to the hub the way carriers do: one request per delivery, and the same bytes
// again when asked to repeat (a carrier's retry or at-least-once redelivery).
import type { SignedRequest } from './types';

export interface HubAnswer {
  status: number;
  body: string;
}

export interface DeliveryOptions {
  /** How many times the identical request is delivered. @default 1 */
  copies?: number;
  /** Deliver the copies at once (a retry storm) rather than one after another. @default false */
  concurrent?: boolean;
}

export async function postToHub(hubUrl: string, request: SignedRequest): Promise<HubAnswer> {
  const response = await fetch(hubUrl + request.path, { method: 'POST', headers: request.headers, body: new Uint8Array(request.body), signal: AbortSignal.timeout(15_000) });
  return { status: response.status, body: await response.text() };
}

/** Every answer, in delivery order. */
export async function deliver(hubUrl: string, request: SignedRequest, options: DeliveryOptions = {}): Promise<HubAnswer[]> {
  const copies = Math.max(1, Math.min(options.copies ?? 1, 100));
  if (options.concurrent === true) return Promise.all(Array.from({ length: copies }, () => postToHub(hubUrl, request)));
  const answers: HubAnswer[] = [];
  for (let copy = 0; copy < copies; copy += 1) answers.push(await postToHub(hubUrl, request));
  return answers;
}
