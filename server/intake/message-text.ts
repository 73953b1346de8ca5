// What a stored inbound message says, in words, when the patient sent something other than text.
import type { InboundMessage } from '../../shared/inbound';

export function inboundBody(message: InboundMessage): string {
  if (message.text !== undefined && message.text.length > 0) return message.text;
  if (message.reply !== undefined) return message.reply.title;
  switch (message.kind) {
    case 'media': {
      const types = (message.media ?? []).map((item) => item.type).join(', ');
      return `[attachment${types ? `: ${types}` : ''} — open in the carrier's console]`;
    }
    case 'location':
      return '[location shared]';
    default:
      return '[message with no text]';
  }
}

/** The list row shows one line; 140 characters is enough to triage without opening the case. */
export function preview(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 140 ? `${flat.slice(0, 139)}…` : flat;
}
