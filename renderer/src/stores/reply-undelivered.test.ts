// H6 on the desk: a reply that does not reach the family shows as a mark on the case's inbox row — on a resolved case
// too — and as a tray entry said out loud to its author; a desk signed in later still lists it, and an author signed
// out when it failed finds it in the tray; dismissing it (what was done instead) takes the resolved case out of the
// inbox and the entry out of the tray. Real hub, the fake Twilio API, real desk stores.
import { observe } from 'mobx';
import { describe, expect, it } from 'vitest';
import { LINES, STAFF } from '../../../e2e/support/hub';
import { createDeskStore, recordNativeAlerts, until, useStaffedHubOnFakeTwilio } from '../../../e2e/support/store-harness';
import { TWILIO_INVALID_NUMBER, TWILIO_SEND } from '../../../server/outbox/fake-carrier-apis';
import { replyUndeliveredWords } from '../format/undelivered-words';
import type { Announcement } from './notice-store';
import { nativeAlertForEntry } from './platform-link';

const FAMILY = '+447700900862';
const REASON = 'Not sent: the number is not a valid phone number (Twilio error 21211).';

const staffed = useStaffedHubOnFakeTwilio();

describe('a reply not delivered, on the desk', () => {
  it('marks the inbox row of a resolved case, tells its author in the tray and out loud, stays for a later sign-in, and goes when dismissed', async () => {
    staffed.apis.override((call) => (TWILIO_SEND.test(call.path) ? TWILIO_INVALID_NUMBER : undefined));
    const nina = await staffed.desks.signIn(staffed.hub.url, STAFF.nina);
    const urgent: string[] = [];
    observe(nina.notices, 'urgentAnnouncements', (change: { newValue: readonly Announcement[] }) => {
      const newest = change.newValue.at(-1);
      if (newest !== undefined) urgent.push(newest.text);
    });
    const { caseId } = await staffed.hub.receive(FAMILY, LINES.ward, 'Can I bring his glasses in tonight?');
    await until(() => nina.cases.get(caseId) !== undefined, 'case on the desk');
    expect(await nina.cases.reply(caseId, 'Yes, leave them at the nurses station.')).toBe(true);
    expect(await nina.cases.resolve(caseId, 'answered')).toBe(true);
    expect(nina.cases.activeCases.some((view) => view.id === caseId)).toBe(false);

    // The send fails after the case was resolved: the case comes back into the inbox, marked.
    expect([...(await staffed.hub.hub.outbox.runDue()).values()]).toEqual(['failed']);
    await until(() => nina.cases.activeCases.some((view) => view.id === caseId), 'resolved case back in the inbox');
    const view = nina.cases.get(caseId);
    expect(view).toMatchObject({ status: 'resolved', replyUndelivered: { channel: 'sms', reason: REASON } });
    if (view?.replyUndelivered == null) throw new Error('no mark');
    expect(replyUndeliveredWords(view.replyUndelivered, nina.session.user?.id)).toBe(`Your reply not delivered by SMS. ${REASON}`);
    await until(() => nina.alerts.tray.some((entry) => entry.kind === 'reply_undelivered'), 'tray entry');
    const entry = nina.alerts.tray.find((candidate) => candidate.kind === 'reply_undelivered');
    expect(entry).toMatchObject({ caseId, forMe: true });
    // One native notification for the author, naming the case and never the family's words.
    expect(entry === undefined ? null : nativeAlertForEntry(entry)).toEqual({
      caseId,
      kind: 'reply_undelivered',
      title: `Your reply was not delivered — case #${view.ref}`,
      body: `Your reply on case #${view.ref} did not reach the family. They may need a phone call.`,
      urgent: true,
    });
    expect(urgent).toContain(`Your reply was not delivered: case ${view.ref}. The family may need a phone call.`);

    // Signed in again elsewhere (the next shift's PC): the case is in the inbox with its mark from the start.
    const later = await staffed.desks.signIn(staffed.hub.url, STAFF.nina);
    expect(later.cases.activeCases.find((listed) => listed.id === caseId)?.replyUndelivered?.reason).toBe(REASON);

    // "Phoned the family": the mark goes on both desks, and the resolved case leaves the inbox.
    expect(await nina.cases.dismissUndelivered(caseId, 'Phoned the family')).toBe(true);
    await until(() => !later.cases.activeCases.some((listed) => listed.id === caseId), 'gone from the later desk');
    expect(nina.cases.activeCases.some((listed) => listed.id === caseId)).toBe(false);
    expect(nina.cases.get(caseId)?.replyUndelivered ?? null).toBeNull();
    expect(nina.alerts.tray.some((held) => held.kind === 'reply_undelivered')).toBe(false);
  });

  it('is in the tray of an author who was signed out when it failed, without a notification, until a colleague deals with it', async () => {
    staffed.apis.override((call) => (TWILIO_SEND.test(call.path) ? TWILIO_INVALID_NUMBER : undefined));
    const wren = { username: 'wren', password: 'another ward two pass', displayName: 'Wren Hale', role: 'ward_nurse' as const, wards: ['W2'] };
    await staffed.hub.addUser(wren);
    const colleague = await staffed.desks.signIn(staffed.hub.url, wren);

    // Nina answers, resolves the case and signs out; the carrier refuses the reply after she has gone.
    const nina = await staffed.desks.signIn(staffed.hub.url, STAFF.nina);
    const { caseId } = await staffed.hub.receive(FAMILY, LINES.ward, 'Is visiting at 3 today?');
    await until(() => nina.cases.get(caseId) !== undefined, 'case on the desk');
    expect(await nina.cases.reply(caseId, 'Yes, from 3 until 8.')).toBe(true);
    expect(await nina.cases.resolve(caseId, 'answered')).toBe(true);
    nina.session.logout();
    expect([...(await staffed.hub.hub.outbox.runDue()).values()]).toEqual(['failed']);
    await until(() => colleague.cases.get(caseId)?.replyUndelivered != null, 'marked on the colleague’s desk');
    const ref = colleague.cases.get(caseId)?.ref;

    // She signs in on the next PC: the entry is in her tray, said once politely, and nothing pops up again.
    const back = staffed.desks.add(createDeskStore(staffed.hub.url));
    const shown = recordNativeAlerts(back);
    if (!(await back.session.login(STAFF.nina.username, STAFF.nina.password))) throw new Error('login failed for nina');
    await until(() => back.alerts.tray.length > 0, 'tray entry restored');
    expect(back.alerts.tray.slice()).toEqual([
      expect.objectContaining({ kind: 'reply_undelivered', caseId, forMe: true, restored: true, messageId: colleague.cases.get(caseId)?.replyUndelivered?.messageId }),
    ]);
    expect(back.notices.politeAnnouncements.map((entry) => entry.text)).toContain('1 reply you wrote was not delivered: see the alert tray.');
    expect(back.notices.urgentAnnouncements).toEqual([]);
    expect(shown).toEqual([]);

    // Wren phones the family and marks it dealt with: it leaves Nina's tray at once, and she is told who did it.
    expect(await colleague.cases.dismissUndelivered(caseId, 'Phoned the family')).toBe(true);
    await until(() => back.alerts.tray.length === 0, 'entry out of the tray');
    expect(back.notices.politeAnnouncements.map((entry) => entry.text)).toContain(`Reply not delivered dealt with by Wren Hale: case ${ref}, taken out of your alert tray.`);
  });
});
