// Test support: the envelope Meta's WhatsApp Cloud API posts (docs: the `messages` webhook field), around a `value`
// of messages and/or statuses. One golden shape for every test that speaks Meta's wire format.

/** The envelope as a JSON value, with `value` (contacts, messages, statuses…) beside Meta's metadata. */
export function metaWebhook(value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '447700900333', phone_number_id: '106540352242922' },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/** The envelope as the bytes Meta sends (what its signature covers). */
export function metaWebhookBytes(value: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify(metaWebhook(value)), 'utf8');
}
