// A consent change on the open case, as a screen-reader user hears it, from the desk's stores against a real hub (the
// transport the browser uses): said once, politely, when it happens in front of them; never for what was already so;
// and a carrier's opt-out not on top of the failed reply that already said it.
import { tmpdir } from 'node:os';
import { observe } from 'mobx';
import { afterEach, describe, expect, it } from 'vitest';
import { LINES, STAFF, TestHub, type TestHubOptions } from '../../../e2e/support/hub';
import { DeskPool, signedInDesk, until } from '../../../e2e/support/store-harness';
import { fakeCarrierConfig, startFakeCarrierApis, type FakeCarrierApis } from '../../../server/outbox/fake-carrier-apis';
import type { Announcement } from './notice-store';
import type { RootStore } from './root-store';

// Each test starts its own hub (the carrier test needs fake carrier APIs); cleared once stopped.
let started: TestHub | undefined;
let apis: FakeCarrierApis | undefined;
const desks = new DeskPool();

async function startHub(options: TestHubOptions = {}): Promise<TestHub> {
  started = await TestHub.start(undefined, options);
  for (const member of Object.values(STAFF)) await started.addUser(member);
  return started;
}

function hubOf(): TestHub {
  if (started === undefined) throw new Error('no hub started');
  return started;
}

async function desk(member: (typeof STAFF)[keyof typeof STAFF]): Promise<RootStore> {
  const store = await signedInDesk(hubOf().url, member.username, member.password);
  desks.add(store);
  return store;
}

/**
 * Every polite and urgent announcement the desk makes from now on, one entry per `announce` call: each call replaces
 * its log whole, so `observe` sees each one, even two in one action, and the newest entry is the one it added.
 */
function heard(store: RootStore): { polite: string[]; urgent: string[] } {
  const log = { polite: [] as string[], urgent: [] as string[] };
  const added = (said: string[]) => (change: { newValue: readonly Announcement[] }) => {
    const newest = change.newValue.at(-1);
    if (newest !== undefined) said.push(newest.text);
  };
  observe(store.notices, 'politeAnnouncements', added(log.polite));
  observe(store.notices, 'urgentAnnouncements', added(log.urgent));
  return log;
}

const aboutConsent = (said: readonly string[]) => said.filter((text) => text.startsWith('The contact for'));

async function openCase(store: RootStore, from: string, text: string, line: string = LINES.martha): Promise<{ caseId: string; ref: number }> {
  const { caseId } = await hubOf().receive(from, line, text);
  await until(() => store.cases.get(caseId) !== undefined, `case "${text}"`);
  return { caseId, ref: store.cases.get(caseId)?.ref ?? -1 };
}

const refused = (store: RootStore, caseId: string) => store.profiles.profile(caseId)?.contact.consents.every((consent) => consent.status === 'opted_out') === true;
const timelineHas = (store: RootStore, caseId: string, action: string) => store.profiles.profile(caseId)?.timeline.some((entry) => entry.action === action) === true;

afterEach(async () => {
  desks.disposeAll();
  try {
    await started?.stop();
  } finally {
    started = undefined;
    await apis?.close();
    apis = undefined;
  }
});

describe('ProfileStore announcing a consent change on the open case', () => {
  it('a STOP while the case is open is said once, politely; a reload that changes nothing is not; START is said once', async () => {
    const hub = await startHub();
    const sam = await desk(STAFF.sam);
    const alex = await desk(STAFF.alex);
    const { caseId, ref } = await openCase(sam, '+447700900821', 'Mum is confused and breathless');
    const other = await openCase(alex, '+447700900822', 'Dad has not eaten for two days');
    sam.selection.select(caseId);
    alex.selection.select(other.caseId);
    await until(() => sam.profiles.profile(caseId) !== undefined && alex.profiles.profile(other.caseId) !== undefined, 'profiles loaded');
    const samHeard = heard(sam);
    const alexHeard = heard(alex);

    await hub.receive('+447700900821', LINES.martha, 'STOP');
    await until(() => refused(sam, caseId), 'opted out shown');
    // Acknowledging reloads the profile again; the timeline growing proves that reload was applied.
    expect(await sam.cases.acknowledge(caseId)).toBe(true);
    await until(() => timelineHas(sam, caseId, 'case.acknowledged'), 'reloaded after acknowledging');

    expect(aboutConsent(samHeard.polite)).toEqual([`The contact for case ${ref} opted out of messages (STOP by SMS). Replies to them are refused until they text START.`]);
    expect(aboutConsent(samHeard.urgent)).toEqual([]);
    // Alex has another case open: not told about a case they are not about to reply on.
    expect(aboutConsent(alexHeard.polite)).toEqual([]);

    await hub.receive('+447700900821', LINES.martha, 'START');
    await until(() => !refused(sam, caseId), 'opted back in shown');
    expect(aboutConsent(samHeard.polite).slice(1)).toEqual([`The contact for case ${ref} opted back in to messages (START by SMS). Replies can be sent to them again.`]);
    expect(aboutConsent(samHeard.urgent)).toEqual([]);
  });

  it('opening a case whose contact had already opted out says nothing (the composer says it), nor do its reloads', async () => {
    const hub = await startHub();
    const sam = await desk(STAFF.sam);
    const { caseId } = await openCase(sam, '+447700900823', 'Please can someone look at my husband');
    await hub.receive('+447700900823', LINES.martha, 'STOP');
    const stop = await hub.hub.store.db.selectFrom('events').select('seq').where('case_id', '=', caseId).where('type', '=', 'consent.changed').executeTakeFirstOrThrow();
    await until(() => sam.sync.lastSeq >= stop.seq, 'the STOP reached the desk before the case is opened');
    const samHeard = heard(sam);

    sam.selection.select(caseId);
    await until(() => refused(sam, caseId), 'opted out shown on opening');
    expect(await sam.cases.acknowledge(caseId)).toBe(true);
    await until(() => timelineHas(sam, caseId, 'case.acknowledged'), 'reloaded after acknowledging');

    expect(aboutConsent(samHeard.polite)).toEqual([]);
    expect(aboutConsent(samHeard.urgent)).toEqual([]);
  });

  it('a profile that arrives after its case was closed is not taken for what the desk showed when it is reopened', async () => {
    const hub = await startHub();
    const sam = await desk(STAFF.sam);
    const first = await openCase(sam, '+447700900825', 'Is anyone reading these?');
    const second = await openCase(sam, '+447700900826', 'My brother is much worse');
    sam.selection.select(first.caseId);
    await until(() => sam.profiles.profile(first.caseId) !== undefined, 'first profile loaded');

    // A reload of the first case is on its way when the user moves to the second case.
    const held = hub.holdNext('case:profile');
    const late = sam.profiles.load(first.caseId);
    await held.reached;
    sam.selection.select(second.caseId);
    held.release();
    await late;
    expect(sam.profiles.profile(first.caseId)).toBeUndefined();

    // The contact opts out while their case is closed; reopening it is a first load, which says nothing.
    await hub.receive('+447700900825', LINES.martha, 'STOP');
    const samHeard = heard(sam);
    sam.selection.select(first.caseId);
    await until(() => refused(sam, first.caseId), 'opted out shown on reopening');
    expect(aboutConsent(samHeard.polite)).toEqual([]);
  });

  it('a carrier refusing a reply as opted out: the failure says so, once, and no second sentence follows it', async () => {
    const fakes = await startFakeCarrierApis();
    apis = fakes;
    // Only Twilio is enabled; the outbox is driven by hand (runDue) so the test says when the send happens.
    const hub = await startHub({ carriers: fakeCarrierConfig(fakes, tmpdir(), ['twilio']), outbox: { autoStart: false } });
    const nina = await desk(STAFF.nina);
    const { caseId, ref } = await openCase(nina, '+447700900824', 'Can I bring Mum her glasses?', LINES.ward);
    nina.selection.select(caseId);
    await until(() => nina.profiles.profile(caseId) !== undefined, 'profile loaded');
    const ninaHeard = heard(nina);

    fakes.override((call) =>
      /\/Messages\.json$/.test(call.path) ? { status: 400, json: { code: 21610, message: 'Attempt to send to unsubscribed recipient', more_info: 'https://www.twilio.com/docs/errors/21610', status: 400 } } : undefined,
    );
    expect(await nina.cases.reply(caseId, 'We will keep them at the nurses’ station.')).toBe(true);
    expect([...(await hub.hub.outbox.runDue()).values()]).toEqual(['failed']);
    // The reload that shows it is the moment a second sentence would have been said.
    await until(() => refused(nina, caseId), 'opted out shown');

    const failures = ninaHeard.polite.filter((text) => text.startsWith('Reply failed'));
    expect(failures).toEqual([`Reply failed — case #${ref}. Not sent: the number has opted out with the carrier (Twilio error 21610; they replied STOP to it). Clarion now records them as opted out of every channel.`]);
    expect(aboutConsent(ninaHeard.polite)).toEqual([]);
    expect(ninaHeard.polite.at(-1)).toBe(failures[0]);

    // Opting back in is news the failure never said: announced as usual.
    await hub.receive('+447700900824', LINES.ward, 'START');
    await until(() => !refused(nina, caseId), 'opted back in shown');
    expect(aboutConsent(ninaHeard.polite)).toEqual([`The contact for case ${ref} opted back in to messages (START by SMS). Replies can be sent to them again.`]);
  });
});
