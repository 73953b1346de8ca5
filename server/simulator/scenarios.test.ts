// Each scenario through real signed webhooks into a real hub, watched by a real desk socket.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendRbmMessage } from '../channels/outbound/rbm-send';
import { sendTwilioMessage } from '../channels/outbound/twilio-send';
import { addStaff, connectDesk, LINES, type TestDesk } from '../testing/hub-harness';
import { opaqueId } from './ids';
import { runScenario } from './scenarios';
import { enabledSettings, startSimulatorRig, type SimulatorRig } from './test-rig';

let rig: SimulatorRig;
let desk: TestDesk;

beforeEach(async () => {
  rig = await startSimulatorRig();
  await addStaff(rig.hub, 'ada', 'admin');
  desk = await connectDesk(rig.hub, 'ada');
});
afterEach(async () => {
  desk.close();
  await rig.close();
});

async function storedMessages(provider: string) {
  return rig.hub.store.db.selectFrom('messages').select(['id', 'body', 'provider_message_id']).where('provider', '=', provider).where('direction', '=', 'inbound').execute();
}

describe('simulator scenarios into a real hub', () => {
  it("martha-whatsapp: a family member's Martha's Rule request reaches the outreach queue once, though Meta delivered it twice", async () => {
    await addStaff(rig.hub, 'sam', 'outreach');
    const outreach = await connectDesk(rig.hub, 'sam');
    try {
      const [step] = await runScenario(rig.simulator, 'martha-whatsapp');
      expect(step?.answers.map((answer) => answer.status)).toEqual([200, 200]);
      const event = await outreach.waitFor((candidate) => candidate.type === 'case.opened');
      expect(event.case.queueId).toBe('outreach');
      expect(event.case.channel).toBe('whatsapp');
      expect(event.message?.body).toContain("Martha's Rule review");
      const stored = await storedMessages('whatsapp');
      expect(stored).toHaveLength(1);
      expect(stored[0]?.provider_message_id).toBe(step?.message.providerMessageId);
    } finally {
      outreach.close();
    }
  });

  it('appointment-sms: a Twilio SMS signed over the public URL is stored and streamed; a retry storm stores one row', async () => {
    const [step] = await runScenario(rig.simulator, 'appointment-sms');
    expect(step?.answers[0]?.status).toBe(200);
    expect(step?.answers[0]?.body).toContain('<Response/>');
    const event = await desk.waitFor((candidate) => candidate.type === 'case.opened' && candidate.message?.body === 'Yes please');
    expect(event.case.channel).toBe('sms');
    const storm = await rig.simulator.send({ route: 'twilio-sms', from: '+447700900460', to: LINES.ward, text: 'Running 5 minutes late' }, { copies: 12, concurrent: true });
    expect(storm.answers.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    expect((await storedMessages('twilio')).filter((row) => row.provider_message_id === storm.message.providerMessageId)).toHaveLength(1);
  });

  it('notify: the same confirmation by GOV.UK Notify (national-format destination, bearer token) lands on the ward line', async () => {
    const { answers } = await rig.simulator.send({ route: 'notify', from: '+447700900461', to: LINES.ward, text: 'Confirmed 👍' }, { copies: 2 });
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const event = await desk.waitFor((candidate) => candidate.message?.body === 'Confirmed 👍');
    expect(event.case.channel).toBe('sms');
    expect(await storedMessages('notify')).toHaveLength(1);
  });

  it('rcs-tap: the hospital asks with suggested replies by RBM, the phone taps one, and the tap reaches the desk with its postback', async () => {
    const phone = '+447700900458';
    const scenario = runScenario(rig.simulator, 'rcs-tap', { phone, waitMs: 10_000, tap: 'Thursday 2pm' });
    await desk.waitFor((candidate) => candidate.message?.body === 'Can I move my appointment on Thursday?');
    // No outbox sender yet: the hub's own RBM client stands in for it, through the simulated Google APIs.
    const sent = await sendRbmMessage(
      enabledSettings(rig.carriers.rbm),
      { to: phone, messageId: opaqueId(), text: 'We can offer:', suggestions: [{ text: 'Thursday 10am', postbackData: 'slot-10' }, { text: 'Thursday 2pm', postbackData: 'slot-14' }] },
      { timeoutMs: 5_000, accessToken: rig.rbmAccessToken },
    );
    expect(sent.ok).toBe(true);
    const steps = await scenario;
    expect(steps.map((step) => step.says)).toEqual(['Can I move my appointment on Thursday?', '[tapped] Thursday 2pm']);
    expect(steps[1]?.answers[0]?.status).toBe(200);
    const tap = await desk.waitFor((candidate) => candidate.message?.body === 'Thursday 2pm');
    expect(tap.case.channel).toBe('rcs');
    const stored = await rig.hub.store.db.selectFrom('messages').selectAll().where('provider_message_id', '=', steps[1]?.message.providerMessageId ?? '').executeTakeFirstOrThrow();
    expect(stored.body).toBe('Thursday 2pm');
    await rig.simulator.settled();
    const question = rig.simulator.network.find(sent.ok ? sent.providerMessageId : '');
    // DELIVERED and READ were posted to the hub, signed, and answered 200 (RBM has no "sent").
    expect(question?.hubAnswers).toEqual([200, 200]);
    expect(question?.state).toBe('read');
  });

  it('opted-out: STOP by SMS reaches the desk, and Twilio then refuses to send to the number (21610)', async () => {
    const [step] = await runScenario(rig.simulator, 'opted-out');
    expect(step?.answers[0]?.status).toBe(200);
    await desk.waitFor((candidate) => candidate.message?.body === 'STOP');
    const settings = enabledSettings(rig.carriers.twilio);
    expect(await sendTwilioMessage(settings, { to: '+447700900459', channel: 'sms', body: 'Your appointment is confirmed' }, { timeoutMs: 5_000 })).toMatchObject({
      ok: false,
      retryable: false,
      reason: 'Twilio error 21610',
      optedOut: true,
    });
    await rig.simulator.send({ route: 'twilio-sms', from: '+447700900459', to: LINES.ward, text: 'START' });
    expect(await sendTwilioMessage(settings, { to: '+447700900459', channel: 'sms', body: 'Welcome back' }, { timeoutMs: 5_000 })).toMatchObject({ ok: true });
  });

  it('refuses what a forger sends: the hub answers 403 to a simulator holding the wrong secrets, and stores nothing', async () => {
    const forged = await startSimulatorRig();
    try {
      // A second rig's simulator has its own freshly generated secrets; aim it at the first hub.
      forged.simulator.hubUrl = rig.hub.url;
      for (const route of ['twilio-sms', 'whatsapp', 'rbm', 'notify'] as const) {
        const { answers } = await forged.simulator.send({ route, from: '+447700900462', to: LINES.ward, text: 'forged' });
        expect(answers[0]?.status).toBe(403);
      }
      expect(await rig.hub.store.db.selectFrom('messages').select('id').execute()).toEqual([]);
    } finally {
      await forged.close();
    }
  });
});
