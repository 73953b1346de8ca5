// Issue-5 behaviours in real Chromium: the alert that cannot be missed, templates, filters and search,
// the ward display, and accessibility checked by axe-core on every main screen.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLY_TEMPLATES } from '../shared/reply-intent';
import { axeViolations, WCAG22_AA_AND_BEST_PRACTICE } from './support/axe';
import { screenshot, type Desk } from './support/browser';
import { announced, casePanel, caseRow, expectAnnounced } from './support/desk-page';
import { endDeskTest, openDeskAs, startDeskTest } from './support/desk-test';
import { LINES, STAFF, type TestHub } from './support/hub';

let hub: TestHub;
let browser: Browser;
let sam: Desk;
let alex: Desk;

beforeAll(async () => {
  ({ hub, browser } = await startDeskTest());
  sam = await openDeskAs(browser, hub, STAFF.sam);
  alex = await openDeskAs(browser, hub, STAFF.alex);
});

afterAll(() => endDeskTest(hub, browser, [sam, alex]));

describe('alerts', () => {
  it("a Martha's Rule call takes over the top with a repeating sound until a colleague acknowledges", async () => {
    const { caseId } = await hub.receive('+447700900951', LINES.martha, 'She is drowsy and her lips look blue');
    const banner = sam.page.getByTestId('alert-banner');
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(/^Martha's Rule call — case #\d+/);
    await sam.page.waitForFunction(() => Number(document.documentElement.dataset.alertSoundPlays ?? '0') >= 1);
    expect(await sam.page.evaluate(() => document.documentElement.dataset.alertSound)).toBe('on');
    // Screen readers hear it at once, not when they next pass by.
    await expectAnnounced(sam.page, 'urgent', /^Martha's Rule call, case \d+, .+\. Needs acknowledging now\.$/);

    // Alex acknowledges on another desk; Sam's banner and sound stop without Sam doing anything.
    await caseRow(alex.page, caseId).click();
    await alex.page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await banner.waitFor({ state: 'detached' });
    expect(await sam.page.evaluate(() => document.documentElement.dataset.alertSound)).toBeUndefined();
  });

  it("two Martha's Rule calls at once are both said at once: the second does not replace the first unread", async () => {
    const [first, second] = await Promise.all([
      hub.receive('+447700900952', LINES.martha, 'My mum is not making sense any more'),
      hub.receive('+447700900953', LINES.martha, 'Nobody has checked on my brother and he is grey'),
    ]);
    const refs = await hub.hub.store.db.selectFrom('cases').select(['id', 'ref']).where('id', 'in', [first.caseId, second.caseId]).execute();
    const refOf = (caseId: string) => refs.find((row) => row.id === caseId)?.ref ?? -1;
    const call = (caseId: string) => new RegExp(`^Martha's Rule call, case ${refOf(caseId)}, .+\\. Needs acknowledging now\\.$`);
    await expectAnnounced(sam.page, 'urgent', call(first.caseId));
    await expectAnnounced(sam.page, 'urgent', call(second.caseId));
    // Two entries of the assertive log, each said once; neither went to the polite one.
    const urgent = await announced(sam.page, 'urgent');
    expect(urgent.filter((entry) => call(first.caseId).test(entry))).toHaveLength(1);
    expect(urgent.filter((entry) => call(second.caseId).test(entry))).toHaveLength(1);
    expect((await announced(sam.page, 'polite')).join('\n')).not.toContain("Martha's Rule call");
    expect(await sam.page.getByTestId('announcer-urgent').getAttribute('aria-live')).toBe('assertive');
    expect(await sam.page.getByTestId('announcer-urgent').getAttribute('aria-relevant')).toBe('additions');
  });
});

describe('working the inbox', () => {
  it('filters mine and unassigned, and searches by name, number and text from the keyboard', async () => {
    const joan = await hub.receive('+447700900961', LINES.martha, 'Question about visiting', 'Joan Bright');
    const other = await hub.receive('+447700900962', LINES.martha, 'Parking at night?');
    await caseRow(sam.page, other.caseId).waitFor();
    await caseRow(sam.page, joan.caseId).click();
    await sam.page.getByRole('button', { name: 'Assign to me' }).click();
    await casePanel(sam.page, joan.caseId).filter({ hasText: 'assigned to you' }).waitFor();

    await sam.page.getByLabel('Mine').check();
    await caseRow(sam.page, other.caseId).waitFor({ state: 'detached' });
    expect(await caseRow(sam.page, joan.caseId).count()).toBe(1);
    await sam.page.getByLabel('Unassigned').check();
    await caseRow(sam.page, joan.caseId).waitFor({ state: 'detached' });
    expect(await caseRow(sam.page, other.caseId).count()).toBe(1);
    await sam.page.getByLabel('All', { exact: true }).check();

    await sam.page.locator('body').click({ position: { x: 5, y: 880 } });
    await sam.page.keyboard.press('/');
    expect(await sam.page.evaluate(() => document.activeElement?.id)).toBe('inbox-search');
    await sam.page.keyboard.type('joan');
    await caseRow(sam.page, other.caseId).waitFor({ state: 'detached' });
    await sam.page.getByLabel('Search cases and contacts').fill('07700 900962');
    await caseRow(sam.page, other.caseId).waitFor();
    expect(await caseRow(sam.page, joan.caseId).count()).toBe(0);
    await sam.page.getByLabel('Search cases and contacts').fill('');
  });

  it('replies with a template: its options are shown and the patient receives its words', async () => {
    const template = REPLY_TEMPLATES.find((candidate) => candidate.options.length > 0);
    if (!template) throw new Error('no structured template in REPLY_TEMPLATES');
    const { caseId } = await hub.receive('+447700900971', LINES.martha, 'Do I still come in tomorrow?');
    await caseRow(sam.page, caseId).click();
    await sam.page.getByTestId('template').selectOption(template.id);
    expect(await sam.page.getByTestId('composer').inputValue()).toBe(template.body);
    await sam.page.getByTestId('template-options').waitFor();
    expect(await sam.page.getByTestId('template-options').innerText()).toContain(template.options.map((option) => option.label).join(' · '));
    await screenshot(sam.page, '07-template');
    await sam.page.getByRole('button', { name: 'Send reply' }).click();
    await sam.page.locator('.message-outbound .message-body', { hasText: template.body }).waitFor();
  });

  it('shows the keys with ? and closes them with Escape', async () => {
    await sam.page.locator('body').click({ position: { x: 5, y: 880 } });
    await sam.page.keyboard.press('?');
    const dialog = sam.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await axeViolations(sam.page, WCAG22_AA_AND_BEST_PRACTICE)).toEqual([]);
    await screenshot(sam.page, '08-keys');
    await sam.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });
});

describe('accessibility (axe-core)', () => {
  it('finds nothing on the desk with a case open and an alert showing', async () => {
    const { caseId } = await hub.receive('+447700900981', LINES.martha, 'Please review my son, his breathing is fast https://example.org/a');
    await caseRow(sam.page, caseId).click();
    await sam.page.getByTestId('alert-banner').waitFor();
    await sam.page.locator('.message-inbound', { hasText: 'breathing is fast' }).waitFor();
    await screenshot(sam.page, '09-desk-alert-case');
    expect(await axeViolations(sam.page, WCAG22_AA_AND_BEST_PRACTICE)).toEqual([]);
  });

  it('finds nothing on the ward display, which shows no patient text', async () => {
    await sam.page.getByRole('button', { name: 'Ward display' }).click();
    await sam.page.getByRole('heading', { name: 'Needs acknowledging now' }).waitFor();
    expect(await sam.page.locator('.wall').innerText()).not.toContain('breathing is fast');
    await screenshot(sam.page, '10-ward-display');
    expect(await axeViolations(sam.page, WCAG22_AA_AND_BEST_PRACTICE)).toEqual([]);
    await sam.page.getByRole('button', { name: 'Back to the desk' }).click();
  });

  it('finds nothing on the login screen', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(hub.url);
    await page.getByLabel('Username').waitFor();
    expect(await axeViolations(page, WCAG22_AA_AND_BEST_PRACTICE)).toEqual([]);
    await context.close();
  });
});
