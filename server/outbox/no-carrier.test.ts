// H6: a hub that cannot send — no carrier at all, or none for any channel a reply could take — must not leave a reply
// Queued while staff believe the family was answered. Real hubs on real ports, real socket.io desks, temp SQLite files;
// the carriers' APIs stood in for by the fake where one carrier is set up.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandResult, DeskEvent } from '../../shared/protocol';
import { loadCarrierConfig } from '../channels/carrier-config';
import { demoSiteConfig } from '../config/site-config';
import type { Hub } from '../hub';
import { createLogger } from '../observability/logger';
import { addStaff, commandId, connectDesk, inbound, LINES, startHub, stopHub, type TestDesk } from '../testing/hub-harness';
import { parsePrometheusText } from '../testing/prometheus-text';
import { useFakeCarrierApis } from './use-fake-carrier-apis';
import { startOutboundHub, PATIENT, type OutboundTestHub } from './outbound-test-hub';

const apis = useFakeCarrierApis();
let hub: Hub | undefined;
let rig: OutboundTestHub | undefined;
const desks: TestDesk[] = [];

afterEach(async () => {
  for (const desk of desks.splice(0)) desk.close();
  if (hub !== undefined) await stopHub(hub);
  hub = undefined;
  await rig?.close();
  rig = undefined;
});

/** The hub's log lines, as JSON, for what it tells IT at start. */
function capturingLogger(lines: Record<string, unknown>[]) {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return createLogger('warn', destination);
}

function reply(desk: TestDesk, payload: unknown): Promise<CommandResult> {
  return new Promise((resolve) => (desk.socket.emit as (event: string, payload: unknown, ack: (result: CommandResult) => void) => void)('reply', payload, resolve));
}

async function counts(target: Hub, caseId: string) {
  const { db } = target.store;
  const outbound = await db.selectFrom('messages').select('id').where('case_id', '=', caseId).where('direction', '=', 'outbound').execute();
  const outbox = await db.selectFrom('outbox').select('id').where('case_id', '=', caseId).execute();
  const audit = await db.selectFrom('audit').select('action').where('case_id', '=', caseId).execute();
  const { version } = await db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow();
  return { outbound: outbound.length, outbox: outbox.length, audit: audit.map((row) => row.action), version };
}

describe('a production hub with no carrier to send by', () => {
  it('refuses a staff reply at once, in words that say to phone the family, and queues nothing', async () => {
    hub = await startHub({ mode: 'production', carriers: loadCarrierConfig({}), outbox: { autoStart: false } });
    await addStaff(hub, 'nina', 'ward_nurse', ['ward-7']);
    await addStaff(hub, 'sam', 'outreach');
    const desk = await connectDesk(hub, 'sam');
    desks.push(desk);
    const { caseId } = await hub.receive(inbound(PATIENT, LINES.martha, 'Mum is much worse since this morning'));
    const before = await counts(hub, caseId);

    const refused = await reply(desk, { commandId: commandId(), caseId, version: before.version, body: 'A nurse is on the way.' });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Not sent: this hub cannot send SMS — no carrier is set up for it. Phone the family instead, and tell IT.' },
    });
    expect(await counts(hub, caseId)).toEqual(before);
    expect(desk.events.some((event: DeskEvent) => event.type === 'reply.queued')).toBe(false);

    // Bad input is still refused as bad input, and changes nothing either.
    const malformed = await reply(desk, { commandId: commandId(), caseId, version: before.version, body: '' });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await counts(hub, caseId)).toEqual(before);
  });

  it('refuses a reply on an SMS conversation when only WhatsApp is set up, and sends one on a WhatsApp conversation', async () => {
    rig = await startOutboundHub(apis, ['whatsapp']);
    const smsCase = await rig.patientWrites('Is visiting open today?');
    const refused = await rig.reply(smsCase, 'Yes, until 8pm.');
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('cannot send SMS') } });
    expect((await counts(rig.hub, smsCase)).outbox).toBe(0);

    const whatsAppCase = await rig.patientWrites('Is visiting open tomorrow?', { channel: 'whatsapp', provider: 'whatsapp', from: '+447700900457' });
    expect(await rig.reply(whatsAppCase, 'Yes, until 8pm.')).toMatchObject({ ok: true });
    await rig.hub.outbox.runDue();
    expect(apis.callsTo(/\/messages$/, 'POST')).toHaveLength(1);
  });

  it("marks the automatic Martha's Rule first reply not delivered, and tells IT at start, on /healthz and on /metrics", async () => {
    const lines: Record<string, unknown>[] = [];
    hub = await startHub({ mode: 'production', site: demoSiteConfig(), carriers: loadCarrierConfig({}), logger: capturingLogger(lines), outbox: { pollIntervalMs: 20 } });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 40, channels: { sms: null, whatsapp: null, rcs: null }, msg: expect.stringContaining('no carrier that sends is set up') }),
    );
    await addStaff(hub, 'sam', 'outreach');
    const desk = await connectDesk(hub, 'sam');
    desks.push(desk);

    const { caseId } = await hub.receive(inbound(PATIENT, LINES.martha, 'I am worried about my dad in bed 4'));
    const marked = await desk.waitFor((event) => event.type === 'reply.undelivered' && event.case.id === caseId);
    expect(marked.case.replyUndelivered).toMatchObject({ authorId: null, channel: 'sms', reason: 'Not sent: no carrier is set up for sms.' });
    const first = await hub.store.db.selectFrom('messages').selectAll().where('case_id', '=', caseId).where('direction', '=', 'outbound').executeTakeFirstOrThrow();
    expect(first).toMatchObject({ delivery_state: 'failed', author_id: null });
    expect(first.body).toMatch(/Martha's Rule call has been received/);
    expect((await counts(hub, caseId)).audit).toEqual(expect.arrayContaining(['reply.queued', 'reply.failed', 'reply.undelivered']));

    const health = (await (await fetch(`${hub.url}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', sending: { sms: null, whatsapp: null, rcs: null } });
    const metrics = parsePrometheusText(await (await fetch(`${hub.url}/metrics`)).text(), 'clarion_outbound_channel_ready');
    expect(metrics.get('clarion_outbound_channel_ready{channel="sms"}')).toBe(0);
  });
});

describe('a development hub with no carrier at all (npm start before `clarion simulate init`)', () => {
  it('holds replies Queued as the demo always has, and says so at start', async () => {
    const lines: Record<string, unknown>[] = [];
    hub = await startHub({ carriers: loadCarrierConfig({}), logger: capturingLogger(lines), outbox: { pollIntervalMs: 20 } });
    expect(hub.config.mode).toBe('development');
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, msg: expect.stringContaining('development mode holds replies Queued') }));
    await addStaff(hub, 'sam', 'outreach');
    const desk = await connectDesk(hub, 'sam');
    desks.push(desk);
    const { caseId } = await hub.receive(inbound(PATIENT, LINES.martha, 'Mum is much worse since this morning'));
    const { version } = await counts(hub, caseId);
    expect(await reply(desk, { commandId: commandId(), caseId, version, body: 'A nurse is on the way.' })).toMatchObject({ ok: true });
    // Longer than several polls would take, had the sender been started.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sent = await hub.store.db.selectFrom('messages').select('delivery_state').where('case_id', '=', caseId).where('direction', '=', 'outbound').execute();
    expect(sent).toEqual([{ delivery_state: 'queued' }]);
  });
});
