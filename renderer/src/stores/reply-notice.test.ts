// The "Reply queued" notice against a real hub whose carrier is the fake Twilio API: it is keyed to the message the
// hub's answer names, so a failure report that overtakes the answer ends as the notice (never "queued" beside
// "Failed"), and another reply on the case failing does not replace it.
import { observe } from 'mobx';
import { describe, expect, it } from 'vitest';
import { LINES, STAFF } from '../../../e2e/support/hub';
import { AnswerGate, signedInDesk, until, useStaffedHubOnFakeTwilio } from '../../../e2e/support/store-harness';
import { TWILIO_INVALID_NUMBER, TWILIO_SEND } from '../../../server/outbox/fake-carrier-apis';
import type { Announcement } from './notice-store';
import type { RootStore } from './root-store';

const FAMILY = '+447700900861';

const staffed = useStaffedHubOnFakeTwilio();

async function ninaWithGate(): Promise<{ nina: RootStore; gate: AnswerGate }> {
  let gate: AnswerGate | undefined;
  const nina = await signedInDesk(staffed.hub.url, STAFF.nina.username, STAFF.nina.password, { wrapTransport: (inner) => (gate = new AnswerGate(inner)) });
  staffed.desks.add(nina);
  if (gate === undefined) throw new Error('the transport was not wrapped');
  return { nina, gate };
}

/** Opens a new case from the family on the ward line and waits for its thread. */
async function openCase(store: RootStore, text: string): Promise<{ caseId: string; ref: number }> {
  const { caseId } = await staffed.hub.receive(FAMILY, LINES.ward, text);
  await until(() => store.cases.get(caseId) !== undefined, `case "${text}"`);
  store.selection.select(caseId);
  await until(() => store.messages.thread(caseId) !== undefined, 'thread loaded');
  return { caseId, ref: store.cases.get(caseId)?.ref ?? -1 };
}

/** Every notice text shown and everything announced from now on, in order. */
function record(store: RootStore): { notices: string[]; polite: string[]; urgent: string[] } {
  const seen = { notices: [] as string[], polite: [] as string[], urgent: [] as string[] };
  observe(store.notices, 'notice', (change) => {
    if (change.newValue !== null) seen.notices.push(change.newValue.text);
  });
  const added = (said: string[]) => (change: { newValue: readonly Announcement[] }) => {
    const newest = change.newValue.at(-1);
    if (newest !== undefined) said.push(newest.text);
  };
  observe(store.notices, 'politeAnnouncements', added(seen.polite));
  observe(store.notices, 'urgentAnnouncements', added(seen.urgent));
  return seen;
}

const outbound = (store: RootStore, caseId: string, body: string) =>
  store.messages.thread(caseId)?.find((message) => message.direction === 'outbound' && message.body === body);

const aboutReplies = (said: readonly string[]) => said.filter((text) => text.startsWith('Reply'));

describe('a failure report that overtakes the answer to the reply', () => {
  it('ends as the notice, in the failure words, and "Reply queued" is never shown', async () => {
    staffed.apis.override((call) => (TWILIO_SEND.test(call.path) ? TWILIO_INVALID_NUMBER : undefined));
    const { nina, gate } = await ninaWithGate();
    const { caseId, ref } = await openCase(nina, 'Can I visit Dad after 8pm?');
    const seen = record(nina);
    const body = 'Visiting ends at 8pm, but ring the ward and we will let you in.';

    const held = gate.holdNext('reply');
    const sending = nina.cases.reply(caseId, body);
    await held.answered;
    expect([...(await staffed.hub.hub.outbox.runDue()).values()]).toEqual(['failed']);
    await until(() => outbound(nina, caseId, body)?.deliveryState === 'failed', 'the failure applied before the answer');
    // Said as it arrived (the case is open), with nothing yet to replace.
    const words = `Reply failed — case #${ref}. ${outbound(nina, caseId, body)?.deliveryError ?? ''}`;
    expect(words).toMatch(/Twilio error 21211/);
    expect(aboutReplies(seen.polite)).toEqual([words]);

    held.release();
    expect(await sending).toBe(true);
    expect(nina.notices.notice).toMatchObject({ tone: 'error', text: words, caseId, subject: null });
    expect(seen.notices.filter((text) => text.startsWith('Reply queued'))).toEqual([]);
    // Said once, politely: the answer does not say it again.
    expect(aboutReplies(seen.polite)).toEqual([words]);
    expect(aboutReplies(seen.urgent)).toEqual([]);
  });

  it('on a case no longer open, the notice is the first telling of the failure, and says it politely', async () => {
    staffed.apis.override((call) => (TWILIO_SEND.test(call.path) ? TWILIO_INVALID_NUMBER : undefined));
    const { nina, gate } = await ninaWithGate();
    const { caseId, ref } = await openCase(nina, 'Is Dad going home today?');
    const seen = record(nina);
    const body = 'The doctors will decide after the ward round.';

    const held = gate.holdNext('reply');
    const sending = nina.cases.reply(caseId, body);
    await held.answered;
    nina.selection.select(null);
    expect([...(await staffed.hub.hub.outbox.runDue()).values()]).toEqual(['failed']);
    await until(() => outbound(nina, caseId, body)?.deliveryState === 'failed', 'the failure applied before the answer');
    expect(aboutReplies(seen.polite)).toEqual([]);

    held.release();
    expect(await sending).toBe(true);
    const words = `Reply failed — case #${ref}. ${outbound(nina, caseId, body)?.deliveryError ?? ''}`;
    expect(nina.notices.notice).toMatchObject({ tone: 'error', text: words });
    expect(seen.notices.filter((text) => text.startsWith('Reply queued'))).toEqual([]);
    expect(aboutReplies(seen.polite)).toEqual([words]);
    expect(aboutReplies(seen.urgent)).toEqual([]);
  });
});

describe('two replies on one case', () => {
  it("the earlier one failing leaves the later one's \"Reply queued\" alone", async () => {
    const first = 'We are looking into it now.';
    const second = 'The nurse in charge will ring you within the hour.';
    staffed.apis.override((call) => (TWILIO_SEND.test(call.path) && new URLSearchParams(call.body).get('Body') === first ? TWILIO_INVALID_NUMBER : undefined));
    const { nina } = await ninaWithGate();
    const { caseId, ref } = await openCase(nina, 'Nobody has told us what is happening');

    expect(await nina.cases.reply(caseId, first)).toBe(true);
    expect(await nina.cases.reply(caseId, second)).toBe(true);
    expect(nina.notices.notice?.text).toBe(`Reply queued for sending — case #${ref}`);
    const seen = record(nina);
    // Only the first fails; the second is taken by the carrier.
    const outcomes = await staffed.hub.hub.outbox.runDue();
    expect([...outcomes.values()].sort()).toEqual(['failed', 'sent']);
    await until(() => outbound(nina, caseId, first)?.deliveryState === 'failed', 'the first reply failed');
    await until(() => outbound(nina, caseId, second)?.deliveryState !== 'queued', 'the second reply taken by the carrier');

    // The notice is about the second reply, which is on its way: the first one's failure is in the thread, and said.
    expect(nina.notices.notice).toMatchObject({ tone: 'info', text: `Reply queued for sending — case #${ref}` });
    const firstWords = `Reply failed — case #${ref}. ${outbound(nina, caseId, first)?.deliveryError ?? ''}`;
    expect(aboutReplies(seen.polite)).toEqual([firstWords]);
    expect(seen.notices).toEqual([]);
  });
});
