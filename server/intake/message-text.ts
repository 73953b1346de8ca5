// What a stored inbound message says, in words, when the patient sent something other than text, or more than text.
// The record of care keeps the message as received, so an attachment is never hidden behind its caption (a photo of
// a rash captioned "is this normal?" must show there is a photo), and the carrier's reference is kept beside it: Clarion
// does not fetch the bytes, and that reference is how staff or IT find them in the carrier's console.
import type { InboundMessage } from '../../shared/inbound';

export function inboundBody(message: InboundMessage): string {
  const said = message.text !== undefined && message.text.length > 0 ? message.text : message.reply?.title;
  const extras = message.kind === 'location' ? locationLines(message) : message.kind === 'media' ? attachmentLines(message) : [];
  if (said !== undefined) return [said, ...extras].join('\n');
  if (extras.length > 0) return extras.join('\n');
  return '[message with no text]';
}

function attachmentLines(message: InboundMessage): string[] {
  const media = message.media ?? [];
  if (media.length === 0) return ["[attachment — open it in the carrier's console]"];
  return media.map((item) => `[attachment: ${item.type} — open it in the carrier's console; reference ${item.ref}]`);
}

function locationLines(message: InboundMessage): string[] {
  const where = message.media?.find((item) => item.type === 'location')?.ref;
  return [where === undefined ? '[location shared]' : `[location shared: ${where}]`];
}

/** The list row shows one line; 140 characters is enough to triage without opening the case. */
export function preview(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 140 ? `${flat.slice(0, 139)}…` : flat;
}
