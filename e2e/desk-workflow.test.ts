// The desk in real headless Chromium against a real hub: the issue-2 slice end to end.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, type Desk } from './support/browser';
import { casePanel, caseRow, expectText, markPage, pageMark } from './support/desk-page';
import { endDeskTest, openDeskAs, startDeskTest } from './support/desk-test';
import { LINES, STAFF, type TestHub } from './support/hub';

let hub: TestHub;
let browser: Browser;
const desks: Desk[] = [];

async function desk(member: (typeof STAFF)[keyof typeof STAFF]): Promise<Desk> {
  const opened = await openDeskAs(browser, hub, member);
  desks.push(opened);
  // A reload would lose this; its survival proves the desk recovered in place.
  await markPage(opened.page);
  return opened;
}

beforeAll(async () => {
  ({ hub, browser } = await startDeskTest());
});

afterAll(() => endDeskTest(hub, browser, desks));

describe('desk workflow', () => {
  it('shows the login screen and refuses a wrong password in plain words', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(hub.url);
    await screenshot(page, '01-login');
    await page.getByLabel('Username').fill('sam');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), 'That username and password do not match. Check them and try again.');
    await context.close();
  });

  it('a message arrives live; one desk acknowledges; the other sees it without reloading', async () => {
    const sam = await desk(STAFF.sam);
    const alex = await desk(STAFF.alex);
    const { caseId } = await hub.receive('+447700900901', LINES.martha, 'My dad is not making sense and is very pale', 'Priya Shah');

    await caseRow(sam.page, caseId).waitFor();
    await caseRow(alex.page, caseId).waitFor();
    await sam.page.getByTestId('alert-banner').waitFor();
    await screenshot(sam.page, '02-inbox-martha-alert');

    await caseRow(sam.page, caseId).click();
    await expectText(casePanel(sam.page).locator('.message-inbound .message-body'), 'My dad is not making sense and is very pale');
    await sam.page.getByRole('button', { name: 'Acknowledge', exact: true }).click();

    await caseRow(alex.page, caseId).and(alex.page.locator('[data-status="acknowledged"]')).waitFor();
    await alex.page.getByTestId('alert-banner').waitFor({ state: 'detached' });
    await sam.page.getByTestId('alert-banner').waitFor({ state: 'detached' });
    expect(await pageMark(alex.page)).toBe('no reload');
    await screenshot(sam.page, '03-case-acknowledged');
  });

  it('two desks acknowledge at once: one wins, the other is told who and when', async () => {
    const [sam, alex] = desks.slice(-2) as [Desk, Desk];
    const { caseId } = await hub.receive('+447700900902', LINES.martha, 'Grandma has a new rash and a fever');
    for (const opened of [sam, alex]) {
      await caseRow(opened.page, caseId).click();
      await casePanel(opened.page).and(opened.page.locator(`[data-case-id="${caseId}"]`)).waitFor();
    }
    // Both commands are in flight before either is answered: the hub holds Sam's until Alex's is done.
    const held = hub.holdNext('acknowledge');
    await sam.page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await held.reached;
    await alex.page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await expectText(alex.page.getByTestId('notice-text'), /^Acknowledged — case #\d+/);
    held.release();

    await expectText(sam.page.getByTestId('notice-text'), new RegExp(`^Already acknowledged by ${STAFF.alex.displayName} at \\d{2}:\\d{2}$`));
    expect(await sam.page.getByTestId('notice').getAttribute('class')).toContain('notice-error');
    // Sam's desk shows the truth: acknowledged, by Alex.
    await expectText(casePanel(sam.page).getByTestId('case-status'), new RegExp(`Acknowledged\\s+by ${STAFF.alex.displayName} at \\d{2}:\\d{2}`));
    await screenshot(sam.page, '04-already-acknowledged');
  });

  it('replies (with the SMS segment count) and resolves with an outcome, keyboard only', async () => {
    const sam = desks.find((opened) => opened.page.url().startsWith(hub.url)) as Desk;
    const { caseId } = await hub.receive('+447700900903', LINES.martha, 'Is the doctor coming? <img src=x onerror=alert(1)> https://example.com/x');
    await caseRow(sam.page, caseId).click();
    const panel = casePanel(sam.page);
    // Untrusted text stays text: the markup is shown, not parsed, and the address is a confirm-first button.
    await expectText(panel.locator('.message-inbound .message-body'), 'Is the doctor coming? <img src=x onerror=alert(1)> https://example.com/x');
    expect(await panel.locator('.message-body img').count()).toBe(0);
    expect(await panel.locator('.message-body a').count()).toBe(0);
    await panel.getByRole('button', { name: 'https://example.com/x' }).waitFor();

    await sam.page.keyboard.press('a');
    await panel.and(sam.page.locator('[data-status="acknowledged"]')).waitFor();
    await sam.page.keyboard.press('r');
    await sam.page.keyboard.type('The outreach nurse is on her way now.');
    await expectText(sam.page.getByTestId('segment-count'), /^SMS: 1 segment \(GSM-7\)/);
    await screenshot(sam.page, '05-composer');
    await sam.page.keyboard.press('Control+Enter');
    // The thread also holds the demo's automatic Martha's Rule first reply: find the staff reply by its text.
    await expectText(panel.locator('.message-outbound .message-body', { hasText: 'The outreach nurse is on her way now.' }), 'The outreach nurse is on her way now.');

    await sam.page.keyboard.press('Escape');
    await sam.page.keyboard.press('e');
    expect(await sam.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('outcome');
    await sam.page.getByTestId('outcome').selectOption('review_done');
    await sam.page.getByRole('button', { name: 'Resolve' }).press('Enter');
    await caseRow(sam.page, caseId).waitFor({ state: 'detached' });
    await expectText(sam.page.getByTestId('notice-text'), /^Resolved — case #\d+/);
  });

  it('recovers without a reload when the hub restarts, saying it was disconnected meanwhile', async () => {
    const sam = desks[desks.length - 2] as Desk;
    await hub.restart(async () => {
      await sam.page.locator('[data-connection="reconnecting"], [data-connection="stale"]').first().waitFor();
      await sam.page.locator('[data-connection="stale"]').waitFor({ timeout: 15_000 });
      await sam.page.getByTestId('stale-warning').waitFor();
      await screenshot(sam.page, '06-stale');
    });
    await sam.page.locator('[data-connection="live"]').waitFor({ timeout: 20_000 });
    await sam.page.getByTestId('stale-warning').waitFor({ state: 'detached' });
    const { caseId } = await hub.receive('+447700900904', LINES.martha, 'After the restart: still worried');
    await caseRow(sam.page, caseId).waitFor();
    expect(await pageMark(sam.page)).toBe('no reload');
  });
});
