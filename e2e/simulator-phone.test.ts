// The development phone page in real headless Chromium: a hub reading `clarion simulate` secrets from its
// data dir, the carrier simulator, a desk socket. The page sends, shows the staff reply with its ticks,
// and its button tap reaches the hub as the answer — all under the page's strict CSP (no console errors).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { CommandResult } from '../shared/protocol';
import type { Hub } from '../server/hub';
import { CarrierSimulator } from '../server/simulator/carrier-simulator';
import { simulatorSettings, writeDevCarriers } from '../server/simulator/dev-carriers';
import { addStaff, commandId, connectDesk, removeDir, startHub, tempDataDir, type TestDesk } from '../server/testing/hub-harness';
import { launchChromium, screenshot } from './support/browser';

let browser: Browser;
let simulator: CarrierSimulator;
let hub: Hub;
let desk: TestDesk;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  const dataDir = tempDataDir();
  simulator = await CarrierSimulator.start({ receipts: { delayMs: 20 } });
  const file = writeDevCarriers({ dataDir, publicUrl: 'http://127.0.0.1:4610', simulatorUrl: simulator.url });
  simulator.use(await simulatorSettings(file));
  // No carriers given: the hub must find them in the data dir, as `clarion hub` does in development.
  hub = await startHub({ dataDir, mode: 'development', outbox: { pollIntervalMs: 25 } });
  simulator.hubUrl = hub.url;
  simulator.allowedOrigin = new URL(hub.url).origin;
  await addStaff(hub, 'sam', 'outreach');
  desk = await connectDesk(hub, 'sam');
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(`${hub.url}/dev/phone`);
});

afterAll(async () => {
  await browser?.close();
  desk?.close();
  await simulator?.close();
  if (hub !== undefined) {
    await hub.close();
    removeDir(hub.config.dataDir);
  }
});

describe('/dev/phone, the simulated phone', () => {
  it('sends a WhatsApp message, shows the staff reply with read ticks, and taps its button', async () => {
    await page.getByLabel('Channel').selectOption('whatsapp');
    await page.getByLabel("This phone's number").fill('+447700900480');
    await page.getByLabel('Hospital line').selectOption('+447700900111');
    await page.getByLabel('Message').fill('Please can someone check on my mum, she is very drowsy');
    await page.getByRole('button', { name: 'Send' }).click();
    const opened = await desk.waitFor((event) => event.type === 'case.opened' && event.message?.body === 'Please can someone check on my mum, she is very drowsy', 10_000);
    await page.getByText('hub answered 200').waitFor();

    const { version } = await hub.store.db.selectFrom('cases').select('version').where('id', '=', opened.case.id).executeTakeFirstOrThrow();
    const result = await new Promise<CommandResult>((resolve) =>
      (desk.socket.emit as (event: string, payload: unknown, ack: (result: CommandResult) => void) => void)(
        'reply',
        { commandId: commandId(), caseId: opened.case.id, version, body: 'The outreach nurse is on her way. Has she got worse?', templateId: 'symptom_check' },
        resolve,
      ),
    );
    expect(result.ok).toBe(true);
    await page.getByText('The outreach nurse is on her way. Has she got worse?').waitFor();
    await page.getByText('✓✓ read').waitFor();
    await screenshot(page, 'simulator-phone');

    await page.getByRole('button', { name: 'Urgent' }).click();
    await desk.waitFor((event) => event.message?.body === 'Urgent', 10_000);
    const tap = await hub.store.db.selectFrom('messages').select('intent').where('body', '=', 'Urgent').where('direction', '=', 'inbound').executeTakeFirstOrThrow();
    expect(tap.intent).toBe('answer:urgent');
    expect(errors).toEqual([]);
  });
});
