// Commands from the desk against a real hub: success, the typed refusals in nurse's words, and the
// view refreshed to the hub's truth after a refusal.
import { describe, expect, it } from 'vitest';
import { LINES, STAFF } from '../../../e2e/support/hub';
import { until, useStaffedHub } from '../../../e2e/support/store-harness';
import { formatClock } from '../format/time';
import type { RootStore } from './root-store';

const staffed = useStaffedHub();

function desk(member: (typeof STAFF)[keyof typeof STAFF]): Promise<RootStore> {
  return staffed.desks.signIn(staffed.hub.url, member);
}

async function oneCase(store: RootStore, text: string): Promise<string> {
  await staffed.hub.receive('+447700900800', LINES.martha, text);
  await until(() => store.cases.activeCases.some((view) => view.lastMessagePreview === text), `case "${text}"`);
  return store.cases.activeCases.find((view) => view.lastMessagePreview === text)?.id ?? '';
}


describe('CaseStore commands against a real hub', () => {
  it('two desks acknowledge at once: one wins, the other is told who and when and shows it', async () => {
    const sam = await desk(STAFF.sam);
    const alex = await desk(STAFF.alex);
    const caseId = await oneCase(sam, 'He is breathing strangely');
    await until(() => alex.cases.get(caseId) !== undefined, 'alex sees the case');

    const [samWon, alexWon] = await Promise.all([sam.cases.acknowledge(caseId), alex.cases.acknowledge(caseId)]);
    expect([samWon, alexWon].filter(Boolean)).toHaveLength(1);
    const [winner, loser] = samWon ? [sam, alex] : [alex, sam];
    const winnerName = samWon ? STAFF.sam.displayName : STAFF.alex.displayName;
    const acknowledgedAt = winner.cases.get(caseId)?.acknowledgedAt ?? 0;

    expect(loser.notices.notice?.tone).toBe('error');
    expect(loser.notices.notice?.text).toBe(`Already acknowledged by ${winnerName} at ${formatClock(acknowledgedAt)}`);
    expect(loser.cases.get(caseId)?.status).toBe('acknowledged');
    expect(winner.notices.notice?.tone).toBe('info');
  });

  it('a stale version gets "someone changed this case" and the view moves to the latest', async () => {
    const sam = await desk(STAFF.sam);
    const alex = await desk(STAFF.alex);
    const caseId = await oneCase(sam, 'Please call me back');
    await until(() => alex.cases.get(caseId) !== undefined, 'alex sees the case');

    // Alex's desk misses Sam's change, and its catch-up is held at the hub, so it still shows the old version.
    alex.transport.disconnect();
    expect(await sam.cases.assignToMe(caseId)).toBe(true);
    const latest = sam.cases.get(caseId);
    const held = staffed.hub.holdNext('sync');
    alex.transport.connect(alex.session.token ?? '');
    await held.reached;
    expect(alex.cases.get(caseId)?.version).toBeLessThan(latest?.version ?? 0);

    expect(await alex.cases.resolve(caseId, 'no_change')).toBe(false);
    expect(alex.notices.notice?.text).toBe('Someone changed this case — showing the latest. Check it, then try again.');
    expect(alex.cases.get(caseId)?.version).toBe(latest?.version);
    expect(alex.cases.get(caseId)?.assigneeId).toBe(sam.session.user?.id);
    expect(alex.cases.get(caseId)?.status).toBe('open');

    held.release();
    await until(() => alex.connection.state === 'live', 'alex live');
    expect(alex.cases.get(caseId)).toEqual(sam.cases.get(caseId));
  });

  it('reply, then resolve with an outcome: the thread shows the reply and the case leaves the inbox', async () => {
    const sam = await desk(STAFF.sam);
    const caseId = await oneCase(sam, 'Is anyone coming?');
    sam.selection.select(caseId);
    // The call and the demo's automatic Martha's Rule first reply.
    await until(() => sam.messages.thread(caseId)?.length === 2, 'thread loaded');

    expect(await sam.cases.acknowledge(caseId)).toBe(true);
    expect(await sam.cases.reply(caseId, 'Yes, the outreach nurse is on her way.')).toBe(true);
    const isSams = (message: { direction: string; authorId: string | null }) => message.direction === 'outbound' && message.authorId !== null;
    await until(() => (sam.messages.thread(caseId) ?? []).some(isSams), 'reply in thread');
    const reply = sam.messages.thread(caseId)?.find(isSams);
    expect(reply?.body).toBe('Yes, the outreach nurse is on her way.');
    expect(reply?.authorId).toBe(sam.session.user?.id);

    expect(await sam.cases.resolve(caseId, 'review_done')).toBe(true);
    expect(sam.cases.get(caseId)?.outcome).toBe('review_done');
    expect(sam.cases.activeCases.some((view) => view.id === caseId)).toBe(false);
  });

  it('while offline a command is not sent, and the nurse is told so', async () => {
    const sam = await desk(STAFF.sam);
    const caseId = await oneCase(sam, 'Hello?');
    sam.transport.disconnect();
    expect(await sam.cases.acknowledge(caseId)).toBe(false);
    expect(sam.notices.notice?.text).toMatch(/^Not connected to the hub — nothing was sent/);
    expect(sam.cases.pending.has(caseId)).toBe(false);

    const alex = await desk(STAFF.alex);
    expect(alex.cases.get(caseId)?.status).toBe('open');
  });
});
