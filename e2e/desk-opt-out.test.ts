// A contact who texted STOP, in real headless Chromium against a real hub: before the nurse types anything the composer
// says replies will be refused and to phone instead (axe-core clean); a reply sent anyway is refused by the hub in its
// own words and nothing is written; an internal note still goes in; START clears the notice live, and a second STOP
// brings it back live, without a reload. The polite announcer says each live change; opening the case says none.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, WCAG22_AA_AND_BEST_PRACTICE } from './support/axe';
import { screenshot, type Desk } from './support/browser';
import { announced, casePanel, caseRow, expectAnnounced, expectText, markPage, pageMark } from './support/desk-page';
import { endDeskTest, openDeskAs, startDeskTest } from './support/desk-test';
import { LINES, STAFF, type TestHub } from './support/hub';

const FAMILY = '+447700900751';
// The hub's words for a staff reply to an opted-out contact (server/commands/reply.ts).
const HUB_REFUSAL = 'Not sent: this contact has opted out of messages (they replied STOP). They can opt back in by replying START; until then, contact them another way.';
// "27 Nov, 10:02": the time of the STOP, on the hospital's clock.
const OPTED_OUT_BY_STOP = /^This contact has opted out of messages \(STOP by SMS on \d{1,2} [A-Z][a-z]{2}, \d{2}:\d{2}\)\. Replies will be refused; phone them instead\.$/;

let hub: TestHub;
let browser: Browser;
let nina: Desk | undefined;

beforeAll(async () => {
  // No carrier sends here: the keyword answers the hub queues stay queued, and nothing else depends on them.
  ({ hub, browser } = await startDeskTest([STAFF.nina], { outbox: { autoStart: false } }));
  nina = await openDeskAs(browser, hub, STAFF.nina);
});

afterAll(() => endDeskTest(hub, browser, [nina]));

const outboundStaffReplies = (caseId: string) =>
  hub.hub.store.db.selectFrom('messages').select('body').where('case_id', '=', caseId).where('direction', '=', 'outbound').where('author_id', 'is not', null).execute();

describe('a contact who opted out, in the composer', () => {
  it('says so before typing, keeps Send for the hub to refuse, still takes notes, and follows START and STOP live', async () => {
    if (nina === undefined) throw new Error('no desk');
    const page = nina.page;
    // A reload would lose this; its survival proves the notice came and went live.
    await markPage(page);

    const { caseId } = await hub.receive(FAMILY, LINES.ward, 'Is Dad allowed visitors today?', 'Priya Shah');
    await hub.receive(FAMILY, LINES.ward, 'STOP');
    await caseRow(page, caseId).click();
    const panel = casePanel(page, caseId);
    const { ref } = await hub.hub.store.db.selectFrom('cases').select('ref').where('id', '=', caseId).executeTakeFirstOrThrow();
    // The contact panel's consent table and the composer read the same profile.
    await expectText(panel.locator('[data-testid="consent-table"] tr[data-channel="sms"] td').first(), 'Opted out — do not message');

    // Before a word is typed, in reply mode.
    const composer = page.getByTestId('composer');
    const notice = panel.getByTestId('opted-out-notice');
    await expectText(notice, OPTED_OUT_BY_STOP);
    expect(await composer.inputValue()).toBe('');
    // Read with the text box: a screen-reader user hears it on reaching the box.
    const noticeId = await notice.getAttribute('id');
    expect(noticeId).not.toBeNull();
    expect((await composer.getAttribute('aria-describedby'))?.split(' ')).toContain(noticeId);
    expect(await axeViolations(page, WCAG22_AA_AND_BEST_PRACTICE)).toEqual([]);
    await screenshot(page, '18-composer-opted-out');
    // Already so when the case was opened: the notice is there to be reached, nothing is announced.
    expect((await announced(page, 'polite')).join('\n')).not.toContain('opted');

    // Send stays available (the desk's view may be behind the hub's); the hub refuses in its own words and writes nothing.
    await composer.fill('We can bring him a phone charger.');
    const send = page.getByRole('button', { name: 'Send reply' });
    expect(await send.isEnabled()).toBe(true);
    await send.click();
    await expectText(page.getByTestId('notice-text'), HUB_REFUSAL);
    expect(await outboundStaffReplies(caseId)).toEqual([]);
    // The nurse's words are kept, to copy into a note or read out on the phone.
    expect(await composer.inputValue()).toBe('We can bring him a phone charger.');

    // An internal note is not a message to the contact: no notice, and it is added.
    await page.getByLabel('Internal note').check();
    expect(await notice.count()).toBe(0);
    await composer.fill('Phoned the son: visiting confirmed for 3pm.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await panel.locator('.message-note', { hasText: 'Phoned the son: visiting confirmed for 3pm.' }).waitFor();
    await page.getByLabel('Reply to contact').check();
    await expectText(notice, OPTED_OUT_BY_STOP);

    // START: the notice goes, live.
    await hub.receive(FAMILY, LINES.ward, 'START');
    await notice.waitFor({ state: 'detached' });
    await expectText(panel.locator('[data-testid="consent-table"] tr[data-channel="sms"] td').first(), 'Opted in');
    await expectAnnounced(page, 'polite', `The contact for case ${ref} opted back in to messages (START by SMS). Replies can be sent to them again.`);

    // STOP again with the case open: it comes back, live.
    await hub.receive(FAMILY, LINES.ward, 'STOP');
    await expectText(notice, OPTED_OUT_BY_STOP);
    await expectAnnounced(page, 'polite', `The contact for case ${ref} opted out of messages (STOP by SMS). Replies to them are refused until they text START.`);
    expect((await announced(page, 'urgent')).join('\n')).not.toContain('Replies to them are refused');
    expect(await pageMark(page)).toBe('no reload');
  });
});
