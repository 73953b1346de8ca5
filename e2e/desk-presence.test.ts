// Issue 5 items 1 and 4 in real Chromium against a real hub, with two browser contexts: who is viewing and typing (in
// the list and in the case), the confirmation before replying to a case a colleague owns, the contact and patient
// panel, the case timeline, the on/off shift control — and axe-core still finds nothing.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openDesk, screenshot, type Desk } from './support/browser';
import { LINES, STAFF, TestHub } from './support/hub';
import { ensureRendererBuilt } from './support/renderer-build';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let hub: TestHub;
let browser: Browser;
let sam: Desk;
let alex: Desk;

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol: the desk's CSP rightly refuses an injected <script>.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations.map((violation) => ({ id: violation.id, help: violation.help, nodes: violation.nodes.map((node) => ({ target: node.target })) }));
  });
  return violations.map((violation) => `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

const row = (page: Page, caseId: string) => page.locator(`[role="option"][data-case-id="${caseId}"]`);
const casePanel = (page: Page, caseId: string) => page.locator(`section.case-panel[data-case-id="${caseId}"]`);

async function expectText(locator: ReturnType<Page['locator']>, expected: string | RegExp): Promise<void> {
  await locator.first().waitFor();
  const deadline = Date.now() + 10_000;
  let actual = '';
  while (Date.now() < deadline) {
    actual = (await locator.first().innerText()).trim();
    if (typeof expected === 'string' ? actual === expected : expected.test(actual)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(actual).toEqual(expected);
}

const staffReplies = (caseId: string) =>
  hub.hub.store.db.selectFrom('messages').select('body').where('case_id', '=', caseId).where('direction', '=', 'outbound').where('author_id', 'is not', null).execute();

beforeAll(async () => {
  await ensureRendererBuilt();
  hub = await TestHub.start();
  for (const member of Object.values(STAFF)) await hub.addUser(member);
  browser = await launchChromium();
  sam = await openDesk(browser, hub.url, STAFF.sam.username, STAFF.sam.password);
  alex = await openDesk(browser, hub.url, STAFF.alex.username, STAFF.alex.password);
});

afterAll(async () => {
  for (const desk of [sam, alex]) {
    expect(desk?.errors.filter((error) => !error.includes('WebSocket'))).toEqual([]);
    await desk?.context.close();
  }
  await browser?.close();
  await hub?.stop();
});

describe('presence and collision', () => {
  it('shows who is viewing and typing, asks before replying over the owner, and shows the panel and timeline', async () => {
    // A known mother of a patient on ward 2 calls the Martha's Rule line.
    const now = Date.now();
    await hub.hub.store.db.insertInto('patients').values({ id: 'p-e2e', nhs_number: '9434765919', name: 'Ada Lovelace', ward: 'W2', created_at: now }).execute();
    await hub.hub.store.db
      .insertInto('contacts')
      .values({ id: 'c-e2e', phone: '+447700900961', name: 'Anne Lovelace', patient_id: 'p-e2e', relation: 'parent', preferred_channel: 'sms', whatsapp_id: null, last_inbound_at: null, last_inbound_channel: null, created_at: now })
      .execute();
    const { caseId } = await hub.receive('+447700900961', LINES.martha, 'Ada is much worse since this morning');

    // Sam opens the case: Alex's list says so.
    await row(sam.page, caseId).click();
    await casePanel(sam.page, caseId).waitFor();
    await expectText(row(alex.page, caseId).getByTestId('row-viewers'), 'Sam Patel viewing');

    // Alex opens it too: each sees the other in the case, never themselves.
    await row(alex.page, caseId).click();
    await expectText(casePanel(sam.page, caseId).getByTestId('case-presence'), 'Alex Morgan is viewing');
    await expectText(casePanel(alex.page, caseId).getByTestId('case-presence'), 'Sam Patel is viewing');

    // Sam types: Alex sees it in the case and in the list.
    await sam.page.keyboard.press('a');
    await casePanel(sam.page, caseId).and(sam.page.locator('[data-status="acknowledged"]')).waitFor();
    await casePanel(sam.page, caseId).getByTestId('composer').fill('Outreach are on their way');
    await expectText(casePanel(alex.page, caseId).getByTestId('case-presence'), 'Sam Patel is typing…');
    await expectText(row(alex.page, caseId).getByTestId('row-viewers'), 'Sam Patel typing…');
    await screenshot(alex.page, '14-presence-typing');

    // Sam acknowledged, so Sam owns the case: Alex is warned, and a reply needs a real confirmation.
    const alexPanel = casePanel(alex.page, caseId);
    await expectText(alexPanel.getByTestId('owner-warning'), 'Sam Patel owns this case. You will be asked to confirm before your reply is sent.');
    await alexPanel.getByTestId('composer').fill('I am the nurse in charge, calling you now');
    await alexPanel.getByRole('button', { name: 'Send reply' }).click();
    const confirm = alex.page.getByRole('alertdialog');
    await expectText(confirm.locator('p'), 'Sam Patel owns this case. Send your reply anyway?');
    expect(await staffReplies(caseId)).toEqual([]);
    // Focus is on the choice (on Cancel: a hurried second Enter must not send over a colleague).
    expect(await alex.page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');

    // The contact and patient panel and the timeline, with the confirmation open: axe-core finds nothing.
    const panel = alexPanel.getByTestId('contact-panel');
    await expectText(panel.getByTestId('contact-relation'), 'Parent');
    await expectText(panel.getByTestId('contact-name'), /^Anne Lovelace · /);
    await expectText(panel.getByTestId('contact-preferred'), 'SMS');
    await expectText(panel.getByTestId('whatsapp-window'), /^Closed/);
    await expectText(panel.getByTestId('patient'), 'Ada Lovelace · NHS number 943 476 5919 · Ward W2');
    await expectText(panel.locator('tr[data-channel="sms"] td').first(), 'No objection recorded');
    const timeline = alexPanel.getByTestId('timeline');
    await expectText(timeline.locator('li').first(), /Case opened by a message from the contact \(SMS\)$/);
    await expectText(timeline.locator('li[data-action="case.acknowledged"]'), /Acknowledged by Sam Patel$/);
    await screenshot(alex.page, '15-owner-confirm-panel-timeline');
    expect(await axeViolations(alex.page)).toEqual([]);

    // Cancel sends nothing; confirming sends it.
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await staffReplies(caseId)).toEqual([]);
    await alexPanel.getByRole('button', { name: 'Send reply' }).click();
    await confirm.getByRole('button', { name: 'Send anyway' }).click();
    await expectText(alexPanel.locator('.message-outbound[data-direction="outbound"] .message-body').last(), 'I am the nurse in charge, calling you now');
    expect(await staffReplies(caseId)).toEqual([{ body: 'I am the nurse in charge, calling you now' }]);
    // The timeline grew on both desks, oldest first.
    await expectText(casePanel(sam.page, caseId).getByTestId('timeline').locator('li').last(), /Reply written by Alex Morgan \(SMS\)$/);
  });

  it('puts the user on and off shift from the header', async () => {
    const toggle = sam.page.getByTestId('shift-toggle');
    await expectText(toggle, 'Off shift');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    await expectText(toggle, 'On shift');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await expectText(sam.page.getByTestId('notice-text'), 'You are on shift: escalations can reach you');
    const row = await hub.hub.store.db.selectFrom('shifts').innerJoin('users', 'users.id', 'shifts.user_id').select('shifts.on_shift').where('users.username', '=', STAFF.sam.username).executeTakeFirst();
    expect(row?.on_shift).toBe(1);
    expect(await axeViolations(sam.page)).toEqual([]);
  });

  it('a colleague who closes the desk stops being shown', async () => {
    const { caseId } = await hub.receive('+447700900962', LINES.martha, 'Please come quickly');
    const late = await openDesk(browser, hub.url, STAFF.sam.username, STAFF.sam.password);
    await row(late.page, caseId).click();
    await expectText(row(alex.page, caseId).getByTestId('row-viewers'), 'Sam Patel viewing');
    await late.context.close();
    await row(alex.page, caseId).getByTestId('row-viewers').waitFor({ state: 'detached' });
  });
});
