// What every outbound client answers: the carrier's id for the message, or why not and whether the
// outbox may try again. Reasons carry codes, never message text or phone numbers: they are logged.

export type SendResult =
  | { ok: true; providerMessageId: string }
  | {
      ok: false;
      /** True when the same request may succeed later (throttling, carrier fault, timeout). */
      retryable: boolean;
      reason: string;
      /** The carrier's HTTP status, when it answered at all. */
      status?: number;
      /** True when this channel cannot reach the person but SMS may (not on RCS, outside WhatsApp's window). */
      fallbackSuggested?: boolean;
      /**
       * True when the carrier refused because the recipient opted out with the carrier itself (Twilio 21610: they texted
       * STOP to Twilio, which blocks every send until START). The outbox records it as Clarion's own opt-out.
       */
      optedOut?: boolean;
    };

export type SendFailure = Extract<SendResult, { ok: false }>;
