// What this hub can send by (H6, docs/channels.md "No carrier to send by"). A reply that no configured carrier can
// carry must not sit Queued while staff believe the family was answered: a staff reply is refused at the click with
// words that say what to do instead, the hub says so at start, and IT can see it on /healthz and /metrics.
import { Gauge, type Registry } from 'prom-client';
import type { Channel, Provider } from '../../shared/domain';
import { candidateChannels } from './channel-choice';

export interface SendingReach {
  /** The provider that carries a channel here, if any (OutboundCarriers.providerFor). */
  providerFor(channel: Channel): Provider | undefined;
}

const CHANNELS: readonly Channel[] = ['sms', 'whatsapp', 'rcs'];
const CHANNEL_NAMES: Record<Channel, string> = { sms: 'SMS', whatsapp: 'WhatsApp', rcs: 'RCS' };

/** Each channel and the provider that carries it here, or null: what /healthz shows IT. */
export function sendingChannels(reach: SendingReach): Record<Channel, Provider | null> {
  return { sms: reach.providerFor('sms') ?? null, whatsapp: reach.providerFor('whatsapp') ?? null, rcs: reach.providerFor('rcs') ?? null };
}

/**
 * The refusal for a reply no carrier here can carry, or undefined when one can. SMS is always a candidate, so this
 * speaks only when the conversation's channel, the contact's preferred one and SMS all lack a carrier; finer failures
 * (WhatsApp's window, a refused number) are the sender's, which marks the case.
 */
export function noCarrierRefusal(reach: SendingReach, caseChannel: Channel, preferredChannel: Channel | null): string | undefined {
  const candidates = candidateChannels(caseChannel, preferredChannel);
  if (candidates.some((channel) => reach.providerFor(channel) !== undefined)) return undefined;
  const names = candidates.map((channel) => CHANNEL_NAMES[channel]).join(' or ');
  return `Not sent: this hub cannot send ${names} — no carrier is set up for it. Phone the family instead, and tell IT.`;
}

/**
 * The start log's warning for IT, or undefined when SMS, the floor every reply may fall back to, has a carrier. `held`:
 * a development hub with no carrier at all, which keeps replies Queued (the demo before `clarion simulate init`).
 */
export function sendingWarning(reach: SendingReach, held = false): string | undefined {
  const channels = sendingChannels(reach);
  const carried = CHANNELS.filter((channel) => channels[channel] !== null);
  if (carried.length === 0 && held) {
    return '[outbox] no carrier that sends is set up: development mode holds replies Queued, unsent. In production they are refused or marked not delivered (docs/channels.md).';
  }
  if (carried.length === 0) {
    return '[outbox] no carrier that sends is set up: staff replies will be refused and automatic replies (the Martha\'s Rule first reply) marked not delivered. Set up Twilio or GOV.UK Notify (docs/channels.md).';
  }
  if (channels.sms === null) {
    return `[outbox] no SMS carrier is set up (only ${carried.map((channel) => CHANNEL_NAMES[channel]).join(', ')}): replies that cannot go by those are refused or marked not delivered. Set up Twilio or GOV.UK Notify (docs/channels.md).`;
  }
  return undefined;
}

/** `clarion_outbound_channel_ready{channel}`: 1 when a carrier here sends by the channel; IT alerts on sms == 0. */
export function registerSendingMetrics(registry: Registry, reach: SendingReach): void {
  new Gauge({
    name: 'clarion_outbound_channel_ready',
    help: 'Whether a carrier that sends by this channel is set up on this hub (1) or not (0); with sms at 0, replies may not reach families.',
    labelNames: ['channel'],
    registers: [registry],
    collect() {
      for (const channel of CHANNELS) this.set({ channel }, reach.providerFor(channel) === undefined ? 0 : 1);
    },
  });
}
