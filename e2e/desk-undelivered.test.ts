// H6 in real headless Chromium against a real hub whose carrier is the fake Twilio API: a reply the carrier refused
// marks the case's inbox row in words (its author reads "Your reply …"), and is in the author's alert tray — on a desk
// she signs in to afterwards too; the case panel offers "Mark as dealt with", and dismissing it takes the mark off the
// row, the entry out of every tray of hers, and puts what was done on the thread as a note.
import { tmpdir } from 'node:os';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeCarrierApis, fakeCarrierConfig, startFakeCarrierApis, TWILIO_INVALID_NUMBER, TWILIO_SEND } from '../server/outbox/fake-carrier-apis';
import { axeViolations, WCAG22_AA_AND_BEST_PRACTICE } from './support/axe';
import { type Desk } from './support/browser';
import { casePanel, caseRow, expectText } from './support/desk-page';
import { endDeskTest, openDeskAs, startDeskTest } from './support/desk-test';
import { LINES, STAFF, type TestHub } from './support/hub';

const FAMILY = '+447700900742';
const REASON = 'Not sent: the number is not a valid phone number (Twilio error 21211).';

let apis: FakeCarrierApis;
let hub: TestHub;
let browser: Browser;
let nina: Desk | undefined;
let ninaElsewhere: Desk | undefined;

beforeAll(async () => {
  apis = await startFakeCarrierApis();
  ({ hub, browser } = await startDeskTest([STAFF.nina], { carriers: fakeCarrierConfig(apis, tmpdir(), ['twilio']), outbox: { autoStart: false } }));
  nina = await openDeskAs(browser, hub, STAFF.nina);
});

afterAll(async () => {
  try {
    await endDeskTest(hub, browser, [nina, ninaElsewhere]);
  } finally {
    await apis.close();
  }
});

describe('a reply not delivered, in the browser', () => {
  it('marks the inbox row in words and puts it in the tray of its author, on a desk she signs in to later too, and "Mark as dealt with" clears both and notes what was done', async () => {
    if (nina === undefined) throw new Error('no desk');
    const page = nina.page;
    apis.override((call) => (TWILIO_SEND.test(call.path) ? TWILIO_INVALID_NUMBER : undefined));
    const { caseId } = await hub.receive(FAMILY, LINES.ward, 'Is Dad still on ward 2?', 'Jo Adeyemi');
    const row = caseRow(page, caseId);
    await row.click();
    const panel = casePanel(page, caseId);
    await page.getByTestId('composer').fill('Yes, bed 4.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await expectText(panel.locator('.message-outbound .delivery'), '· Queued');
    expect(await row.getByTestId('row-undelivered').count()).toBe(0);

    expect([...(await hub.hub.outbox.runDue()).values()]).toEqual(['failed']);
    await expectText(row.getByTestId('row-undelivered'), `Your reply not delivered by SMS. ${REASON}`);
    await expectText(panel.getByTestId('undelivered-notice').locator('.delivery-error'), `Your reply not delivered by SMS. ${REASON}`);
    expect(await axeViolations(page, WCAG22_AA_AND_BEST_PRACTICE)).toEqual([]);
    const { ref } = await hub.hub.store.db.selectFrom('cases').select('ref').where('id', '=', caseId).executeTakeFirstOrThrow();
    const trayEntry = (desk: Desk) => desk.page.locator('#alert-tray-list li[data-alert-kind="reply_undelivered"]');

    // Nina signs in on another PC too: the entry is in that desk's tray from the hub's list, not from the event.
    ninaElsewhere = await openDeskAs(browser, hub, STAFF.nina);
    await expectText(ninaElsewhere.page.getByTestId('alert-tray-button'), 'Alerts (1 new)');
    await ninaElsewhere.page.getByTestId('alert-tray-button').click();
    await expectText(trayEntry(ninaElsewhere).getByRole('button'), `Your reply not delivered — case #${ref}`);
    await page.getByTestId('alert-tray-button').click();
    await expectText(trayEntry(nina).getByRole('button'), `Your reply not delivered — case #${ref}`);
    await page.getByTestId('alert-tray-button').click();

    await panel.getByLabel('What was done instead').fill('Phoned Jo, told her bed 4');
    await panel.getByRole('button', { name: 'Mark as dealt with' }).click();
    await expectText(panel.locator('.message-note .message-body'), 'Phoned Jo, told her bed 4');
    expect(await row.getByTestId('row-undelivered').count()).toBe(0);
    expect(await panel.getByTestId('undelivered-notice').count()).toBe(0);
    // Dealt with: the entry leaves the open tray on the other PC at once, and this one's.
    await ninaElsewhere.page.locator('#alert-tray-list li').first().waitFor({ state: 'detached' });
    await expectText(ninaElsewhere.page.locator('#alert-tray-list'), 'No warnings or escalations waiting.');
    await page.getByTestId('alert-tray-button').click();
    expect(await trayEntry(nina).count()).toBe(0);
  });
});
