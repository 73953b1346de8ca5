// A case moved to a queue the desk's user does not see has left their sight (docs/protocol.md): it leaves the list, the
// open case and the alert banner, and the nurse who had it open is told why. Moved between two of their own queues it
// stays. Real hub, real socket.io, real desk stores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LINES, STAFF, TestHub, type StaffMember } from '../../../e2e/support/hub';
import { AnswerGate, DeskPool, until } from '../../../e2e/support/store-harness';
import type { RootStore } from './root-store';

/** Nina's colleague on ward 2: sees what Nina sees (ward 2 and triage), so can move Nina's cases. */
const OLA = { username: 'ola', password: 'ward two second nurse', displayName: 'Ola Bakare', role: 'ward_nurse', wards: ['W2'] } satisfies StaffMember;
/** Sees every queue, so can move a case back from PALS. */
const BOSS = { username: 'boss', password: 'site admin pass phrase', displayName: 'Bo Sims', role: 'admin', wards: [] } satisfies StaffMember;
const FAMILY = '+447700900870';

let hub: TestHub;
const desks = new DeskPool();

function desk(member: StaffMember): Promise<RootStore> {
  return desks.signIn(hub.url, member);
}

/** A desk whose transport can hold back the hub's answer to a request while events keep coming. */
async function deskWithGate(member: StaffMember): Promise<{ store: RootStore; gate: AnswerGate }> {
  let gate: AnswerGate | undefined;
  const store = await desks.signIn(hub.url, member, { wrapTransport: (inner) => (gate = new AnswerGate(inner)) });
  if (gate === undefined) throw new Error('the transport was not wrapped');
  return { store, gate };
}

/** A family writing on the shared ward line from a number no patient is linked to: the case opens in triage. */
async function triageCase(seenBy: readonly RootStore[], text: string): Promise<string> {
  const { caseId } = await hub.receive(FAMILY, LINES.ward, text);
  for (const store of seenBy) await until(() => store.cases.get(caseId) !== undefined, `case "${text}" on the desk`);
  return caseId;
}

async function openCase(store: RootStore, caseId: string): Promise<void> {
  store.selection.select(caseId);
  await until(() => store.messages.thread(caseId) !== undefined, 'thread loaded');
}

async function move(store: RootStore, caseId: string, queueId: string): Promise<void> {
  expect(await store.cases.triage(caseId, { queueId })).toBe(true);
}

beforeEach(async () => {
  hub = await TestHub.start();
  for (const member of [STAFF.nina, STAFF.sam, OLA, BOSS]) await hub.addUser(member);
});

afterEach(async () => {
  desks.disposeAll();
  await hub.stop();
});

describe('a case moved out of the queues a desk sees', () => {
  it('leaves the list and the open case of a nurse who sees only her ward, and she is told why', async () => {
    const nina = await desk(STAFF.nina);
    const ola = await desk(OLA);
    const caseId = await triageCase([nina, ola], 'Can I bring flowers to my mum?');
    await openCase(nina, caseId);
    const ref = nina.cases.get(caseId)?.ref;
    expect(nina.cases.unacknowledgedTotal).toBe(1);

    await move(ola, caseId, 'pals');

    await until(() => nina.cases.get(caseId) === undefined, 'the case leaves Nina’s desk');
    expect(nina.cases.activeCases.map((view) => view.id)).not.toContain(caseId);
    expect(nina.selection.inboxCases.map((view) => view.id)).not.toContain(caseId);
    expect(nina.cases.unacknowledgedTotal).toBe(0);
    expect(nina.selection.selectedCaseId).toBeNull();
    expect(nina.messages.thread(caseId)).toBeUndefined();
    const words = `Case #${ref} was moved by Ola Bakare to a queue you do not see — no longer in your list`;
    expect(nina.notices.notice).toMatchObject({ tone: 'info', text: words });
    expect(nina.notices.politeAnnouncements.map((entry) => entry.text)).toContain(words);
    // The mover sees no more of it than Nina does.
    await until(() => ola.cases.get(caseId) === undefined, 'the case leaves Ola’s desk');
  });

  it('stays, with its thread and on screen, when moved between two queues the nurse sees', async () => {
    const nina = await desk(STAFF.nina);
    const ola = await desk(OLA);
    const caseId = await triageCase([nina, ola], 'Is visiting at 2?');
    await openCase(nina, caseId);
    const noticeBefore = nina.notices.notice;

    await move(ola, caseId, 'ward-W2');

    await until(() => nina.cases.get(caseId)?.queueId === 'ward-W2', 'the move reaches Nina');
    expect(nina.cases.activeCases.map((view) => view.id)).toContain(caseId);
    expect(nina.selection.selectedCaseId).toBe(caseId);
    expect(nina.messages.thread(caseId)?.map((message) => message.body)).toContain('Is visiting at 2?');
    expect(nina.notices.notice).toBe(noticeBefore);
  });

  it("takes a Martha's Rule call out of the banner of a desk it moved away from", async () => {
    const sam = await desk(STAFF.sam);
    const boss = await desk(BOSS);
    const { caseId } = await hub.receive('+447700900871', LINES.martha, 'Dad is very drowsy');
    await until(() => sam.alerts.hasMartha && boss.cases.get(caseId) !== undefined, 'the call sounds on Sam’s desk');

    await move(boss, caseId, 'triage');

    await until(() => sam.cases.get(caseId) === undefined, 'the call leaves Sam’s desk');
    expect(sam.alerts.active).toEqual([]);
    expect(sam.alerts.hasMartha).toBe(false);
  });

  it('comes back with what the family wrote while it was away, when moved back into sight', async () => {
    const nina = await desk(STAFF.nina);
    const ola = await desk(OLA);
    const boss = await desk(BOSS);
    const caseId = await triageCase([nina, ola, boss], 'Which ward is my son on?');
    await openCase(nina, caseId);
    nina.selection.select(null);

    await move(ola, caseId, 'pals');
    await until(() => nina.cases.get(caseId) === undefined, 'the case leaves Nina’s desk');
    await hub.receive(FAMILY, LINES.ward, 'He is called Tom, born 2015');
    await until(() => boss.cases.get(caseId)?.lastMessagePreview === 'He is called Tom, born 2015', 'the family wrote again');
    await move(boss, caseId, 'ward-W2');

    await until(() => nina.cases.get(caseId)?.queueId === 'ward-W2', 'the case is back on Nina’s desk');
    nina.selection.select(caseId);
    await until(() => (nina.messages.thread(caseId) ?? []).some((message) => message.body === 'He is called Tom, born 2015'), 'the thread shows the new message');
  });

  it('is not brought back by the answer to a command that the move overtook', async () => {
    const { store: nina, gate } = await deskWithGate(STAFF.nina);
    const ola = await desk(OLA);
    const caseId = await triageCase([nina, ola], 'Can someone call me back?');

    const held = gate.holdNext('assign');
    const assigning = nina.cases.assignToMe(caseId);
    await held.answered;
    await until(() => ola.cases.get(caseId)?.assigneeId === nina.session.user?.id, 'Ola sees the assignment');
    await move(ola, caseId, 'pals');
    await until(() => nina.cases.get(caseId) === undefined, 'the move reaches Nina before the answer');

    held.release();
    expect(await assigning).toBe(true);
    expect(nina.cases.get(caseId)).toBeUndefined();
    expect(nina.cases.activeCases.map((view) => view.id)).not.toContain(caseId);
  });
});
