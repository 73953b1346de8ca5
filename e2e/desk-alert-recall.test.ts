// H1/H8 in real Chromium: a nurse paged into a case while her desk was not open finds the page in her tray and in
// the counts when she signs in; the counts and the tray follow a colleague's acknowledgement live; and after a reload
// an acknowledged alert does not come back. Axe-clean with the counts on screen.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, WCAG22_AA_AND_BEST_PRACTICE } from './support/axe';
import { screenshot, type Desk } from './support/browser';
import { casePanel, caseRow, expectAnnounced, expectText } from './support/desk-page';
import { endDeskTest, openDeskAs, startDeskTest } from './support/desk-test';
import { LINES, STAFF, type TestHub } from './support/hub';

let hub: TestHub;
let browser: Browser;
let sam: Desk;
let alex: Desk | undefined;

beforeAll(async () => {
  ({ hub, browser } = await startDeskTest());
  sam = await openDeskAs(browser, hub, STAFF.sam);
});

afterAll(() => endDeskTest(hub, browser, [sam, alex]));

describe('alerts sent to someone whose desk was not open', () => {
  it('a user who signs in after being paged into a case sees it in the tray and the counts, and not after it was acknowledged', async () => {
    const { caseId } = await hub.receive('+447700900871', LINES.martha, 'Please come, he is worse');
    await caseRow(sam.page, caseId).click();
    await sam.page.getByText('More actions').click();
    await sam.page.getByLabel('Page').selectOption({ label: STAFF.alex.displayName });
    await sam.page.getByRole('button', { name: 'Page', exact: true }).click();
    await expectText(sam.page.getByTestId('notice-text'), /^Paged — case #\d+/);
    const { ref } = await hub.hub.store.db.selectFrom('cases').select('ref').where('id', '=', caseId).executeTakeFirstOrThrow();

    // Alex signs in afterwards: the page is in her tray and her count, though no event reached her desk.
    alex = await openDeskAs(browser, hub, STAFF.alex);
    const mine = alex.page.getByTestId('alerts-mine');
    await expectText(mine, /1 alert to you not dealt with/);
    expect(await mine.getAttribute('class')).toContain('waiting');
    await expectText(alex.page.getByTestId('queue-count-outreach'), '1');
    expect(await alex.page.getByTestId('queue-count-outreach').getAttribute('aria-label')).toBe('1 unacknowledged alert');
    await expectText(alex.page.getByTestId('alert-tray-button'), 'Alerts (1 new)');
    await alex.page.getByTestId('alert-tray-button').click();
    const entry = alex.page.locator('#alert-tray-list li[data-alert-kind="paged"]');
    await expectText(entry.getByRole('button'), `Paged to you — case #${ref}`);
    expect(await axeViolations(alex.page, WCAG22_AA_AND_BEST_PRACTICE)).toEqual([]);
    await screenshot(alex.page, '20-alert-tray-restored');
    await entry.getByRole('button').click();
    await casePanel(alex.page, caseId).waitFor();

    // Sam acknowledges: Alex's counts drop and the page leaves her tray without a reload, and she is told why; a
    // reload does not bring it back.
    await sam.page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await expectText(mine, /0 alerts to you not dealt with/);
    await expectText(alex.page.getByTestId('queue-count-outreach'), '0');
    await expectAnnounced(alex.page, 'polite', `Acknowledged by ${STAFF.sam.displayName}: case ${ref}, taken out of your alert tray.`);
    await expectText(alex.page.getByTestId('alert-tray-button'), 'Alerts');
    await alex.page.getByTestId('alert-tray-button').click();
    await expectText(alex.page.locator('#alert-tray-list'), 'No warnings or escalations waiting.');
    expect(await alex.page.locator('#alert-tray-list li').count()).toBe(0);
    await alex.page.reload();
    await alex.page.locator('[data-connection="live"]').waitFor();
    await expectText(alex.page.getByTestId('alerts-mine'), /0 alerts to you not dealt with/);
    await alex.page.getByTestId('alert-tray-button').click();
    await alex.page.locator('#alert-tray-list').waitFor();
    expect(await alex.page.locator('#alert-tray-list li').count()).toBe(0);
  });
});
