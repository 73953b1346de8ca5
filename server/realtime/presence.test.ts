// Presence against a real hub with real socket.io clients: who is viewing or typing in a case reaches exactly the desks
// of the case's queue, stops being shown when a desk leaves, lapses when typing is not refreshed (the hub's clock is
// moved by hand), and is never stored: no event, no sequence number, no version bump.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CasePresence, PresenceListResult, PresenceSetResult } from '../../shared/protocol';
import { TYPING_EXPIRES_MS } from '../../shared/protocol';
import { ManualClock } from '../clock';
import type { Hub } from '../hub';
import { currentSeq } from '../store/event-log';
import { addStaff, DeskSet, inbound, LINES, startHub, stopHub, type TestDesk } from '../testing/hub-harness';

const T0 = Date.UTC(2026, 5, 10, 9, 0);

/** Records the presence updates a desk is pushed, and waits for one that matches. */
function presenceLog(desk: TestDesk) {
  const updates: CasePresence[] = [];
  const waiters = new Set<() => void>();
  desk.socket.on('presence', (update) => {
    updates.push(update);
    for (const wake of waiters) wake();
  });
  return {
    updates,
    next(predicate: (update: CasePresence) => boolean): Promise<CasePresence> {
      const from = updates.length;
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = updates.slice(from).find(predicate);
          if (found === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => reject(new Error(`no matching presence update (held ${updates.length})`)), 5000);
        waiters.add(check);
      });
    },
  };
}

const setPresence = (desk: TestDesk, caseId: string | null, typing = false) =>
  new Promise<PresenceSetResult>((resolve) => desk.socket.emit('presence:set', { caseId, typing }, resolve));
const listPresence = (desk: TestDesk) => new Promise<PresenceListResult>((resolve) => desk.socket.emit('presence:list', {}, resolve));

describe('presence: who is viewing or typing in a case', () => {
  let hub: Hub;
  let clock: ManualClock;
  const desks = new DeskSet(() => hub);

  beforeEach(async () => {
    clock = new ManualClock(T0);
    hub = await startHub({ clock, escalationTimer: false });
    await addStaff(hub, 'sam', 'outreach');
    await addStaff(hub, 'alex', 'outreach');
    await addStaff(hub, 'pals1', 'pals_officer');
  });

  afterEach(() => stopHub(hub, desks));

  const desk = (name: string) => desks.connect(name);

  it('shows a viewer and a typist to the desks of the case queue only, and stores nothing', async () => {
    const [sam, alex, pals] = await Promise.all([desk('sam'), desk('alex'), desk('pals1')]);
    const [alexSees, palsSees] = [presenceLog(alex), presenceLog(pals)];
    const { caseId } = await hub.receive(inbound('+447700900501', LINES.martha, 'Mum is very drowsy'));
    const seqBefore = await currentSeq({ trx: hub.store.db, dialect: hub.store.dialect });
    const versionBefore = (await alex.waitFor((event) => event.case.id === caseId)).case.version;

    const viewing = alexSees.next((update) => update.caseId === caseId && update.viewers.length === 1);
    expect(await setPresence(sam, caseId)).toEqual({ ok: true });
    expect((await viewing).viewers).toEqual([{ userId: sam.userId, displayName: 'Sam', typing: false }]);

    const typing = alexSees.next((update) => update.caseId === caseId && update.viewers[0]?.typing === true);
    expect(await setPresence(sam, caseId, true)).toEqual({ ok: true });
    await typing;

    // A PALS case viewed by the PALS officer reaches the PALS desk: had the outreach case's presence been sent there,
    // it would have arrived first.
    const palsCase = await hub.receive(inbound('+447700900502', LINES.pals, 'Parking?'));
    const palsUpdate = palsSees.next((update) => update.caseId === palsCase.caseId);
    await setPresence(pals, palsCase.caseId);
    await palsUpdate;
    expect(palsSees.updates.map((update) => update.caseId)).toEqual([palsCase.caseId]);
    expect(await listPresence(pals)).toEqual({ ok: true, cases: [{ caseId: palsCase.caseId, viewers: [{ userId: pals.userId, displayName: 'Pals1', typing: false }] }] });

    // Not stored: the only sequence number spent since is the PALS message's, and the case's version did not move.
    expect(await currentSeq({ trx: hub.store.db, dialect: hub.store.dialect })).toBe(seqBefore + 1);
    const detail = await new Promise<{ ok: boolean; case?: { version: number } }>((resolve) => alex.socket.emit('case:detail', { caseId }, resolve));
    expect(detail.case?.version).toBe(versionBefore);
    expect(alex.events.filter((event) => event.case.id === caseId)).toHaveLength(1);
  });

  it('typing lapses without a refresh; a refresh keeps it', async () => {
    const [sam, alex] = await Promise.all([desk('sam'), desk('alex')]);
    const { caseId } = await hub.receive(inbound('+447700900503', LINES.martha, 'Please come'));
    await setPresence(sam, caseId, true);
    const typingOf = async () => {
      const list = await listPresence(alex);
      return list.ok ? list.cases[0]?.viewers[0]?.typing : undefined;
    };

    clock.advance(TYPING_EXPIRES_MS - 1000);
    expect(await typingOf()).toBe(true);
    await setPresence(sam, caseId, true);
    clock.advance(TYPING_EXPIRES_MS - 1000);
    expect(await typingOf()).toBe(true);
    clock.advance(1000);
    expect(await typingOf()).toBe(false);
    // Still viewing, though.
    expect(await listPresence(alex)).toEqual({ ok: true, cases: [{ caseId, viewers: [{ userId: sam.userId, displayName: 'Sam', typing: false }] }] });
  });

  it('a desk that disconnects or moves on stops being shown', async () => {
    const [sam, alex] = await Promise.all([desk('sam'), desk('alex')]);
    const alexSees = presenceLog(alex);
    const first = await hub.receive(inbound('+447700900504', LINES.martha, 'First'));
    const second = await hub.receive(inbound('+447700900505', LINES.martha, 'Second'));

    await setPresence(sam, first.caseId);
    const left = alexSees.next((update) => update.caseId === first.caseId && update.viewers.length === 0);
    const arrived = alexSees.next((update) => update.caseId === second.caseId && update.viewers.length === 1);
    await setPresence(sam, second.caseId);
    await Promise.all([left, arrived]);

    const gone = alexSees.next((update) => update.caseId === second.caseId && update.viewers.length === 0);
    sam.close();
    await gone;
    expect(await listPresence(alex)).toEqual({ ok: true, cases: [] });
  });

  it('refuses a case outside the desk queues and a payload that does not parse', async () => {
    const [pals, alex] = await Promise.all([desk('pals1'), desk('alex')]);
    const alexSees = presenceLog(alex);
    const { caseId } = await hub.receive(inbound('+447700900506', LINES.martha, 'Outreach only'));
    expect(await setPresence(pals, caseId)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await setPresence(pals, 'no-such-case')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const invalid = await new Promise<PresenceSetResult>((resolve) => pals.socket.emit('presence:set', { caseId } as never, resolve));
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await listPresence(alex)).toEqual({ ok: true, cases: [] });
    expect(alexSees.updates).toEqual([]);
  });
});
