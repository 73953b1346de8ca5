// Presence, the reply-over-an-owner confirmation, the case profile and the shift control, from the desk's stores
// against a real hub (the transport the browser uses).
import { describe, expect, it } from 'vitest';
import { LINES, STAFF } from '../../../e2e/support/hub';
import { createDeskStore, signedInDesk, until, useStaffedHub } from '../../../e2e/support/store-harness';
import { formatClock } from '../format/time';
import { HttpLoginApi } from '../transport/login-api';
import { SocketTransport } from '../transport/socket-transport';
import { RootStore } from './root-store';

const staffed = useStaffedHub();

async function desk(member: (typeof STAFF)[keyof typeof STAFF], typingExpiresMs?: number): Promise<RootStore> {
  let store: RootStore;
  if (typingExpiresMs === undefined) {
    store = await signedInDesk(staffed.hub.url, member.username, member.password);
  } else {
    store = new RootStore({ transport: new SocketTransport({ url: staffed.hub.url, requestTimeoutMs: 5000 }), loginApi: new HttpLoginApi(staffed.hub.url), typingExpiresMs });
    if (!(await store.session.login(member.username, member.password))) throw new Error('login failed');
    await until(() => store.connection.state === 'live', `${member.username} live`);
  }
  staffed.desks.add(store);
  return store;
}

async function oneCase(store: RootStore, text: string, from = '+447700900810'): Promise<string> {
  const { caseId } = await staffed.hub.receive(from, LINES.martha, text);
  await until(() => store.cases.get(caseId) !== undefined, `case "${text}"`);
  return caseId;
}


describe('PresenceStore against a real hub', () => {
  it('shows a colleague viewing, then typing, then gone when their desk closes; never shows yourself', async () => {
    const sam = await desk(STAFF.sam);
    const alex = await desk(STAFF.alex, 60_000);
    const caseId = await oneCase(sam, 'Dad is worse tonight');
    await until(() => alex.cases.get(caseId) !== undefined, 'alex has the case');

    sam.selection.select(caseId);
    await until(() => alex.presence.othersOn(caseId).length === 1, 'alex sees sam viewing');
    expect(alex.presence.othersOn(caseId)).toEqual([{ userId: sam.session.user?.id, displayName: 'Sam Patel', typing: false }]);
    expect(sam.presence.othersOn(caseId)).toEqual([]);

    sam.presence.typing(caseId);
    await until(() => alex.presence.othersOn(caseId)[0]?.typing === true, 'alex sees sam typing');
    sam.presence.stoppedTyping(caseId);
    await until(() => alex.presence.othersOn(caseId)[0]?.typing === false, 'sam stopped typing');

    sam.dispose();
    await until(() => alex.presence.othersOn(caseId).length === 0, 'sam gone after disconnecting');
  });

  it('typing lapses on the desk when it is not refreshed (expiry is a parameter)', async () => {
    const sam = await desk(STAFF.sam);
    const alex = await desk(STAFF.alex, 50);
    const caseId = await oneCase(sam, 'Is someone coming?');
    sam.selection.select(caseId);
    sam.presence.typing(caseId);
    const samId = sam.session.user?.id ?? '';
    // The push that said "typing" arrived…
    await until(() => alex.presence.byCase.get(caseId)?.some((viewer) => viewer.typing) === true, 'typing pushed');
    // …and with no refresh it lapses, while Sam is still shown viewing.
    await until(() => alex.presence.othersOn(caseId)[0]?.typing === false, 'typing lapsed');
    expect(alex.presence.othersOn(caseId)).toEqual([{ userId: samId, displayName: 'Sam Patel', typing: false }]);
  });

  it('a desk that connects late gets the whole picture', async () => {
    const sam = await desk(STAFF.sam);
    const caseId = await oneCase(sam, 'Late joiner');
    sam.selection.select(caseId);
    // The hub has Sam on the case before Alex's desk exists, so only the list on connect can tell Alex.
    await sam.presence.view(caseId);
    const alex = createDeskStore(staffed.hub.url);
    staffed.desks.add(alex);
    await alex.session.login(STAFF.alex.username, STAFF.alex.password);
    await until(() => alex.presence.othersOn(caseId).length === 1, 'alex sees sam');
    expect(alex.presence.othersOn(caseId)[0]?.displayName).toBe('Sam Patel');
  });
});

describe('replying to a case someone else owns', () => {
  it('sends nothing until the user confirms over that owner', async () => {
    const sam = await desk(STAFF.sam);
    const alex = await desk(STAFF.alex);
    const caseId = await oneCase(sam, 'Please call me');
    expect(await sam.cases.assignToMe(caseId)).toBe(true);
    await until(() => alex.cases.get(caseId)?.assigneeId === sam.session.user?.id, 'alex sees it is sam’s');
    alex.selection.select(caseId);
    await until(() => alex.messages.thread(caseId) !== undefined, 'thread loaded');

    expect(alex.cases.otherOwner(caseId)).toEqual({ userId: sam.session.user?.id, displayName: 'Sam Patel' });
    expect(await alex.cases.reply(caseId, 'I can help')).toBe('needs_confirmation');
    // Confirming over someone else (a stale owner) is not confirming over the owner.
    expect(await alex.cases.reply(caseId, 'I can help', undefined, alex.session.user?.id)).toBe('needs_confirmation');
    // (The Martha's Rule line's automatic first reply has no author; only staff replies do.)
    const staffReplies = () =>
      staffed.hub.hub.store.db.selectFrom('messages').select('body').where('case_id', '=', caseId).where('direction', '=', 'outbound').where('author_id', 'is not', null).execute();
    expect(await staffReplies()).toEqual([]);

    expect(await alex.cases.reply(caseId, 'I can help', undefined, sam.session.user?.id)).toBe(true);
    expect(await staffReplies()).toEqual([{ body: 'I can help' }]);
    // Your own case (and an unassigned one) needs no confirmation.
    expect(await sam.cases.reply(caseId, 'Thanks Alex')).toBe(true);
  });
});

describe('ProfileStore and ShiftStore against a real hub', () => {
  it('loads the contact panel and the timeline of the open case, and keeps the timeline current', async () => {
    const sam = await desk(STAFF.sam);
    const caseId = await oneCase(sam, 'My mum is on ward 2', '+447700900811');
    sam.selection.select(caseId);
    await until(() => sam.profiles.profile(caseId) !== undefined, 'profile loaded');
    const profile = sam.profiles.profile(caseId);
    expect(profile?.contact).toMatchObject({ phone: '+447700900811', relation: 'unknown', preferredChannel: 'sms', whatsAppWindow: { open: false, closesAt: null } });
    expect(profile?.contact.consents.map((consent) => [consent.channel, consent.recorded])).toEqual([['sms', false], ['whatsapp', false], ['rcs', false]]);
    expect(profile?.patient).toBeNull();
    // Oldest first: the message that opened the case, then the Martha's Rule line's automatic first reply.
    expect(profile?.timeline.slice(0, 2)).toMatchObject([
      { action: 'case.opened', actor: { kind: 'carrier' }, channel: 'sms' },
      { action: 'reply.queued', actor: { kind: 'system' }, automatic: true },
    ]);

    expect(await sam.cases.acknowledge(caseId)).toBe(true);
    const acknowledged = () => sam.profiles.profile(caseId)?.timeline.find((entry) => entry.action === 'case.acknowledged');
    await until(() => acknowledged() !== undefined, 'timeline grew');
    expect(acknowledged()).toMatchObject({ actor: { kind: 'user', name: 'Sam Patel' } });
    const timeline = sam.profiles.profile(caseId)?.timeline ?? [];
    expect(timeline.map((entry) => entry.at)).toEqual([...timeline.map((entry) => entry.at)].sort((left, right) => left - right));

    await staffed.hub.receive('+447700900811', LINES.martha, 'STOP');
    await until(() => sam.profiles.profile(caseId)?.contact.consents.every((consent) => consent.status === 'opted_out') === true, 'opted out shown');
    expect(sam.profiles.profile(caseId)?.contact.consents[0]).toMatchObject({ recorded: true, source: 'keyword STOP via dev sms' });
  });

  it('reads the shift, and the control changes it on the hub', async () => {
    const sam = await desk(STAFF.sam);
    await until(() => sam.shift.onShift !== null, 'shift read');
    expect(sam.shift.onShift).toBe(false);
    expect(await sam.shift.set(true)).toBe(true);
    expect(sam.shift.onShift).toBe(true);
    const row = await staffed.hub.hub.store.db.selectFrom('shifts').select('on_shift').where('user_id', '=', sam.session.user?.id ?? '').executeTakeFirst();
    expect(row?.on_shift).toBe(1);
    const again = await desk(STAFF.sam);
    await until(() => again.shift.onShift !== null, 'second desk read the shift');
    expect(again.shift.onShift).toBe(true);
  });

  it('shows when the shift ends, offers to extend near the end, and the extension is audited', async () => {
    const sam = await desk(STAFF.sam);
    await until(() => sam.shift.onShift !== null, 'shift read');
    expect([sam.shift.defaultMinutes, sam.shift.maxMinutes]).toEqual([750, 840]);
    // Without a chosen end: the site's default long day or night, on the hub's clock.
    const before = Date.now();
    expect(await sam.shift.set(true)).toBe(true);
    expect(sam.shift.endsAt).toBeGreaterThanOrEqual(before + 750 * 60_000);
    expect(sam.shift.endsAt).toBeLessThanOrEqual(Date.now() + 750 * 60_000);
    expect(sam.notices.notice?.text).toBe(`You are on shift until ${formatClock(sam.shift.endsAt!)}: escalations can reach you`);
    expect(sam.shift.endingSoon).toBe(false);

    // Until a time 20 minutes away: near enough the end that the desk offers to extend, by an hour.
    const end = Date.now() + 20 * 60_000;
    expect(await sam.shift.set(true, end)).toBe(true);
    expect(sam.shift.endingSoon).toBe(true);
    expect(await sam.shift.extend()).toBe(true);
    expect(sam.shift.endsAt).toBe(end + 60 * 60_000);
    expect(sam.notices.notice?.text).toBe(`Shift extended: you are on shift until ${formatClock(end + 60 * 60_000)}`);
    const audit = await staffed.hub.hub.store.db.selectFrom('audit').select(['action', 'detail']).where('action', '=', 'shift.extended').orderBy('id').execute();
    expect(audit.map((row) => JSON.parse(row.detail) as unknown).at(-1)).toEqual({ userId: sam.session.user?.id, endsAt: end + 60 * 60_000, previousEndsAt: end });

    // Past the end on the (hub-corrected) clock, the desk shows off shift, as the hub counts it, and says so once, out
    // loud: nobody pressed anything, and escalations have stopped reaching her.
    sam.clock.offsetMs = 90 * 60_000;
    sam.clock.tick();
    expect(sam.shift.onShift).toBe(false);
    const ended = `Your shift ended at ${formatClock(end + 60 * 60_000)}: escalations no longer reach you. Go on shift again to keep receiving them.`;
    expect(sam.notices.notice?.text).toBe(ended);
    expect(sam.notices.urgentAnnouncements.map((entry) => entry.text)).toEqual([ended]);
    sam.clock.tick();
    expect(sam.notices.urgentAnnouncements).toHaveLength(1);
    // Beyond the site's maximum: refused in words, and nothing changed.
    sam.clock.offsetMs = 0;
    sam.clock.tick();
    expect(await sam.shift.set(true, Date.now() + 15 * 60 * 60_000)).toBe(false);
    expect(sam.notices.notice?.text).toMatch(/A shift can end at most 14 hours from now/);
    expect(sam.shift.endsAt).toBe(end + 60 * 60_000);
  });
});
