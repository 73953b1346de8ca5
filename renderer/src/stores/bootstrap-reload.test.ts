// What the desk holds for the open case (its profile and thread) after it catches up by a full bootstrap rather than by
// events, from the desk's stores against a real hub: no event comes for what changed while it was away, so the
// bootstrap itself must reload them, leaving the screen as a fresh login would show it.
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { LINES, STAFF, TestHub } from '../../../e2e/support/hub';
import { DeskPool, until } from '../../../e2e/support/store-harness';
import { NoticeStore } from './notice-store';
import type { RootStore } from './root-store';

let hub: TestHub;
const desks = new DeskPool();

function desk(member: (typeof STAFF)[keyof typeof STAFF]): Promise<RootStore> {
  return desks.signIn(hub.url, member);
}

// Set before any desk exists: each desk's bound `announce` action wraps the prototype's method as it is then.
let announce: MockInstance<NoticeStore['announce']>;

/**
 * The consent sentences this desk has said since `from` calls, by urgency. Read from the `announce` calls (which still
 * run), not the announcer's state: what each call says is what is compared, however the announcer keeps it.
 */
function heardAboutConsent(store: RootStore): () => { polite: string[]; urgent: string[] } {
  const from = announce.mock.calls.length;
  return () => {
    const said = { polite: [] as string[], urgent: [] as string[] };
    announce.mock.calls.forEach(([text, urgency = 'polite'], index) => {
      if (index >= from && announce.mock.contexts[index] === store.notices && text.startsWith('The contact for')) said[urgency].push(text);
    });
    return said;
  };
}

const PHONE = '+447700900861';

/** Sam with a case open, its profile and thread loaded. */
async function samWithCaseOpen(): Promise<{ sam: RootStore; caseId: string; ref: number }> {
  const sam = await desk(STAFF.sam);
  const { caseId } = await hub.receive(PHONE, LINES.martha, 'Dad is breathing strangely');
  await until(() => sam.cases.get(caseId) !== undefined, 'case reached the desk');
  sam.selection.select(caseId);
  await until(() => sam.profiles.profile(caseId) !== undefined && sam.messages.thread(caseId) !== undefined, 'profile and thread loaded');
  return { sam, caseId, ref: sam.cases.get(caseId)?.ref ?? -1 };
}

/** Reconnects; with `bootstrap` the hub is made to refuse the gap, as the sync-store test does, so the desk rebuilds. */
async function reconnect(store: RootStore, how: 'bootstrap' | 'sync'): Promise<void> {
  const bootstraps = store.sync.bootstrapCount;
  if (how === 'bootstrap') store.sync.lastSeq = -1;
  store.transport.connect(store.session.token ?? '');
  await until(() => store.connection.state === 'live', 'live again');
  expect(store.sync.bootstrapCount).toBe(how === 'bootstrap' ? bootstraps + 1 : bootstraps);
}

const refused = (store: RootStore, caseId: string) => store.profiles.profile(caseId)?.contact.consents.every((consent) => consent.status === 'opted_out') === true;
const timelineHas = (store: RootStore, caseId: string, action: string) => store.profiles.profile(caseId)?.timeline.some((entry) => entry.action === action) === true;
const bodies = (store: RootStore, caseId: string) => (store.messages.thread(caseId) ?? []).map((message) => message.body);

beforeEach(async () => {
  announce = vi.spyOn(NoticeStore.prototype, 'announce');
  hub = await TestHub.start();
  for (const member of Object.values(STAFF)) await hub.addUser(member);
});

afterEach(async () => {
  desks.disposeAll();
  await hub.stop();
  announce.mockRestore();
});

describe('a full bootstrap reloads what the desk holds for the open case', () => {
  it('a STOP texted while the desk was away shows as opted out, with its thread, as on a fresh login', async () => {
    const { sam, caseId, ref } = await samWithCaseOpen();
    expect(refused(sam, caseId)).toBe(false);
    const samHeard = heardAboutConsent(sam);

    sam.transport.disconnect();
    await hub.receive(PHONE, LINES.martha, 'STOP');
    await reconnect(sam, 'bootstrap');

    await until(() => refused(sam, caseId), 'opted out shown after the bootstrap', 5000);
    await until(() => bodies(sam, caseId).includes('STOP'), 'thread reloaded after the bootstrap', 5000);
    // The case stayed open in front of the user: said once, politely, as the same STOP caught up by `sync` is (below).
    expect(samHeard().polite).toEqual([`The contact for case ${ref} opted out of messages (STOP by SMS). Replies to them are refused until they text START.`]);
    expect(samHeard().urgent).toEqual([]);

    // What a fresh login shows for the same case, nothing having changed since.
    const fresh = await desk(STAFF.alex);
    fresh.selection.select(caseId);
    await until(() => fresh.profiles.profile(caseId) !== undefined && fresh.messages.thread(caseId) !== undefined, 'fresh desk loaded the case');
    expect(sam.profiles.profile(caseId)).toEqual(fresh.profiles.profile(caseId));
    expect(sam.messages.thread(caseId)).toEqual(fresh.messages.thread(caseId));
    expect(sam.cases.get(caseId)).toEqual(fresh.cases.get(caseId));
  });

  it('a change that leaves consent as it was is reloaded too (the timeline) and says nothing', async () => {
    const { sam, caseId } = await samWithCaseOpen();
    const alex = await desk(STAFF.alex);
    await until(() => alex.cases.get(caseId) !== undefined, 'alex has the case');
    const samHeard = heardAboutConsent(sam);

    sam.transport.disconnect();
    expect(await alex.cases.acknowledge(caseId)).toBe(true);
    await reconnect(sam, 'bootstrap');

    await until(() => timelineHas(sam, caseId, 'case.acknowledged'), 'timeline reloaded after the bootstrap', 5000);
    expect(refused(sam, caseId)).toBe(false);
    expect(samHeard()).toEqual({ polite: [], urgent: [] });
  });

  it('the same STOP caught up by events instead is shown and said the same way', async () => {
    const { sam, caseId, ref } = await samWithCaseOpen();
    const samHeard = heardAboutConsent(sam);

    sam.transport.disconnect();
    await hub.receive(PHONE, LINES.martha, 'STOP');
    await reconnect(sam, 'sync');

    await until(() => refused(sam, caseId), 'opted out shown after the sync', 5000);
    expect(samHeard().polite).toEqual([`The contact for case ${ref} opted out of messages (STOP by SMS). Replies to them are refused until they text START.`]);
    expect(samHeard().urgent).toEqual([]);
  });
});
