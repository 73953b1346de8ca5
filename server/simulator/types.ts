// The simulator's own vocabulary: what a simulated phone sends, and a request ready to post.
import { z } from 'zod';
import { MAX_MESSAGE_LENGTH } from '../../shared/domain';
import { E164Schema } from '../../shared/inbound';

/** Which carrier carries the patient's message: SMS by Twilio or Notify, WhatsApp by Meta or Twilio, RCS by RBM. */
export const InboundRouteSchema = z.enum(['twilio-sms', 'twilio-whatsapp', 'whatsapp', 'rbm', 'notify']);
export type InboundRoute = z.infer<typeof InboundRouteSchema>;

export const PhoneSendSchema = z
  .object({
    route: InboundRouteSchema,
    from: E164Schema,
    /** The hospital line the patient writes to. RBM carries no destination: the agent's line is implied. */
    to: E164Schema,
    text: z.string().max(MAX_MESSAGE_LENGTH).optional(),
    /** A tapped button, list row or suggested reply: the id (payload / postbackData) and its title as shown. */
    reply: z.object({ id: z.string().min(1).max(2048), title: z.string().min(1).max(256) }).optional(),
    /** WhatsApp only: an interactive reply button (default), a list row, or a template's quick-reply button. */
    replyKind: z.enum(['button', 'list', 'template']).optional(),
    /** The carrier's id of the message being answered (WhatsApp context.id, Twilio OriginalRepliedMessageSid). */
    inReplyTo: z.string().min(1).max(128).optional(),
    /** The profile name WhatsApp shows for the sender. */
    name: z.string().min(1).max(256).optional(),
  })
  .refine((send) => send.text !== undefined || send.reply !== undefined, 'give text or a reply');
export type PhoneSend = z.infer<typeof PhoneSendSchema>;

/** One HTTP request a carrier makes to the hub, already signed; `path` is relative to the hub's URL. */
export interface SignedRequest {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** Delivery progress as the simulated phone experiences it; each carrier words it its own way. */
export const ReceiptStateSchema = z.enum(['sent', 'delivered', 'read', 'failed']);
export type ReceiptState = z.infer<typeof ReceiptStateSchema>;

export const CarrierNameSchema = z.enum(['twilio', 'whatsapp', 'rbm', 'notify']);
