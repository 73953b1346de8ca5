// The reports view in real Chromium: measures and Martha's Rule figures from the real hub, as charts
// and tables, each exportable as CSV; axe-core finds nothing.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe';
import { screenshot, type Desk } from './support/browser';
import { caseRow } from './support/desk-page';
import { endDeskTest, openDeskAs, startDeskTest } from './support/desk-test';
import { LINES, STAFF, type TestHub } from './support/hub';

let hub: TestHub;
let browser: Browser;
let sam: Desk;

beforeAll(async () => {
  ({ hub, browser } = await startDeskTest());
  sam = await openDeskAs(browser, hub, STAFF.sam);
});

afterAll(() => endDeskTest(hub, browser, [sam]));

describe('reports', () => {
  it("shows this month's Martha's Rule figures and measures, with CSV downloads", async () => {
    const reviewed = await hub.receive('+447700900741', LINES.martha, 'Mum is getting worse');
    const open = await hub.receive('+447700900742', LINES.martha, 'Dad has a high temperature');
    const page = sam.page;
    await page.locator(`[data-case-id="${open.caseId}"]`).first().waitFor();
    await caseRow(page, reviewed.caseId).click();
    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    // The outreach nurse reads first what is known of the call, and what to ask the family.
    await page.getByTestId('call-summary').getByText('Nothing recorded yet.').waitFor();
    await page.getByTestId('call-still-to-ask').filter({ hasText: "Still to ask: who is calling, the patient's name, their ward and the concern." }).waitFor();
    // Recording who called puts the call in that row of the NHS England figures.
    await page.getByText('More actions').click();
    await page.getByLabel('Caller').selectOption('family');
    await page.getByLabel('Concern').fill('Looks more unwell since the morning');
    await page.getByRole('button', { name: 'Record call' }).click();
    await page.getByTestId('notice-text').filter({ hasText: /^Call details recorded — case #\d+/ }).waitFor();
    await page.getByTestId('call-caller').filter({ hasText: 'Family member' }).waitFor();
    await page.getByTestId('call-concern').filter({ hasText: 'Looks more unwell since the morning' }).waitFor();
    await page.getByTestId('call-still-to-ask').filter({ hasText: "Still to ask: the patient's name and their ward." }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('outcome').selectOption('review_done');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await caseRow(page, reviewed.caseId).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Reports' }).click();
    const martha = page.getByTestId('martha-table');
    await martha.waitFor();
    const allCallers = martha.locator('tbody tr', { hasText: 'All callers' });
    // Calls, Reviewed, To critical care, Other change in care, No change, To PALS, Still open
    expect(await allCallers.locator('td').allInnerTexts()).toEqual(['2', '1', '0', '0', '0', '0', '1']);
    expect(await martha.locator('tbody tr', { hasText: 'Family' }).locator('td').allInnerTexts()).toEqual(['1', '1', '0', '0', '0', '0', '0']);
    expect(await martha.locator('tbody tr', { hasText: 'Not recorded' }).locator('td').allInnerTexts()).toEqual(['1', '0', '0', '0', '0', '0', '1']);
    const measures = page.getByTestId('measures-table');
    await measures.locator('tbody tr', { hasText: "Martha's Rule" }).waitFor();
    expect(await measures.locator('tbody tr', { hasText: "Martha's Rule" }).locator('td').first().innerText()).toBe('2');
    expect(await page.locator('.chart .recharts-wrapper').count()).toBe(2);
    expect(await page.locator('.chart .recharts-bar-rectangle').count()).toBeGreaterThan(0);
    await screenshot(page, '12-reports');

    const [marthaDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('region', { name: "Martha's Rule — monthly figures for NHS England" }).getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(marthaDownload.suggestedFilename()).toMatch(/^marthas-rule-\d{4}-\d{2}\.csv$/);
    const marthaCsv = readFileSync(await marthaDownload.path(), 'utf8');
    expect(marthaCsv.split('\r\n')[0]).toBe('month,caller_type,calls,reviews,transfers_to_critical_care,other_changes_in_care,no_change,redirected_to_pals,still_open');

    const [measuresDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('region', { name: 'Time to acknowledge and resolve, by queue' }).getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const measuresCsv = readFileSync(await measuresDownload.path(), 'utf8').split('\r\n');
    expect(measuresCsv[0]).toBe('queue,priority,cases,acknowledge_p50_min,acknowledge_p90_min,resolve_p50_min,resolve_p90_min,acknowledge_sla_met,resolve_sla_met,breaches');
    expect(measuresCsv[1]).toMatch(/^Martha's Rule,1,2,/);

    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Back to the desk' }).click();
    await caseRow(page, open.caseId).waitFor();
  });
});
