// How a question's options travel on each channel: WhatsApp reply buttons (at most 3) or a list (at most 10), RCS
// suggested replies (at most 11), or the text alone on SMS, whose body already says what to reply.
import type { ReplyOption } from '../../shared/reply-intent';
import type { RbmOutbound } from '../channels/outbound/rbm-send';
import type { WhatsAppOutbound } from '../channels/outbound/whatsapp-send';

const WHATSAPP_BUTTON_BODY_MAX = 1024;
const WHATSAPP_LIST_BODY_MAX = 4096;
const RCS_SUGGESTION_TEXT_MAX = 25;

export function whatsAppContent(to: string, body: string, options: readonly ReplyOption[]): WhatsAppOutbound {
  // Option ids are echoed back in the tap, so intake binds the answer without reading any text.
  if (options.length > 0 && options.length <= 3 && body.length <= WHATSAPP_BUTTON_BODY_MAX) {
    return { type: 'buttons', to, body, buttons: options.map((option) => ({ id: option.id, title: option.label })) };
  }
  if (options.length > 3 && options.length <= 10 && body.length <= WHATSAPP_LIST_BODY_MAX) {
    return { type: 'list', to, body, buttonText: 'Choose', sections: [{ rows: options.map((option) => ({ id: option.id, title: option.label })) }] };
  }
  return { type: 'text', to, body };
}

export function rcsSuggestions(options: readonly ReplyOption[]): NonNullable<RbmOutbound['suggestions']> {
  return options.slice(0, 11).map((option) => ({ text: option.label.slice(0, RCS_SUGGESTION_TEXT_MAX), postbackData: option.id }));
}
