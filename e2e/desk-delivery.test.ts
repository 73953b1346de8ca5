// A reply the carrier could not deliver, in real headless Chromium against a real hub whose outbound carrier is the
// fake carrier API speaking Twilio's wire format: the desk says the reply failed and why, in words, as the hub pushes
// it and again after a reload; a reply that was delivered carries no such words.
import { tmpdir } from 'node:os';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeCarrierApis, fakeCarrierConfig, startFakeCarrierApis, TWILIO_ACCOUNT_SID, TWILIO_SEND } from '../server/outbox/fake-carrier-apis';
import { twilioSignature } from '../server/simulator/signing';
import { axeViolations, WCAG22_AA_AND_BEST_PRACTICE } from './support/axe';
import { screenshot, type Desk } from './support/browser';
import { announced, casePanel, caseRow, expectAnnounced, expectText, markPage, pageMark } from './support/desk-page';
import { endDeskTest, openDeskAs, startDeskTest } from './support/desk-test';
import { LINES, STAFF, type TestHub } from './support/hub';

const FAMILY = '+447700900741';
// What fakeCarrierConfig gives the hub: Twilio signs its status callbacks with this token over this public address.
const TWILIO_AUTH_TOKEN = 'twilio-auth-token-0123456789abcdef';
const STATUS_CALLBACK_URL = 'https://clarion.example.nhs.uk/webhooks/twilio/status';
const OPTED_OUT_REASON =
  'Not sent: the number has opted out with the carrier (Twilio error 21610; they replied STOP to it). Clarion now records them as opted out of every channel.';

let apis: FakeCarrierApis;
let hub: TestHub;
let browser: Browser;
let nina: Desk | undefined;

beforeAll(async () => {
  apis = await startFakeCarrierApis();
  // Only Twilio is enabled; fakeCarrierConfig writes a key file into the directory for RBM alone, so none is written.
  // The outbox is driven by hand (runDue) so the test says exactly when each send happens.
  ({ hub, browser } = await startDeskTest([STAFF.nina], { carriers: fakeCarrierConfig(apis, tmpdir(), ['twilio']), outbox: { autoStart: false } }));
  nina = await openDeskAs(browser, hub, STAFF.nina);
});

afterAll(async () => {
  try {
    await endDeskTest(hub, browser, [nina]);
  } finally {
    await apis.close();
  }
});

/** The staff reply with this text in the open case's thread. */
const replyIn = (panel: Locator, body: string): Locator => panel.locator('.message-outbound', { has: panel.page().locator('.message-body', { hasText: body }) });

/** Types a reply in the open case and sends it from the desk, then waits for the hub to have taken it (Queued). */
async function replyFromDesk(desk: Desk, panel: Locator, body: string): Promise<Locator> {
  await desk.page.getByTestId('composer').fill(body);
  await desk.page.getByRole('button', { name: 'Send reply' }).click();
  const message = replyIn(panel, body);
  await expectText(message.locator('.delivery'), '· Queued');
  return message;
}

/** Twilio's status callback as it posts one, signed over the StatusCallback address the hub gave with the send. */
async function twilioReportsDelivered(sid: string): Promise<number> {
  const params: [string, string][] = [
    ['AccountSid', TWILIO_ACCOUNT_SID],
    ['MessageSid', sid],
    ['SmsSid', sid],
    ['MessageStatus', 'delivered'],
    ['SmsStatus', 'delivered'],
    ['To', FAMILY],
    ['From', LINES.ward],
    ['ApiVersion', '2010-04-01'],
  ];
  const response = await fetch(`${hub.url}/webhooks/twilio/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(TWILIO_AUTH_TOKEN, STATUS_CALLBACK_URL, params) },
    body: new URLSearchParams(params).toString(),
  });
  return response.status;
}

async function twilioSid(messageId: string): Promise<string> {
  const row = await hub.hub.store.db.selectFrom('messages').select('provider_message_id').where('id', '=', messageId).executeTakeFirstOrThrow();
  if (row.provider_message_id === null) throw new Error('the reply has no Twilio SID');
  return row.provider_message_id;
}

/** The delivered reply shows its state and no reason; the refused one shows "Failed" and the hub's words for why. */
async function expectDeliveredAndRefused(panel: Locator, delivered: string, refused: string): Promise<void> {
  const deliveredMessage = replyIn(panel, delivered);
  await expectText(deliveredMessage.locator('.delivery'), '· Delivered');
  expect(await deliveredMessage.locator('.delivery-error').count()).toBe(0);

  const refusedMessage = replyIn(panel, refused);
  await expectText(refusedMessage.locator('.delivery-failed'), '· Failed');
  await expectText(refusedMessage.locator('.delivery-error'), OPTED_OUT_REASON);
  // Part of the message's own list item, read with it: after its meta line, before its text.
  expect(await refusedMessage.locator('.message-meta + .delivery-error + .message-body').count()).toBe(1);
}

describe('delivery failures on the desk', () => {
  it('shows a reply Twilio refused as Failed with the reason in words, live and after a reload; a delivered reply has no reason', async () => {
    if (nina === undefined) throw new Error('no desk');
    const page = nina.page;
    // A reload would lose this; its survival proves the failure arrived live.
    await markPage(page);

    const { caseId } = await hub.receive(FAMILY, LINES.ward, 'Can I bring Mum her glasses this evening?', 'Jo Adeyemi');
    await caseRow(page, caseId).click();
    const panel = casePanel(page, caseId);
    await expectText(panel.locator('.message-inbound .message-body'), 'Can I bring Mum her glasses this evening?');

    // The first reply: Twilio takes it (201, a SID), then reports it delivered.
    const first = 'Yes, visiting is 2pm to 8pm.';
    await replyFromDesk(nina, panel, first);
    expect([...(await hub.hub.outbox.runDue()).values()]).toEqual(['sent']);
    const firstId = await replyIn(panel, first).getAttribute('data-message-id');
    if (firstId === null) throw new Error('the reply has no message id');
    expect(await twilioReportsDelivered(await twilioSid(firstId))).toBe(204);
    await expectText(replyIn(panel, first).locator('.delivery'), '· Delivered');

    // The second: Twilio refuses the send, as it answers for a number that texted STOP to it.
    apis.override((call) =>
      TWILIO_SEND.test(call.path)
        ? { status: 400, json: { code: 21610, message: 'Attempt to send to unsubscribed recipient', more_info: 'https://www.twilio.com/docs/errors/21610', status: 400 } }
        : undefined,
    );
    const second = 'We will keep them safe at the nurses’ station.';
    await replyFromDesk(nina, panel, second);
    await expectText(page.getByTestId('notice-text'), /^Reply queued for sending — case #\d+$/);
    expect([...(await hub.hub.outbox.runDue()).values()]).toEqual(['failed']);
    expect(apis.callsTo(TWILIO_SEND, 'POST')).toHaveLength(2);

    await expectDeliveredAndRefused(panel, first, second);
    // The notice that said "queued" does not outlive the reply: it now says the reply failed, and why, next to "Failed";
    // a screen reader hears it once, politely (the polite announcer, not the urgent one kept for alerts).
    const failedWords = new RegExp(`^Reply failed — case #\\d+\\. ${OPTED_OUT_REASON.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    await expectText(page.getByTestId('notice-text'), failedWords);
    // Nothing on the page still says "queued"; only the announcer's log of what was said before does.
    const queuedAnywhere = await page.getByText('Reply queued for sending').count();
    expect(queuedAnywhere).toBe(await page.locator('[data-testid^="announcer-"]').getByText('Reply queued for sending').count());
    await expectAnnounced(page, 'polite', failedWords);
    expect((await announced(page, 'polite')).filter((entry) => failedWords.test(entry))).toHaveLength(1);
    expect((await announced(page, 'urgent')).join('\n')).not.toContain('Reply failed');
    // The carrier's refusal is now Clarion's opt-out: the composer says so before the next reply is typed.
    await expectText(panel.getByTestId('opted-out-notice'), /^This contact has opted out of messages \(STOP to the carrier, reported as Twilio error 21610 on \d{1,2} [A-Z][a-z]{2}, \d{2}:\d{2}\)\. Replies will be refused; phone them instead\.$/);
    expect(await pageMark(page)).toBe('no reload');
    expect(await axeViolations(page, WCAG22_AA_AND_BEST_PRACTICE)).toEqual([]);
    await replyIn(panel, second).scrollIntoViewIfNeeded();
    await screenshot(page, '17-delivery-failed');

    // After a reload the thread comes from the hub's case detail, not from the events seen live.
    await page.reload();
    await page.locator('[data-connection="live"]').waitFor();
    expect(await pageMark(page)).toBeNull();
    await caseRow(page, caseId).click();
    await expectDeliveredAndRefused(casePanel(page, caseId), first, second);
  });
});
