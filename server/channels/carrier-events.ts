// What every carrier's inbound module hands back: the normalised events, or a typed reason why not.
// Reasons never quote the body: it may hold patient text, and reasons end up in logs.
import { DeliveryStatusSchema, InboundMessageSchema, SubscriptionChangeSchema, type DeliveryStatus, type InboundMessage, type SubscriptionChange } from '../../shared/inbound';

export interface CarrierEvents {
  messages: InboundMessage[];
  statuses: DeliveryStatus[];
  /** Only RBM reports these (UNSUBSCRIBE / SUBSCRIBE); absent means none. */
  subscriptions?: SubscriptionChange[];
}

export type ParseErrorCode = 'malformed_body' | 'invalid_field';

export interface ParseError {
  code: ParseErrorCode;
  detail: string;
}

export type ParseOutcome = ({ ok: true } & CarrierEvents) | { ok: false; error: ParseError };

export type VerifyOutcome = { ok: true } | { ok: false; reason: 'missing_signature' | 'bad_signature' };

export function parseFailure(code: ParseErrorCode, detail: string): ParseOutcome {
  return { ok: false, error: { code, detail } };
}

/** Zod issues name the path and the expectation, never the received value: safe to log. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/**
 * The last step of every parser: the events must meet the shared schemas (lengths, E.164, counts)
 * that the store relies on, whatever the carrier let through.
 */
export function checkedOutcome(events: CarrierEvents): ParseOutcome {
  for (const message of events.messages) {
    const checked = InboundMessageSchema.safeParse(message);
    if (!checked.success) return parseFailure('invalid_field', describeIssues(checked.error.issues));
  }
  for (const status of events.statuses) {
    const checked = DeliveryStatusSchema.safeParse(status);
    if (!checked.success) return parseFailure('invalid_field', describeIssues(checked.error.issues));
  }
  for (const change of events.subscriptions ?? []) {
    const checked = SubscriptionChangeSchema.safeParse(change);
    if (!checked.success) return parseFailure('invalid_field', describeIssues(checked.error.issues));
  }
  return { ok: true, ...events };
}
