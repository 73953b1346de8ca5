// The outbox's view of the carriers: which provider carries each channel here, and one call per thing the sender
// does. Built from the hub's carrier settings; a disabled carrier is simply absent.
import { randomUUID } from 'node:crypto';
import type { Channel, Provider } from '../../shared/domain';
import type { ReplyOption } from '../../shared/reply-intent';
import type { CarrierConfig } from '../channels/carrier-config';
import { createGoogleTokenSource, readServiceAccountFile } from '../channels/outbound/google-access-token';
import { sendNotifySms } from '../channels/outbound/notify-send';
import { checkRbmCapability, revokeRbmMessage, sendRbmMessage, type CapabilityResult, type RevokeResult } from '../channels/outbound/rbm-send';
import type { SendResult } from '../channels/outbound/send-result';
import { sendTwilioMessage } from '../channels/outbound/twilio-send';
import { sendWhatsAppMessage } from '../channels/outbound/whatsapp-send';
import type { Clock } from '../clock';
import { rcsSuggestions, whatsAppContent } from './outbound-content';

/** An approved WhatsApp template whose one body parameter carries the reply: the only way to write outside the window. */
export interface WhatsAppTemplate {
  name: string;
  languageCode: string;
}

export interface OutboundCarriers {
  /** The provider that carries a channel here, if any. */
  providerFor(channel: Channel): Provider | undefined;
  /** Whether a template may be sent on WhatsApp outside the 24-hour window. */
  readonly whatsappTemplate: WhatsAppTemplate | undefined;
  sendSms(to: string, body: string, reference: string): Promise<SendResult>;
  sendWhatsApp(to: string, body: string, options: readonly ReplyOption[], useTemplate: boolean): Promise<SendResult>;
  checkRcs(to: string): Promise<CapabilityResult>;
  sendRcs(to: string, messageId: string, body: string, options: readonly ReplyOption[]): Promise<SendResult>;
  revokeRcs(to: string, messageId: string): Promise<RevokeResult>;
}

export function outboundCarriers(config: CarrierConfig, clock: Clock, whatsappTemplate?: WhatsAppTemplate): OutboundCarriers {
  const timeoutMs = config.requestTimeoutMs;
  const { twilio, whatsapp, rbm, notify } = config;
  let token: Promise<() => Promise<string>> | undefined;
  const rbmOptions = () => {
    if (!rbm.enabled) throw new Error('[outbox] RBM is not enabled');
    const settings = rbm.settings;
    // The key file is read once, on the first RCS send, so a hub without RCS traffic never needs it readable.
    token ??= readServiceAccountFile(settings.serviceAccountFile).then((account) => createGoogleTokenSource(account, { timeoutMs, now: () => clock.now() }));
    const source = token;
    return { timeoutMs, accessToken: async () => (await source)() };
  };
  const tokenFailure = (error: unknown): SendResult & { ok: false } => ({
    ok: false,
    retryable: false,
    reason: error instanceof Error ? error.message : 'RBM credentials could not be read',
  });

  return {
    whatsappTemplate,
    providerFor(channel) {
      switch (channel) {
        case 'sms':
          return twilio.enabled ? 'twilio' : notify.enabled ? 'notify' : undefined;
        case 'whatsapp':
          return whatsapp.enabled ? 'whatsapp' : twilio.enabled ? 'twilio' : undefined;
        case 'rcs':
          return rbm.enabled ? 'rbm' : undefined;
        default: {
          const unexpected: never = channel;
          throw new Error(`unhandled channel ${String(unexpected)}`);
        }
      }
    },
    async sendSms(to, body, reference) {
      if (twilio.enabled) return sendTwilioMessage(twilio.settings, { to, channel: 'sms', body }, { timeoutMs });
      if (notify.enabled) return sendNotifySms(notify.settings, { phoneNumber: to, personalisation: { body }, reference }, { timeoutMs, now: () => clock.now() });
      return { ok: false, retryable: false, reason: 'no SMS carrier is set up' };
    },
    async sendWhatsApp(to, body, options, useTemplate) {
      if (whatsapp.enabled) {
        const message =
          useTemplate && whatsappTemplate !== undefined
            ? { type: 'template' as const, to, name: whatsappTemplate.name, languageCode: whatsappTemplate.languageCode, bodyParameters: [body] }
            : whatsAppContent(to, body, options);
        return sendWhatsAppMessage(whatsapp.settings, message, { timeoutMs });
      }
      if (twilio.enabled && !useTemplate) return sendTwilioMessage(twilio.settings, { to, channel: 'whatsapp', body }, { timeoutMs });
      return { ok: false, retryable: false, reason: 'no WhatsApp carrier is set up for this message', fallbackSuggested: true };
    },
    async checkRcs(to) {
      if (!rbm.enabled) return { ok: true, rcsCapable: false };
      try {
        return await checkRbmCapability(rbm.settings, to, randomUUID(), rbmOptions());
      } catch (error) {
        return { ...tokenFailure(error), ok: false };
      }
    },
    async sendRcs(to, messageId, body, options) {
      if (!rbm.enabled) return { ok: false, retryable: false, reason: 'RCS is not set up', fallbackSuggested: true };
      try {
        const suggestions = rcsSuggestions(options);
        return await sendRbmMessage(rbm.settings, { to, messageId, text: body, ...(suggestions.length > 0 ? { suggestions } : {}) }, rbmOptions());
      } catch (error) {
        return tokenFailure(error);
      }
    },
    async revokeRcs(to, messageId) {
      if (!rbm.enabled) return { ok: false, retryable: false, reason: 'RCS is not set up' };
      try {
        return await revokeRbmMessage(rbm.settings, to, messageId, rbmOptions());
      } catch (error) {
        return tokenFailure(error);
      }
    },
  };
}
