// Martha's Rule on a real hub: the automatic first reply, the call's details, outcomes in the monthly CSV (HTTP with
// bearer auth, and the socket query), and the measures (socket and /metrics).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MeasuresResult, MarthasRuleReportResult } from '../../shared/protocol';
import { ManualClock } from '../clock';
import type { Hub } from '../hub';
import { addStaff, commandId, connectDesk, DeskSet, inbound, LINES, login, startHub, stopHub, type TestDesk } from '../testing/hub-harness';
import { advance, JUNE_10_2026_10AM, MINUTE, send } from './escalation-testing';
import { testSite } from './escalation-testing';

describe("Martha's Rule calls", () => {
  let hub: Hub;
  let clock: ManualClock;
  let sam: TestDesk;
  const desks = new DeskSet(() => hub);

  beforeEach(async () => {
    clock = new ManualClock(JUNE_10_2026_10AM);
    hub = await startHub({ clock, site: testSite({ firstReply: true, firstResponseBy: { minutes: 15 } }) });
    await addStaff(hub, 'sam', 'outreach');
    await addStaff(hub, 'nurse1', 'ward_nurse', ['W1']);
    sam = await desks.connect('sam');
  });

  afterEach(() => stopHub(hub, desks));

  it('answers a new call at once, in the outbox, saying when a nurse will reply — and that does not count as the first response', async () => {
    const { caseId } = await hub.receive(inbound('+447700900456', LINES.martha, 'Mum is much worse tonight'));
    const outbox = await hub.store.db.selectFrom('outbox').select(['case_id', 'to_address', 'body', 'state']).execute();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ case_id: caseId, to_address: '+447700900456', state: 'pending' });
    // 10:00 BST plus the 5-minute acknowledge deadline.
    expect(outbox[0]!.body).toContain('A nurse will reply within 5 minutes (by 10:05)');
    expect(outbox[0]!.body).toContain('who you are (patient, family, carer or staff)');
    // Minimum necessary content: nothing from the patient's message is echoed back.
    expect(outbox[0]!.body).not.toContain('Mum');
    const queued = await sam.waitFor((event) => event.type === 'reply.queued' && event.case.id === caseId);
    expect(queued.actorId).toBeNull();
    // The first-response deadline still breaches: an automatic reply is not a nurse answering.
    await advance(hub, clock, 15 * MINUTE);
    const breach = await hub.store.db.selectFrom('events').select('payload').where('case_id', '=', caseId).where('type', '=', 'alert.breach').execute();
    expect(breach.map((row) => (JSON.parse(row.payload) as { alert: { deadline: string } }).alert.deadline).sort()).toEqual(['acknowledge', 'first_response']);
  });

  it('records the call details for Martha\'s Rule calls only, version-checked and audited without the text', async () => {
    const { caseId } = await hub.receive(inbound('+447700900456', LINES.martha, 'Worried about my dad'));
    const recorded = await send(sam, 'record_call', { commandId: commandId(), caseId, version: 1, callerType: 'family', patientName: 'John Smith', ward: 'W2', concern: 'More confused since lunch' });
    expect(recorded).toMatchObject({ ok: true, case: { version: 2 } });
    expect(await send(sam, 'record_call', { commandId: commandId(), caseId, version: 1, contactNumber: '07700900456' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await send(sam, 'record_call', { commandId: commandId(), caseId, version: 2 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await send(sam, 'record_call', { commandId: commandId(), caseId, version: 2, callerType: 'neighbour' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const row = await hub.store.db.selectFrom('martha_calls').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ caller_type: 'family', patient_name: 'John Smith', ward: 'W2', concern: 'More confused since lunch', contact_number: null });
    const audit = await hub.store.db.selectFrom('audit').select('detail').where('action', '=', 'call.recorded').executeTakeFirstOrThrow();
    expect(audit.detail).not.toContain('John');
    expect(audit.detail).not.toContain('confused');

    const nurse = await connectDesk(hub, 'nurse1');
    try {
      const ward = await hub.receive(inbound('+447700900999', LINES.ward, 'Visiting times?'));
      const triageNurse = await send(nurse, 'record_call', { commandId: commandId(), caseId: ward.caseId, version: 1, callerType: 'family' });
      expect(triageNurse).toMatchObject({ ok: false, error: { code: 'invalid' } });
    } finally {
      nurse.close();
    }
  });

  it("exports the month's figures as CSV: calls by caller type, reviews, transfers, changes in care (London months)", async () => {
    const calls: [string, string, string | null, string | null][] = [
      ['+447700900401', '2026-06-03T10:00:00Z', 'family', 'transfer_critical_care'],
      ['+447700900402', '2026-06-04T10:00:00Z', 'family', 'change_in_care'],
      ['+447700900403', '2026-06-05T10:00:00Z', 'patient', 'no_change'],
      ['+447700900404', '2026-06-06T10:00:00Z', 'staff', 'redirected_pals'],
      ['+447700900405', '2026-06-07T10:00:00Z', null, null],
      // 00:30 BST on 1 July: a July call, although it is still 30 June in UTC.
      ['+447700900406', '2026-06-30T23:30:00Z', 'carer', 'review_done'],
    ];
    let version = 0;
    for (const [from, at, callerType, outcome] of calls) {
      clock.set(Date.parse(at));
      // A desk session lasts hours, not a month: log in again at each call's time.
      sam.close();
      sam = await desks.connect('sam');
      const { caseId } = await hub.receive(inbound(from, LINES.martha, 'worried'));
      version = 1;
      if (callerType !== null) {
        expect((await send(sam, 'record_call', { commandId: commandId(), caseId, version, callerType })).ok).toBe(true);
        version += 1;
      }
      if (outcome !== null) expect((await send(sam, 'resolve', { commandId: commandId(), caseId, version, outcome })).ok).toBe(true);
    }
    const { token } = await login(hub, 'sam');
    const url = `${hub.url}/api/reports/marthas-rule.csv?month=2026-06`;
    expect((await fetch(url)).status).toBe(401);
    const nurseToken = (await login(hub, 'nurse1')).token;
    expect((await fetch(url, { headers: { authorization: `Bearer ${nurseToken}` } })).status).toBe(403);
    expect((await fetch(`${hub.url}/api/reports/marthas-rule.csv?month=2026-13`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect((await response.text()).split('\r\n')).toEqual([
      'month,caller_type,calls,reviews,transfers_to_critical_care,other_changes_in_care,no_change,redirected_to_pals,still_open',
      '2026-06,patient,1,1,0,0,1,0,0',
      '2026-06,family,2,2,1,1,0,0,0',
      '2026-06,carer,0,0,0,0,0,0,0',
      '2026-06,staff,1,0,0,0,0,1,0',
      '2026-06,not_recorded,1,0,0,0,0,0,1',
      '2026-06,total,5,3,1,1,1,1,1',
      '',
    ]);
    const july = await new Promise<MarthasRuleReportResult>((resolve) => sam.socket.emit('reports:marthas-rule', { month: '2026-07' }, resolve));
    expect(july.ok && july.csv.split('\r\n')[3]).toBe('2026-07,carer,1,1,0,0,0,0,0');
  });

  it('reports time to acknowledge and resolve (p50/p90), share of deadlines met and breaches, on the socket and /metrics', async () => {
    const quick = await hub.receive(inbound('+447700900501', LINES.martha, 'one'));
    const slow = await hub.receive(inbound('+447700900502', LINES.martha, 'two'));
    await advance(hub, clock, 2 * MINUTE);
    expect((await send(sam, 'acknowledge', { commandId: commandId(), caseId: quick.caseId, version: 1 })).ok).toBe(true);
    await advance(hub, clock, 8 * MINUTE);
    expect((await send(sam, 'acknowledge', { commandId: commandId(), caseId: slow.caseId, version: 1 })).ok).toBe(true);
    await advance(hub, clock, 10 * MINUTE);
    expect((await send(sam, 'resolve', { commandId: commandId(), caseId: quick.caseId, version: 2, outcome: 'review_done' })).ok).toBe(true);
    const result = await new Promise<MeasuresResult>((resolve) => sam.socket.emit('reports:measures', {}, resolve));
    expect(result).toMatchObject({
      ok: true,
      rows: [{ queueId: 'outreach', priority: 1, cases: 2, acknowledgeP50: 2 * MINUTE, acknowledgeP90: 10 * MINUTE, resolveP50: 20 * MINUTE, acknowledgeSlaMet: 0.5, breaches: 3 }],
    });
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    expect(metrics).toContain('clarion_sla_met_ratio{queue="outreach",priority="1",deadline="acknowledge"} 0.5');
    expect(metrics).toContain('clarion_case_seconds{queue="outreach",priority="1",measure="acknowledge",quantile="0.5"} 120');
    expect(metrics).toContain('clarion_sla_breaches{queue="outreach",priority="1"} 3');
  });
});
