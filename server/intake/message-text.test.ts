import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../shared/inbound';
import { inboundBody, preview } from './message-text';

const base: InboundMessage = {
  provider: 'twilio',
  channel: 'sms',
  providerMessageId: 'MM0123456789abcdef0123456789abcdef',
  from: '+447700900456',
  to: '+447700900333',
  receivedAt: Date.UTC(2026, 10, 28, 9, 30),
  kind: 'text',
};
const TWILIO_MEDIA = 'https://api.twilio.com/2010-04-01/Accounts/AC5e5e/Messages/MM01/Media/ME01';

describe('inboundBody: what the record keeps of a message that is not only text', () => {
  it('keeps text as sent', () => {
    expect(inboundBody({ ...base, text: 'Is visiting open today?' })).toBe('Is visiting open today?');
  });

  it('keeps a photo that came with a caption: the caption first, then the attachment and its carrier reference', () => {
    const message: InboundMessage = { ...base, kind: 'media', text: 'Is this rash normal?', media: [{ type: 'image/jpeg', ref: TWILIO_MEDIA }] };
    expect(inboundBody(message)).toBe(`Is this rash normal?\n[attachment: image/jpeg — open it in the carrier's console; reference ${TWILIO_MEDIA}]`);
    expect(preview(inboundBody(message))).toMatch(/^Is this rash normal\? \[attachment: image\/jpeg/);
  });

  it('lists every attachment of a message without text', () => {
    const message: InboundMessage = {
      ...base,
      provider: 'whatsapp',
      channel: 'whatsapp',
      kind: 'media',
      media: [
        { type: 'image', ref: '1482917452389012' },
        { type: 'audio', ref: '9912283746501122' },
      ],
    };
    expect(inboundBody(message)).toBe(
      "[attachment: image — open it in the carrier's console; reference 1482917452389012]\n[attachment: audio — open it in the carrier's console; reference 9912283746501122]",
    );
  });

  it('says there was an attachment even when the carrier gave no reference', () => {
    expect(inboundBody({ ...base, kind: 'media' })).toBe("[attachment — open it in the carrier's console]");
  });

  it('keeps where a shared location was', () => {
    expect(inboundBody({ ...base, kind: 'location', media: [{ type: 'location', ref: 'geo:51.5237,-0.1585' }] })).toBe('[location shared: geo:51.5237,-0.1585]');
  });

  it('reads a tapped button by its title', () => {
    expect(inboundBody({ ...base, kind: 'button_reply', reply: { id: 'confirm', title: 'Yes, confirm' } })).toBe('Yes, confirm');
  });

  it('never stores an empty body', () => {
    expect(inboundBody({ ...base, kind: 'other' })).toBe('[message with no text]');
  });
});
