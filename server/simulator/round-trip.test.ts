// "Done when": the simulated phones drive a Martha's Rule request, an appointment confirmation and an
// RCS button tap into a real hub and real desks, and staff replies go back out through the hub's outbox
// to the simulated carriers, arrive on the phone, and come back as signed receipts the desk shows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandResult, DeskEvent } from '../../shared/protocol';
import { addStaff, commandId, connectDesk, LINES, type TestDesk } from '../testing/hub-harness';
import { runScenario } from './scenarios';
import { startSimulatorRig, type SimulatorRig } from './test-rig';

let rig: SimulatorRig;
let desk: TestDesk;

beforeEach(async () => {
  rig = await startSimulatorRig({ outbox: { pollIntervalMs: 25 } });
  await addStaff(rig.hub, 'ada', 'admin');
  desk = await connectDesk(rig.hub, 'ada');
});
afterEach(async () => {
  desk.close();
  await rig.close();
});

function reply(caseId: string, version: number, body: string, templateId?: string): Promise<CommandResult> {
  const payload = { commandId: commandId(), caseId, version, body, ...(templateId === undefined ? {} : { templateId }) };
  return new Promise((resolve) => (desk.socket.emit as (event: string, payload: unknown, ack: (result: CommandResult) => void) => void)('reply', payload, resolve));
}

async function replyTo(event: DeskEvent, body: string, templateId?: string): Promise<void> {
  const current = await rig.hub.store.db.selectFrom('cases').select('version').where('id', '=', event.case.id).executeTakeFirstOrThrow();
  const result = await reply(event.case.id, current.version, body, templateId);
  if (!result.ok) throw new Error(`reply refused: ${result.error.code} ${result.error.message}`);
}

const outTo = (phone: string) => (message: { direction: string; phone: string }) => message.direction === 'out' && message.phone === phone;

describe('round trip through the simulated carriers', () => {
  it("Martha's Rule on WhatsApp: the request reaches the desk, the team's reply arrives on the phone, and the desk sees it read", async () => {
    const [step] = await runScenario(rig.simulator, 'martha-whatsapp');
    const opened = await desk.waitFor((event) => event.type === 'case.opened' && event.message?.body === step?.says);
    await replyTo(opened, 'The outreach team is coming to Ward 3 now.');
    const onPhone = await rig.simulator.network.waitFor(outTo('+447700900456'), 10_000);
    expect(onPhone).toMatchObject({ carrier: 'whatsapp', channel: 'whatsapp', text: 'The outreach team is coming to Ward 3 now.' });
    const read = await desk.waitFor((event) => event.type === 'delivery.updated' && event.message?.deliveryState === 'read', 10_000);
    expect(read.message?.body).toBe('The outreach team is coming to Ward 3 now.');
  });

  it('appointment by SMS: the question goes out by Twilio, the patient texts back, and the answer is read as a confirmation', async () => {
    const phone = '+447700900457';
    await rig.simulator.send({ route: 'twilio-sms', from: phone, to: LINES.ward, text: 'Is my appointment still on for Thursday?' });
    const opened = await desk.waitFor((event) => event.type === 'case.opened' && event.case.channel === 'sms');
    // On SMS the text is all there is: the body itself says what to reply (server/outbox/outbound-content.ts).
    await replyTo(opened, 'Your appointment is Thursday at 10:00. Reply YES to confirm, or NO to reschedule.', 'appointment_confirm');
    const question = await rig.simulator.network.waitFor(outTo(phone), 10_000);
    expect(question).toMatchObject({ carrier: 'twilio', channel: 'sms' });
    expect(question.text).toContain('Reply YES to confirm');
    await rig.simulator.network.waitFor((message) => message === question && message.state === 'delivered', 10_000);
    const steps = await runScenario(rig.simulator, 'appointment-sms', { phone });
    const answer = await rig.hub.store.db.selectFrom('messages').select(['body', 'intent']).where('provider_message_id', '=', steps[0]?.message.providerMessageId ?? '').executeTakeFirstOrThrow();
    expect(answer).toEqual({ body: 'Yes please', intent: 'answer:confirm' });
  });

  it('RCS: the question goes out with suggested replies, the patient taps one, and the tap is read as that option', async () => {
    const phone = '+447700900458';
    const scenario = runScenario(rig.simulator, 'rcs-tap', { phone, waitMs: 10_000, tap: 'Reschedule' });
    const opened = await desk.waitFor((event) => event.type === 'case.opened' && event.case.channel === 'rcs');
    await replyTo(opened, 'We can move it.', 'appointment_change');
    const steps = await scenario;
    const question = rig.simulator.network.conversation(phone).find((message) => message.direction === 'out');
    expect(question).toMatchObject({ carrier: 'rbm', channel: 'rcs' });
    expect(question?.options.map((option) => option.title)).toEqual(['Reschedule', 'Cancel']);
    const tap = await rig.hub.store.db.selectFrom('messages').select(['body', 'intent']).where('provider_message_id', '=', steps[1]?.message.providerMessageId ?? '').executeTakeFirstOrThrow();
    expect(tap).toEqual({ body: 'Reschedule', intent: 'answer:reschedule' });
  });

  it('RCS unreachable: the capability check says no, so the reply falls back to SMS and still reaches the phone', async () => {
    const phone = '+447700900463';
    await rig.simulator.send({ route: 'rbm', from: phone, to: LINES.ward, text: 'Hello?' });
    const opened = await desk.waitFor((event) => event.type === 'case.opened' && event.case.channel === 'rcs');
    rig.simulator.setRcs(phone, 'not_capable');
    await replyTo(opened, 'Hello, this is Ward 2.');
    const arrived = await rig.simulator.network.waitFor(outTo(phone), 10_000);
    expect(arrived).toMatchObject({ channel: 'sms', text: 'Hello, this is Ward 2.' });
  });

  it('WhatsApp undeliverable: Meta takes the reply and then fails it; the desk is told why, and the reply goes by SMS, once', async () => {
    const phone = '+447700900464';
    await rig.simulator.send({ route: 'whatsapp', from: phone, to: LINES.ward, text: 'Can I bring Dad his glasses?' });
    const opened = await desk.waitFor((event) => event.type === 'case.opened' && event.case.channel === 'whatsapp');
    rig.simulator.setWhatsApp(phone, 'undeliverable');
    await replyTo(opened, 'Yes, any time before 8pm.');

    const byWhatsApp = await rig.simulator.network.waitFor((message) => outTo(phone)(message) && message.carrier === 'whatsapp' && message.state === 'failed', 10_000);
    expect(byWhatsApp.text).toBe('Yes, any time before 8pm.');
    const told = await desk.waitFor((event) => event.type === 'delivery.updated' && event.message?.deliveryError !== undefined);
    expect(told.message).toMatchObject({
      deliveryState: 'queued',
      deliveryError:
        'Not delivered by WhatsApp: the phone cannot receive it: not on WhatsApp, an old app, or WhatsApp terms not accepted (WhatsApp error 131026). Sending it by SMS instead.',
    });

    const bySms = await rig.simulator.network.waitFor((message) => outTo(phone)(message) && message.channel === 'sms', 10_000);
    expect(bySms).toMatchObject({ carrier: 'twilio', text: 'Yes, any time before 8pm.' });
    const delivered = await desk.waitFor((event) => event.type === 'delivery.updated' && event.message?.id === told.message?.id && event.message?.deliveryState === 'delivered', 10_000);
    expect(delivered.message?.channel).toBe('sms');
    expect(delivered.message).not.toHaveProperty('deliveryError');

    // Meta repeating its failed status changes nothing: the SMS is not sent again.
    await rig.simulator.postReceipts(byWhatsApp.providerMessageId, ['failed'], '131026');
    await rig.simulator.settled();
    await rig.hub.outbox.runDue();
    expect(rig.simulator.network.conversation(phone).filter(outTo(phone)).map((message) => message.channel)).toEqual(['whatsapp', 'sms']);
    const audit = await rig.hub.store.db.selectFrom('audit').select(['action', 'detail']).where('case_id', '=', opened.case.id).where('action', '=', 'reply.fallback').execute();
    expect(audit.map((entry) => JSON.parse(entry.detail) as unknown)).toEqual([expect.objectContaining({ from: 'whatsapp', to: 'sms', errorCode: '131026' })]);
  });
});

describe('opt-out through the simulated carriers', () => {
  it('STOP by SMS: consent is withdrawn, a staff reply is refused, and nothing reaches the phone', async () => {
    const phone = '+447700900459';
    await rig.simulator.send({ route: 'twilio-sms', from: phone, to: LINES.ward, text: 'When is visiting time?' });
    const opened = await desk.waitFor((event) => event.type === 'case.opened' && event.message?.body === 'When is visiting time?');
    await runScenario(rig.simulator, 'opted-out', { phone });
    await desk.waitFor((event) => event.message?.body === 'STOP');
    const current = await rig.hub.store.db.selectFrom('cases').select('version').where('id', '=', opened.case.id).executeTakeFirstOrThrow();
    const result = await reply(opened.case.id, current.version, 'Visiting is 2pm to 8pm.');
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const consents = await rig.hub.store.db.selectFrom('consents').select(['channel', 'status']).orderBy('channel').execute();
    expect(consents).toEqual([
      { channel: 'rcs', status: 'opted_out' },
      { channel: 'sms', status: 'opted_out' },
      { channel: 'whatsapp', status: 'opted_out' },
    ]);
    // Refused before the outbox: nothing queued, so nothing can reach the phone (Twilio confirms STOP itself).
    expect(await rig.hub.store.db.selectFrom('outbox').select('id').where('case_id', '=', opened.case.id).execute()).toEqual([]);
  });
});
