import { describe, expect, it } from 'vitest';
import type { Channel, Provider } from '../../shared/domain';
import { retryDelay } from './backoff';
import { chooseChannels, WHATSAPP_WINDOW_MS, type ChoiceFacts } from './channel-choice';

const NOW = Date.UTC(2026, 10, 27, 9, 30);
const everyCarrier = (channel: Channel): Provider => ({ sms: 'twilio', whatsapp: 'whatsapp', rcs: 'rbm' } as const)[channel];

function facts(overrides: Partial<ChoiceFacts>): ChoiceFacts {
  return {
    caseChannel: 'sms',
    preferredChannel: null,
    lastInboundAt: NOW,
    lastInboundChannel: 'sms',
    optedOut: [],
    ignoreConsent: false,
    providerFor: everyCarrier,
    hasWhatsAppTemplate: false,
    now: NOW,
    ...overrides,
  };
}

describe('chooseChannels', () => {
  it.each([
    ['the case channel, then preferred, then SMS', facts({ caseChannel: 'rcs', preferredChannel: 'whatsapp', lastInboundChannel: 'whatsapp' }), ['rcs', 'whatsapp', 'sms']],
    ['WhatsApp inside the window', facts({ caseChannel: 'whatsapp', lastInboundChannel: 'whatsapp', lastInboundAt: NOW - WHATSAPP_WINDOW_MS + 1 }), ['whatsapp', 'sms']],
    ['no WhatsApp once the window has closed and no template', facts({ caseChannel: 'whatsapp', lastInboundChannel: 'whatsapp', lastInboundAt: NOW - WHATSAPP_WINDOW_MS }), ['sms']],
    ['no WhatsApp when the last inbound message came by SMS', facts({ caseChannel: 'whatsapp', lastInboundChannel: 'sms' }), ['sms']],
    ['no RCS without an RBM carrier', facts({ caseChannel: 'rcs', providerFor: (channel) => (channel === 'rcs' ? undefined : everyCarrier(channel)) }), ['sms']],
    ['nothing for an opted-out contact', facts({ caseChannel: 'whatsapp', lastInboundChannel: 'whatsapp', optedOut: ['sms', 'whatsapp', 'rcs'] }), []],
    ['everything for the answer to a keyword, consent aside', facts({ caseChannel: 'whatsapp', lastInboundChannel: 'whatsapp', optedOut: ['sms', 'whatsapp', 'rcs'], ignoreConsent: true }), ['whatsapp', 'sms']],
  ] as const)('%s', (_name, input, expected) => {
    expect(chooseChannels(input).plans.map((plan) => plan.channel)).toEqual(expected);
  });

  it('uses the approved template outside the window, only on the WhatsApp Cloud API', () => {
    const closed = { caseChannel: 'whatsapp' as const, lastInboundChannel: 'whatsapp' as const, lastInboundAt: NOW - 2 * WHATSAPP_WINDOW_MS, hasWhatsAppTemplate: true };
    expect(chooseChannels(facts(closed)).plans[0]).toEqual({ channel: 'whatsapp', template: true });
    const viaTwilio = facts({ ...closed, providerFor: (channel) => (channel === 'whatsapp' ? 'twilio' : everyCarrier(channel)) });
    expect(chooseChannels(viaTwilio).plans.map((plan) => plan.channel)).toEqual(['sms']);
  });

  it('says why each channel was passed over', () => {
    expect(chooseChannels(facts({ optedOut: ['sms'] })).passedOver).toEqual(['the contact has opted out of sms']);
  });
});

describe('retryDelay', () => {
  it('doubles the window each attempt, jittered over its upper half, and caps it', () => {
    const policy = { baseMs: 5_000, maxMs: 60_000 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelay(attempt, policy, () => 0))).toEqual([2_500, 5_000, 10_000, 20_000, 30_000, 30_000]);
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelay(attempt, policy, () => 0.999_999))).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
  });
});
