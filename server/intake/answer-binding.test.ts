// Structured replies end to end on a real hub: the question is stored with the reply, the contact's next message is
// read against it, and only clear answers get an option; the desk sees the intent on the message.
import { afterEach, describe, expect, it } from 'vitest';
import { useFakeCarrierApis } from '../outbox/use-fake-carrier-apis';
import { startOutboundHub, type OutboundTestHub } from '../outbox/outbound-test-hub';
import type { CommandResult } from '../../shared/protocol';
import { commandId } from '../testing/hub-harness';
import { QUESTION_ANSWERABLE_MS } from './answer-binding';

const apis = useFakeCarrierApis();
let current: OutboundTestHub | undefined;

afterEach(async () => {
  await current?.close();
  current = undefined;
});

describe('answers bound to the last question asked', () => {
  it('stores the question with the reply and reads the next messages against it', async () => {
    const test = (current = await startOutboundHub(apis, ['twilio']));
    const caseId = await test.patientWrites('Is my appointment on Tuesday?');
    // Before any question, a "yes" is just a message.
    await test.patientWrites('yes');
    expect((await test.messages(caseId)).at(-1)?.intent).toBeNull();

    expect(await test.reply(caseId, 'Your appointment is Tuesday 10am. Reply 1 to reschedule, 2 to cancel.', 'appointment_change')).toMatchObject({ ok: true });
    const stored = await test.hub.store.db.selectFrom('messages').select('question').where('direction', '=', 'outbound').executeTakeFirstOrThrow();
    expect(JSON.parse(stored.question ?? 'null')).toMatchObject({ templateId: 'appointment_change', options: [{ id: 'reschedule' }, { id: 'cancel' }] });

    for (const [text, intent] of [
      ['2', 'answer:cancel'],
      ['Two please', 'answer:cancel'],
      ['1 but can I come at 11?', 'unclear'],
      ['thanks for letting me know', null],
    ] as const) {
      await test.patientWrites(text);
      expect((await test.messages(caseId)).at(-1)).toMatchObject({ body: text, intent });
    }
    const shown = await test.desk.waitFor((event) => event.type === 'message.received' && event.message?.body === '1 but can I come at 11?');
    expect(shown.message?.intent).toBe('unclear');
  });

  it('puts the case at the top of its queue on a clear URGENT to the symptom check, and only then', async () => {
    const test = (current = await startOutboundHub(apis, ['twilio']));
    const caseId = await test.patientWrites('Mum seems more confused tonight');
    const priority = async () => (await test.hub.store.db.selectFrom('cases').select('priority').where('id', '=', caseId).executeTakeFirstOrThrow()).priority;
    const raised = async () => test.hub.store.db.selectFrom('audit').select('detail').where('case_id', '=', caseId).where('action', '=', 'case.priority_raised').execute();
    // The outreach team has reviewed the call and lowered its priority; they ask the family to say if it gets worse.
    const { version } = await test.hub.store.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow();
    const triaged = await new Promise<CommandResult>((resolve) =>
      (test.desk.socket.emit as (event: string, payload: unknown, ack: (result: CommandResult) => void) => void)('triage', { commandId: commandId(), caseId, version, priority: 3 }, resolve),
    );
    expect(triaged).toMatchObject({ ok: true });
    expect(await priority()).toBe(3);
    expect(await test.reply(caseId, 'Thanks for letting us know. Reply URGENT if symptoms have worsened.', 'symptom_check')).toMatchObject({ ok: true });

    // Unclear: a person reads it; nothing is raised on the strength of it.
    await test.patientWrites('maybe a bit worse?');
    expect((await test.messages(caseId)).at(-1)).toMatchObject({ intent: 'unclear' });
    expect(await priority()).toBe(3);

    await test.patientWrites('Worse. She is very breathless now');
    expect((await test.messages(caseId)).at(-1)).toMatchObject({ intent: 'unclear' });
    await test.patientWrites('URGENT');
    expect((await test.messages(caseId)).at(-1)).toMatchObject({ intent: 'answer:urgent' });
    expect(await priority()).toBe(1);
    const shown = await test.desk.waitFor((event) => event.type === 'message.received' && event.message?.body === 'URGENT');
    expect(shown.case.priority).toBe(1);
    expect((await raised()).map((row) => JSON.parse(row.detail) as unknown)).toEqual([expect.objectContaining({ from: 3, to: 1, intent: 'answer:urgent' })]);

    // Already at the top: a second URGENT records nothing more.
    await test.patientWrites('urgent');
    expect(await raised()).toHaveLength(1);
  });

  it('binds an answer for seven days after the question, and after that reads the message as an ordinary one', async () => {
    const test = (current = await startOutboundHub(apis, ['twilio']));
    const caseId = await test.patientWrites('Is my appointment still on?');
    expect(await test.reply(caseId, 'Your appointment is Tuesday 10am. Reply 1 to reschedule, 2 to cancel.', 'appointment_change')).toMatchObject({ ok: true });

    test.clock.advance(QUESTION_ANSWERABLE_MS);
    await test.patientWrites('2');
    expect((await test.messages(caseId)).at(-1)).toMatchObject({ body: '2', intent: 'answer:cancel' });

    test.clock.advance(1);
    await test.patientWrites('1');
    expect((await test.messages(caseId)).at(-1)).toMatchObject({ body: '1', intent: null });
  });

  it('binds a tapped button by the option id it echoes, and refuses an unknown template', async () => {
    const test = (current = await startOutboundHub(apis, ['whatsapp']));
    const whatsapp = { channel: 'whatsapp' as const, provider: 'whatsapp' as const };
    const caseId = await test.patientWrites('Appointment?', whatsapp);
    await test.reply(caseId, 'Reply YES to confirm, or NO to reschedule.', 'appointment_confirm');
    await test.patientWrites('No', { ...whatsapp, kind: 'button_reply', reply: { id: 'reschedule', title: 'No' } });
    expect((await test.messages(caseId)).at(-1)).toMatchObject({ intent: 'answer:reschedule' });

    expect(await test.reply(caseId, 'Hello', 'no_such_template')).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });
});
