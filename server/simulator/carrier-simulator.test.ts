// The simulated carrier APIs driven by the hub's own outbound clients (server/channels/outbound), with
// receipts flowing back into a real hub. Until the outbox sender exists these clients are how a staff
// reply leaves the hub; the wire between them and the simulator is the carriers' own protocol.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkRbmCapability, revokeRbmMessage, sendRbmMessage } from '../channels/outbound/rbm-send';
import { sendNotifySms } from '../channels/outbound/notify-send';
import { sendTwilioMessage } from '../channels/outbound/twilio-send';
import { sendWhatsAppMessage } from '../channels/outbound/whatsapp-send';
import { LINES } from '../testing/hub-harness';
import { opaqueId } from './ids';
import { enabledSettings, startSimulatorRig, type SimulatorRig } from './test-rig';

const PATIENT = '+447700900470';
const timeout = { timeoutMs: 5_000 };
let rig: SimulatorRig;

beforeEach(async () => {
  rig = await startSimulatorRig();
});
afterEach(async () => {
  await rig.close();
});

const twilio = () => enabledSettings(rig.carriers.twilio);
const whatsapp = () => enabledSettings(rig.carriers.whatsapp);
const rbm = () => enabledSettings(rig.carriers.rbm);
const notify = () => enabledSettings(rig.carriers.notify);
const rbmOptions = () => ({ ...timeout, accessToken: rig.rbmAccessToken });

function sentTo(providerMessageId: string) {
  const message = rig.simulator.network.find(providerMessageId);
  if (message === undefined) throw new Error('the phone never received it');
  return message;
}

describe('simulated carrier APIs, called by the hub’s outbound clients', () => {
  it('Twilio: Basic auth, a 201 Message resource, and signed status callbacks the hub accepts (SMS never reports read)', async () => {
    const result = await sendTwilioMessage(twilio(), { to: PATIENT, channel: 'sms', body: 'The ward will call you at 3pm.' }, timeout);
    if (!result.ok) throw new Error(result.reason);
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    await rig.simulator.settled();
    const message = sentTo(result.providerMessageId);
    expect(message).toMatchObject({ channel: 'sms', text: 'The ward will call you at 3pm.', state: 'delivered', line: LINES.ward });
    // sent, delivered: two callbacks, each answered 204 by the hub's /webhooks/twilio/status.
    expect(message.hubAnswers).toEqual([204, 204]);

    const wrongToken = await sendTwilioMessage({ ...twilio(), authToken: 'not-the-token' }, { to: PATIENT, channel: 'sms', body: 'x' }, timeout);
    expect(wrongToken).toMatchObject({ ok: false, status: 401, reason: 'Twilio error 20003' });
  });

  it('WhatsApp: reply buttons arrive tappable, statuses come back signed; outside the 24-hour window Meta fails the message (131047)', async () => {
    await rig.simulator.send({ route: 'whatsapp', from: PATIENT, to: LINES.martha, text: 'Any news on my mum?' });
    const result = await sendWhatsAppMessage(
      whatsapp(),
      { type: 'buttons', to: PATIENT, body: 'The outreach team is on its way. Is she more unwell?', buttons: [{ id: 'worse', title: 'Yes, worse' }, { id: 'same', title: 'About the same' }] },
      timeout,
    );
    if (!result.ok) throw new Error(result.reason);
    await rig.simulator.settled();
    const message = sentTo(result.providerMessageId);
    expect(message.options).toEqual([{ id: 'worse', title: 'Yes, worse' }, { id: 'same', title: 'About the same' }]);
    expect(message).toMatchObject({ state: 'read', hubAnswers: [200, 200, 200] });

    const tap = await rig.simulator.tap(result.providerMessageId, 'worse');
    expect(tap.answers[0]?.status).toBe(200);
    const stored = await rig.hub.store.db.selectFrom('messages').select(['body']).where('provider_message_id', '=', tap.message.providerMessageId).executeTakeFirstOrThrow();
    expect(stored.body).toBe('Yes, worse');

    const stranger = await sendWhatsAppMessage(whatsapp(), { type: 'text', to: '+447700900471', body: 'Hello' }, timeout);
    if (!stranger.ok) throw new Error(stranger.reason);
    await rig.simulator.settled();
    expect(sentTo(stranger.providerMessageId).state).toBe('failed');

    expect(await sendWhatsAppMessage({ ...whatsapp(), accessToken: 'EAAGwrong' }, { type: 'text', to: PATIENT, body: 'x' }, timeout)).toMatchObject({ ok: false, status: 401, reason: 'WhatsApp error 190' });
  });

  it('RBM: tokens from the simulated Google token endpoint, capability 404 for a non-RCS phone, a repeat id refused, revoke only while pending', async () => {
    expect(await checkRbmCapability(rbm(), PATIENT, opaqueId(), rbmOptions())).toMatchObject({ ok: true, rcsCapable: true });
    rig.simulator.setRcs('+447700900472', 'not_capable');
    expect(await checkRbmCapability(rbm(), '+447700900472', opaqueId(), rbmOptions())).toEqual({ ok: true, rcsCapable: false });
    expect(await sendRbmMessage(rbm(), { to: '+447700900472', messageId: opaqueId(), text: 'hi' }, rbmOptions())).toMatchObject({ ok: false, status: 404, fallbackSuggested: true });

    const id = opaqueId();
    expect(await sendRbmMessage(rbm(), { to: PATIENT, messageId: id, text: 'Reminder: clinic at 10.' }, rbmOptions())).toEqual({ ok: true, providerMessageId: id });
    // A retry with the same id is not delivered twice; the client reads Google's 409 as "already taken".
    expect(await sendRbmMessage(rbm(), { to: PATIENT, messageId: id, text: 'Reminder: clinic at 10.' }, rbmOptions())).toEqual({ ok: true, providerMessageId: id });
    expect(rig.simulator.network.messages.filter((message) => message.providerMessageId === id)).toHaveLength(1);
    await rig.simulator.settled();
    expect(await revokeRbmMessage(rbm(), PATIENT, id, rbmOptions())).toMatchObject({ ok: false, alreadyDelivered: true });

    rig.simulator.setRcs('+447700900473', 'offline');
    const held = opaqueId();
    await sendRbmMessage(rbm(), { to: '+447700900473', messageId: held, text: 'Time-sensitive' }, rbmOptions());
    expect(sentTo(held).state).toBe('pending');
    expect(await revokeRbmMessage(rbm(), '+447700900473', held, rbmOptions())).toEqual({ ok: true });
    expect(sentTo(held).state).toBe('revoked');

    const forged = await sendRbmMessage(rbm(), { to: PATIENT, messageId: opaqueId(), text: 'x' }, { ...timeout, accessToken: async () => 'ya29.forged' });
    expect(forged).toMatchObject({ ok: false, status: 401 });
  });

  it('Notify: the JWT is checked (signature and clock), the reference is echoed in the receipt the hub accepts', async () => {
    const result = await sendNotifySms(notify(), { phoneNumber: PATIENT, personalisation: { body: 'Please call the ward.' }, reference: 'outbox-42' }, { ...timeout, now: Date.now });
    if (!result.ok) throw new Error(result.reason);
    await rig.simulator.settled();
    expect(sentTo(result.providerMessageId)).toMatchObject({ text: 'Please call the ward.', reference: 'outbox-42', state: 'delivered', hubAnswers: [200] });

    const skewed = await sendNotifySms(notify(), { phoneNumber: PATIENT, personalisation: { body: 'x' }, reference: 'r' }, { ...timeout, now: () => Date.now() - 120_000 });
    expect(skewed).toMatchObject({ ok: false, status: 403 });
    const wrongKey = await sendNotifySms({ ...notify(), apiKeySecret: opaqueId() }, { phoneNumber: PATIENT, personalisation: { body: 'x' }, reference: 'r' }, { ...timeout, now: Date.now });
    expect(wrongKey).toMatchObject({ ok: false, status: 403, reason: 'Notify AuthError' });
  });

  it('receipts out of order and twice over: every one is answered 2xx by the hub, and the phone keeps the furthest state', async () => {
    Object.assign(rig.simulator.receiptPlan, { reversed: true, duplicate: true });
    await rig.simulator.send({ route: 'whatsapp', from: PATIENT, to: LINES.martha, text: 'hello' });
    const result = await sendWhatsAppMessage(whatsapp(), { type: 'text', to: PATIENT, body: 'We are here.' }, timeout);
    if (!result.ok) throw new Error(result.reason);
    await rig.simulator.settled();
    expect(sentTo(result.providerMessageId)).toMatchObject({ state: 'read', hubAnswers: [200, 200, 200, 200, 200, 200] });
  });
});
