import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../shared/protocol';
import type { Hub } from '../hub';
import { addStaff, commandId, connectDesk, DeskSet, inbound, LINES, startHub, stopHub, type TestDesk } from '../testing/hub-harness';

function send(desk: TestDesk, name: 'acknowledge' | 'assign' | 'triage' | 'reply' | 'resolve' | 'note', payload: unknown): Promise<CommandResult> {
  return new Promise((resolve) => (desk.socket.emit as (event: string, payload: unknown, ack: (result: CommandResult) => void) => void)(name, payload, resolve));
}

async function snapshot(hub: Hub) {
  const { db } = hub.store;
  return {
    cases: await db.selectFrom('cases').selectAll().execute(),
    messages: await db.selectFrom('messages').selectAll().execute(),
    events: await db.selectFrom('events').selectAll().execute(),
    audit: await db.selectFrom('audit').selectAll().execute(),
    outbox: await db.selectFrom('outbox').selectAll().execute(),
  };
}

describe('desk commands', () => {
  let hub: Hub;
  let outreachA: TestDesk;
  let outreachB: TestDesk;
  const desks = new DeskSet(() => hub);
  let caseId: string;

  beforeEach(async () => {
    hub = await startHub();
    await addStaff(hub, 'sam', 'outreach');
    await addStaff(hub, 'kim', 'outreach');
    await addStaff(hub, 'nurse1', 'ward_nurse', ['W1']);
    [outreachA, outreachB] = await Promise.all([desks.connect('sam'), desks.connect('kim')]);
    caseId = (await hub.receive(inbound('+447700900456', LINES.martha, 'Mum is confused and breathing fast'))).caseId;
    await outreachA.waitFor((event) => event.case.id === caseId);
  });

  afterEach(() => stopHub(hub, desks));

  it('lets exactly one of two simultaneous acknowledgements win, and names the winner to the other', async () => {
    const results = await Promise.all([
      send(outreachA, 'acknowledge', { commandId: commandId(), caseId, version: 1 }),
      send(outreachB, 'acknowledge', { commandId: commandId(), caseId, version: 1 }),
    ]);
    const winners = results.filter((result) => result.ok);
    const losers = results.flatMap((result) => (result.ok ? [] : [result.error]));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const winner = winners[0]!;
    if (!winner.ok) throw new Error('unreachable');
    const winnerName = winner.case.acknowledgedBy === outreachA.userId ? 'Sam' : 'Kim';
    expect(losers[0]).toMatchObject({ code: 'already_acknowledged', by: { userId: winner.case.acknowledgedBy, displayName: winnerName }, at: winner.case.acknowledgedAt });
    expect(losers[0]!.message).toContain(winnerName);

    // Both desks see the one acknowledgement, and the store holds exactly one.
    await outreachB.waitFor((event) => event.type === 'case.acknowledged');
    await outreachA.waitFor((event) => event.type === 'case.acknowledged');
    const { audit } = await snapshot(hub);
    expect(audit.filter((row) => row.action === 'case.acknowledged')).toHaveLength(1);
  });

  it('answers a repeated command id with the first answer and changes nothing', async () => {
    const command = { commandId: commandId(), caseId, version: 1, body: 'The outreach team is on the way.' };
    const first = await send(outreachA, 'reply', command);
    expect(first.ok).toBe(true);
    const before = await snapshot(hub);
    const again = await send(outreachA, 'reply', command);
    expect(again).toEqual(first);
    expect(await snapshot(hub)).toEqual(before);
    expect(before.outbox).toHaveLength(1);
    expect(before.outbox[0]).toMatchObject({ to_address: '+447700900456', state: 'pending', body: command.body });

    // The same id from another user is a client bug, not a retry: refused, and still nothing changes.
    const stolen = await send(outreachB, 'reply', command);
    expect(stolen).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await snapshot(hub)).toEqual(before);
  });

  it('names the outbound message a reply stored in its answer, and a replay names the same one', async () => {
    const first = { commandId: commandId(), caseId, version: 1, body: 'The outreach team is on the way.' };
    const answer = await send(outreachA, 'reply', first);
    if (!answer.ok) throw new Error(`reply refused: ${answer.error.message}`);
    const stored = await hub.store.db.selectFrom('messages').select('id').where('case_id', '=', caseId).where('direction', '=', 'outbound').execute();
    expect(stored).toHaveLength(1);
    expect(answer.messageId).toBe(stored[0]!.id);
    // The same message the desks are told was queued, which is what delivery reports will name.
    const queued = await outreachB.waitFor((event) => event.type === 'reply.queued');
    expect(queued.message?.id).toBe(answer.messageId);

    // A retry of the same command is answered from the ledger, with the same id.
    const replayed = await send(outreachA, 'reply', first);
    expect(replayed).toEqual(answer);
    expect(replayed.ok && replayed.messageId).toBe(stored[0]!.id);

    // A second reply on the case names its own message, not the first.
    const second = await send(outreachA, 'reply', { commandId: commandId(), caseId, version: answer.case.version, body: 'They will be with you in 10 minutes.' });
    if (!second.ok) throw new Error(`second reply refused: ${second.error.message}`);
    const secondStored = await hub.store.db.selectFrom('messages').select('id').where('case_id', '=', caseId).where('body', '=', 'They will be with you in 10 minutes.').executeTakeFirstOrThrow();
    expect(second.messageId).toBe(secondStored.id);
    expect(second.messageId).not.toBe(answer.messageId);

    // Other commands name no message.
    const acknowledged = await send(outreachA, 'acknowledge', { commandId: commandId(), caseId, version: second.case.version });
    expect(acknowledged.ok && 'messageId' in acknowledged).toBe(false);
  });

  it('refuses malformed payloads and out-of-scope users without changing anything', async () => {
    const nurse = await connectDesk(hub, 'nurse1');
    try {
      const before = await snapshot(hub);
      const malformed: unknown[] = [
        undefined,
        null,
        'acknowledge',
        { caseId, version: 1 },
        { commandId: 'not-a-uuid', caseId, version: 1 },
        { commandId: commandId(), caseId, version: -1 },
        { commandId: commandId(), caseId, version: '1' },
      ];
      for (const payload of malformed) expect(await send(outreachA, 'acknowledge', payload)).toMatchObject({ ok: false, error: { code: 'invalid' } });
      expect(await send(outreachA, 'reply', { commandId: commandId(), caseId, version: 1, body: '   ' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      expect(await send(outreachA, 'reply', { commandId: commandId(), caseId, version: 1, body: 'x'.repeat(1601) })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      expect(await send(outreachA, 'resolve', { commandId: commandId(), caseId, version: 1, outcome: 'made-up' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      expect(await send(outreachA, 'triage', { commandId: commandId(), caseId, version: 1 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      expect(await send(outreachA, 'triage', { commandId: commandId(), caseId, version: 1, queueId: 'nowhere' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      // A Martha's Rule call cannot be closed with an outcome that is not a review outcome.
      expect(await send(outreachA, 'resolve', { commandId: commandId(), caseId, version: 1, outcome: 'answered' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      // A ward nurse cannot touch the outreach queue's case.
      for (const name of ['acknowledge', 'assign', 'reply', 'resolve', 'note'] as const) {
        const payload = { commandId: commandId(), caseId, version: 1, assigneeId: nurse.userId, body: 'hello', outcome: 'review_done' };
        expect(await send(nurse, name, payload)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
      // Nor be given it.
      expect(await send(outreachA, 'assign', { commandId: commandId(), caseId, version: 1, assigneeId: nurse.userId })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      const after = await snapshot(hub);
      expect(after.cases).toEqual(before.cases);
      expect(after.messages).toEqual(before.messages);
      expect(after.events).toEqual(before.events);
      expect(after.audit).toEqual(before.audit);
      expect(after.outbox).toEqual(before.outbox);
    } finally {
      nurse.close();
    }
  });

  it('refuses an acknowledgement that would stop the ladder over a family message the nurse was not shown, and changes nothing', async () => {
    const shown = await outreachA.waitFor((event) => event.case.id === caseId);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await hub.receive(inbound('+447700900456', LINES.martha, 'He has stopped answering us'));
    const before = await snapshot(hub);
    const refused = await send(outreachA, 'acknowledge', { commandId: commandId(), caseId, version: shown.case.version, seenLastMessageAt: shown.case.lastMessageAt });
    expect(refused).toMatchObject({ ok: false, error: { code: 'unseen_message', case: { id: caseId, status: 'open', lastMessagePreview: 'He has stopped answering us' } } });
    if (refused.ok) throw new Error('unreachable');
    expect(refused.error.at).toBe(refused.error.case?.lastMessageAt);
    expect(refused.error.at).toBeGreaterThan(shown.case.lastMessageAt);
    expect(await snapshot(hub)).toEqual(before);

    // Shown the new message, she acknowledges; a colleague's change that is not a family message does not bounce it.
    const now = refused.error.case!;
    expect((await send(outreachB, 'note', { commandId: commandId(), caseId, version: now.version, body: 'Bleeped the registrar' })).ok).toBe(true);
    const acknowledged = await send(outreachA, 'acknowledge', { commandId: commandId(), caseId, version: now.version, seenLastMessageAt: now.lastMessageAt });
    expect(acknowledged).toMatchObject({ ok: true, case: { status: 'acknowledged', acknowledgedBy: outreachA.userId } });
  });

  it('refuses a change made on a stale version and sends back the truth', async () => {
    await hub.receive(inbound('+447700900456', LINES.martha, 'He is now very sleepy'));
    const result = await send(outreachA, 'reply', { commandId: commandId(), caseId, version: 1, body: 'On our way' });
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict', case: { id: caseId, version: 2, lastMessagePreview: 'He is now very sleepy' } } });
  });

  it('runs a case from acknowledgement to resolution, every step audited and streamed in order', async () => {
    const acknowledged = await send(outreachA, 'acknowledge', { commandId: commandId(), caseId, version: 1 });
    expect(acknowledged).toMatchObject({ ok: true, case: { status: 'acknowledged', assigneeId: outreachA.userId, version: 2 } });
    const assigned = await send(outreachA, 'assign', { commandId: commandId(), caseId, version: 2, assigneeId: outreachB.userId });
    expect(assigned).toMatchObject({ ok: true, case: { assigneeId: outreachB.userId, version: 3 } });
    const noted = await send(outreachB, 'note', { commandId: commandId(), caseId, version: 3, body: 'NEWS2 7, reviewing now' });
    expect(noted).toMatchObject({ ok: true, case: { version: 4 } });
    const triaged = await send(outreachB, 'triage', { commandId: commandId(), caseId, version: 4, priority: 2 });
    expect(triaged).toMatchObject({ ok: true, case: { priority: 2, version: 5 } });
    const resolved = await send(outreachB, 'resolve', { commandId: commandId(), caseId, version: 5, outcome: 'change_in_care', summary: 'Antibiotics started' });
    expect(resolved).toMatchObject({ ok: true, case: { status: 'resolved', outcome: 'change_in_care', resolvedBy: outreachB.userId, version: 6 } });
    expect(await send(outreachB, 'reply', { commandId: commandId(), caseId, version: 6, body: 'late' })).toMatchObject({ ok: false, error: { code: 'conflict' } });

    await outreachA.waitFor((event) => event.type === 'case.resolved');
    const types = outreachA.events.map((event) => event.type);
    expect(types).toEqual(['case.opened', 'case.acknowledged', 'case.assigned', 'note.added', 'case.triaged', 'case.resolved']);
    const seqs = outreachA.events.map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const { audit } = await snapshot(hub);
    expect(audit.filter((row) => row.case_id === caseId).map((row) => row.action)).toEqual([
      'case.opened',
      'case.acknowledged',
      'case.assigned',
      'note.added',
      'case.triaged',
      'case.resolved',
    ]);
  });
});
