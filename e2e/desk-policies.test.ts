// Administrators edit a queue's escalation policy in real Chromium: the table shows each queue's promises and ladder,
// a bad draft is explained without being sent, a good one is saved and shown as edited by whom; axe finds nothing.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe';
import { screenshot, type Desk } from './support/browser';
import { endDeskTest, openDeskAs, startDeskTest } from './support/desk-test';
import { STAFF, type StaffMember, type TestHub } from './support/hub';
const ADMIN: StaffMember = { username: 'jo', password: 'admin pass phrase', displayName: 'Jo Reid', role: 'admin', wards: [] };

let hub: TestHub;
let browser: Browser;
let jo: Desk;
let sam: Desk;

beforeAll(async () => {
  ({ hub, browser } = await startDeskTest([ADMIN, STAFF.sam]));
  [jo, sam] = await Promise.all([openDeskAs(browser, hub, ADMIN), openDeskAs(browser, hub, STAFF.sam)]);
});

afterAll(() => endDeskTest(hub, browser, [jo]));

describe('escalation policies', () => {
  it('are shown only to administrators', async () => {
    await sam.page.getByRole('button', { name: 'Reports' }).waitFor();
    expect(await sam.page.getByRole('button', { name: 'Policies' }).count()).toBe(0);
  });

  it('lets an administrator edit a queue policy, explaining a bad draft first', async () => {
    const page = jo.page;
    await page.getByRole('button', { name: 'Policies' }).click();
    const table = page.getByTestId('policies-table');
    const outreach = table.locator('tbody tr', { hasText: "Martha's Rule" });
    await outreach.waitFor();
    expect(await outreach.locator('td').nth(0).innerText()).toBe('5 min');
    expect(await outreach.locator('td').nth(5).innerText()).toBe('From the site configuration');

    await page.getByRole('button', { name: "Edit the policy of Martha's Rule" }).click();
    const draft = page.getByLabel('Policy (JSON)');
    const original = JSON.parse(await draft.inputValue()) as Record<string, unknown>;
    await draft.fill(JSON.stringify({ ...original, acknowledgeBy: { minutes: -3 } }, null, 2));
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByRole('alert').filter({ hasText: 'acknowledgeBy' }).waitFor();
    expect(await hub.hub.store.db.selectFrom('queue_policies').selectAll().execute()).toEqual([]);

    await draft.fill(JSON.stringify({ ...original, acknowledgeBy: { minutes: 3 } }, null, 2));
    await page.getByRole('button', { name: 'Save policy' }).click();
    await outreach.locator('td', { hasText: 'Edited by Jo Reid' }).waitFor();
    expect(await outreach.locator('td').nth(0).innerText()).toBe('3 min');
    await screenshot(page, '16-policies');

    expect(await axeViolations(page)).toEqual([]);

    // The hub applies it to the next call.
    const { caseId } = await hub.receive('+447700900990', '+447700900111', 'Please come');
    const row = await hub.hub.store.db.selectFrom('cases').select(['opened_at', 'ack_due_at']).where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row.ack_due_at! - row.opened_at).toBe(3 * 60_000);
    await page.getByRole('button', { name: 'Back to the desk' }).click();
  });
});
