// Which channels a message may go by, best first (docs/channels.md, "Outbound"). Pure: the sender supplies the
// facts (contact, consent, carriers, time) and tries the plans in order, checking RCS capability as it reaches it.
import type { Channel, Provider } from '../../shared/domain';

export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

export type SendPlan = { channel: 'sms' } | { channel: 'rcs' } | { channel: 'whatsapp'; template: boolean };

export interface ChoiceFacts {
  /** The channel the conversation is on. */
  caseChannel: Channel;
  preferredChannel: Channel | null;
  lastInboundAt: number | null;
  lastInboundChannel: Channel | null;
  optedOut: readonly Channel[];
  /** Consent is not consulted for the one answer to a STOP/START/HELP keyword. */
  ignoreConsent: boolean;
  providerFor(channel: Channel): Provider | undefined;
  hasWhatsAppTemplate: boolean;
  now: number;
}

export interface Choice {
  plans: SendPlan[];
  /** Why channels were passed over, for the staff-visible reason when no plan is left. */
  passedOver: string[];
}

/**
 * The WhatsApp window runs 24 hours from the contact's last inbound WhatsApp message. The contact row keeps only the
 * last inbound message of any channel, so a later SMS hides an earlier WhatsApp message: we then treat the window as
 * closed, which costs a template or an SMS, never a refused send.
 */
export function whatsAppWindowOpen(facts: Pick<ChoiceFacts, 'lastInboundAt' | 'lastInboundChannel' | 'now'>): boolean {
  return facts.lastInboundChannel === 'whatsapp' && facts.lastInboundAt !== null && facts.now - facts.lastInboundAt < WHATSAPP_WINDOW_MS;
}

/** The channels a reply may go by, best first: the conversation's, the contact's preferred, and SMS as the floor. */
export function candidateChannels(caseChannel: Channel, preferredChannel: Channel | null): Channel[] {
  return [...new Set<Channel>([caseChannel, ...(preferredChannel === null ? [] : [preferredChannel]), 'sms'])];
}

export function chooseChannels(facts: ChoiceFacts, only?: Channel): Choice {
  const order: Channel[] = only !== undefined ? [only] : candidateChannels(facts.caseChannel, facts.preferredChannel);
  const plans: SendPlan[] = [];
  const passedOver: string[] = [];
  for (const channel of order) {
    if (!facts.ignoreConsent && facts.optedOut.includes(channel)) {
      passedOver.push(`the contact has opted out of ${channel}`);
      continue;
    }
    if (facts.providerFor(channel) === undefined) {
      passedOver.push(`no carrier is set up for ${channel}`);
      continue;
    }
    if (channel === 'whatsapp') {
      if (whatsAppWindowOpen(facts)) plans.push({ channel, template: false });
      else if (facts.hasWhatsAppTemplate && facts.providerFor('whatsapp') === 'whatsapp') plans.push({ channel, template: true });
      else passedOver.push("WhatsApp's 24-hour window is closed and no approved template is set up");
      continue;
    }
    plans.push({ channel });
  }
  return { plans, passedOver };
}
