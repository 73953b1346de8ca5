// Desk benchmark (issue 5): a real hub holding N open cases (default 10,000) and the real desk in
// headless Chromium. Measures login → first usable inbox, inbound message → its row in the DOM
// (p50/p95/max), and the page's JS heap after a forced GC. Prints a report; `--json` adds one JSON line.
//
//   npx tsx bench/desk/run.ts [--cases 10000] [--messages 100] [--logins 5] [--json]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { createHub } from '../../server/hub';
import type { InboundMessage } from '../../shared/inbound';
import { launchChromium } from '../../e2e/support/browser';
import { ensureRendererBuilt } from '../../e2e/support/renderer-build';

const LINES = { martha: '+447700900111', pals: '+447700900222', ward: '+447700900333' } as const;
const TARGETS = { loginMs: 1500, inboundP95Ms: 100, heapMb: 250 };
const USER = { username: 'bench', password: 'bench-password-123', displayName: 'Bench Admin', role: 'admin' as const, wards: [] };

const { values: options } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    messages: { type: 'string', default: '100' },
    logins: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});
const CASE_COUNT = Number(options.cases);
const MESSAGE_COUNT = Number(options.messages);
const LOGIN_COUNT = Number(options.logins);

type Hub = Awaited<ReturnType<typeof createHub>>;

function inbound(from: string, to: string, text: string): InboundMessage {
  return { provider: 'dev', channel: 'sms', providerMessageId: `bench-${randomUUID()}`, from, to, receivedAt: Date.now(), kind: 'text', text };
}

/** Country code +999 is unassigned: these senders can never be a real phone. */
function benchSender(index: number): string {
  return `+99912${String(index).padStart(6, '0')}`;
}

async function seed(hub: Hub): Promise<number> {
  const started = performance.now();
  const batch = 200;
  for (let first = 0; first < CASE_COUNT; first += batch) {
    const work: Promise<unknown>[] = [];
    for (let index = first; index < Math.min(CASE_COUNT, first + batch); index += 1) {
      // Mostly PALS and ward traffic, like a real inbox; Martha's Rule calls are rare and top of the list.
      const line = index % 2 === 0 ? LINES.pals : LINES.ward;
      work.push(hub.receive(inbound(benchSender(index), line, `Seeded enquiry ${index}: could someone call me back about my appointment?`)));
    }
    await Promise.all(work);
  }
  return performance.now() - started;
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

async function measureLogin(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('Username').fill(USER.username);
  await page.getByLabel('Password').fill(USER.password);
  const started = Date.now();
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Usable: live (caught up) and the first rows drawn.
  await page.locator('[data-connection="live"]').waitFor({ timeout: 60_000 });
  await page.locator('[role="option"]').first().waitFor({ timeout: 60_000 });
  const elapsed = Date.now() - started;
  await context.close();
  return elapsed;
}

/**
 * Resolves with the page's Date.now() when the case's row shows `text`. Written as source text because
 * tsx's name-keeping helper (`__name`) does not exist inside the page.
 */
function rowShows(page: Page, caseId: string, text: string): Promise<number> {
  const source = `new Promise((resolve) => {
    const matches = () => document.querySelector(${JSON.stringify(`[data-case-id="${caseId}"] .row-preview`)})?.textContent === ${JSON.stringify(text)};
    if (matches()) return resolve(Date.now());
    const observer = new MutationObserver(() => {
      if (!matches()) return;
      observer.disconnect();
      resolve(Date.now());
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  })`;
  return page.evaluate(source) as Promise<number>;
}

async function main(): Promise<void> {
  await ensureRendererBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'clarion-bench-desk-'));
  const hub = await createHub({ dataDir, host: '127.0.0.1', port: 0, logLevel: 'error' });
  const browser = await launchChromium();
  try {
    await hub.addUser(USER);
    // One Martha's Rule call: priority 1, oldest, so it sits at the top of the 10,000 where its row is drawn.
    const watched = await hub.receive(inbound('+447700900999', LINES.martha, 'bench message 0'));
    const seedMs = await seed(hub);

    const logins: number[] = [];
    for (let run = 0; run < LOGIN_COUNT; run += 1) logins.push(await measureLogin(browser, hub.url));
    logins.sort((left, right) => left - right);

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(hub.url);
    await page.getByLabel('Username').fill(USER.username);
    await page.getByLabel('Password').fill(USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-connection="live"]').waitFor({ timeout: 60_000 });
    await page.locator(`[data-case-id="${watched.caseId}"]`).waitFor();
    const rowCount = await page.locator('[role="option"]').count();

    const latencies: number[] = [];
    for (let index = 1; index <= MESSAGE_COUNT; index += 1) {
      const text = `bench message ${index}`;
      const shown = rowShows(page, watched.caseId, text);
      const sentAt = Date.now();
      await hub.receive(inbound('+447700900999', LINES.martha, text));
      latencies.push((await shown) - sentAt);
    }
    latencies.sort((left, right) => left - right);

    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    const heapMb = heap.usedSize / 1024 / 1024;
    const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    await context.close();

    const report = {
      cases: CASE_COUNT + 1,
      seedSeconds: Number((seedMs / 1000).toFixed(1)),
      loginMs: { median: percentile(logins, 0.5), max: logins[logins.length - 1], runs: logins.length, target: TARGETS.loginMs },
      inboundToRowMs: {
        p50: percentile(latencies, 0.5),
        p95: percentile(latencies, 0.95),
        max: latencies[latencies.length - 1],
        messages: latencies.length,
        target: TARGETS.inboundP95Ms,
      },
      heapMb: { used: Number(heapMb.toFixed(1)), target: TARGETS.heapMb },
      renderedRows: rowCount,
      domNodes,
    };
    const verdict = (ok: boolean) => (ok ? 'within target' : 'OVER TARGET');
    console.log(`Clarion desk benchmark — ${report.cases.toLocaleString('en-GB')} open cases, headless Chromium`);
    console.log(`  seeding through intake          ${report.seedSeconds} s`);
    console.log(`  login → first usable inbox      median ${report.loginMs.median} ms, max ${report.loginMs.max} ms over ${report.loginMs.runs} logins (target < ${TARGETS.loginMs} ms: ${verdict((report.loginMs.max ?? Infinity) < TARGETS.loginMs)})`);
    console.log(`  inbound message → row in DOM    p50 ${report.inboundToRowMs.p50} ms, p95 ${report.inboundToRowMs.p95} ms, max ${report.inboundToRowMs.max} ms over ${report.inboundToRowMs.messages} (target p95 < ${TARGETS.inboundP95Ms} ms: ${verdict(report.inboundToRowMs.p95 < TARGETS.inboundP95Ms)})`);
    console.log(`  JS heap after GC                ${report.heapMb.used} MB (target < ${TARGETS.heapMb} MB: ${verdict(report.heapMb.used < TARGETS.heapMb)})`);
    console.log(`  rows in the DOM / DOM nodes     ${report.renderedRows} / ${report.domNodes} (virtualised)`);
    if (options.json) console.log(JSON.stringify(report));
  } finally {
    await browser.close();
    await hub.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
