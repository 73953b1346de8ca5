// H4 in real headless Chromium against a real hub: a ward nurse links a family's phone to the patient from the case's
// contact panel (NHS number checked on the desk before sending, and by the hub), the panel shows the patient, and the
// family's next conversation on the shared ward line opens in that ward's queue instead of triage.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, WCAG22_AA_AND_BEST_PRACTICE } from './support/axe';
import { type Desk } from './support/browser';
import { casePanel, caseRow, expectText } from './support/desk-page';
import { endDeskTest, openDeskAs, startDeskTest } from './support/desk-test';
import { LINES, STAFF, type TestHub } from './support/hub';

const FAMILY = '+447700900743';

let hub: TestHub;
let browser: Browser;
let nina: Desk | undefined;

beforeAll(async () => {
  ({ hub, browser } = await startDeskTest([STAFF.nina]));
  nina = await openDeskAs(browser, hub, STAFF.nina);
});

afterAll(() => endDeskTest(hub, browser, [nina]));

describe('linking a contact to a patient, in the browser', () => {
  it('links from the contact panel, shows the patient, and routes the next conversation to the ward', async () => {
    if (nina === undefined) throw new Error('no desk');
    const page = nina.page;
    const { caseId } = await hub.receive(FAMILY, LINES.ward, 'How is Mum doing today?', 'Jo Adeyemi');
    await caseRow(page, caseId).click();
    const panel = casePanel(page, caseId);
    await expectText(panel.getByTestId('patient'), 'Not linked to a patient');

    await panel.getByText('Link to a patient…').click();
    await panel.getByLabel('NHS number').fill('943 476 5918');
    await panel.getByLabel("Patient's name").fill('Ada Lovelace');
    await panel.getByLabel('Ward (if known)').fill('W2');
    await panel.getByLabel('The contact is').selectOption('child');
    await panel.getByRole('button', { name: 'Link', exact: true }).click();
    await expectText(panel.getByRole('alert'), 'That is not a valid NHS number: 10 digits, such as 943 476 5919.');
    expect(await axeViolations(page, WCAG22_AA_AND_BEST_PRACTICE)).toEqual([]);

    await panel.getByLabel('NHS number').fill('943 476 5919');
    await panel.getByRole('button', { name: 'Link', exact: true }).click();
    await expectText(panel.getByTestId('patient'), 'Ada Lovelace · NHS number 943 476 5919 · Ward W2');
    await expectText(panel.getByTestId('contact-relation'), 'Son or daughter');

    await page.getByTestId('outcome').selectOption('answered');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await caseRow(page, caseId).waitFor({ state: 'detached' });
    const next = await hub.receive(FAMILY, LINES.ward, 'Can I visit tonight?', 'Jo Adeyemi');
    const nextCase = await hub.hub.store.db.selectFrom('cases').select(['queue_id', 'patient_id']).where('id', '=', next.caseId).executeTakeFirstOrThrow();
    expect(nextCase.queue_id).toBe('ward-W2');
    expect(nextCase.patient_id).not.toBeNull();
  });
});
