// link_patient against a real hub: the contact and case point at the patient (found by NHS number or recorded now), the
// contact's next conversation on the shared ward line opens in the patient's ward instead of triage, the audit holds
// no NHS number or name, and bad input changes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseProfileResult, CommandResult } from '../../shared/protocol';
import type { Hub } from '../hub';
import { addStaff, commandId, DeskSet, inbound, LINES, startHub, stopHub, type TestDesk } from '../testing/hub-harness';

const FAMILY = '+447700900731';
const ADA = { nhsNumber: '943 476 5919', name: 'Ada Lovelace', ward: 'W1', relation: 'parent' } as const;

function send(desk: TestDesk, name: 'link_patient' | 'resolve', payload: unknown): Promise<CommandResult> {
  return new Promise((resolve) => (desk.socket.emit as (event: string, payload: unknown, ack: (result: CommandResult) => void) => void)(name, payload, resolve));
}

describe('link_patient', () => {
  let hub: Hub;
  let nurse: TestDesk;
  const desks = new DeskSet(() => hub);

  beforeEach(async () => {
    hub = await startHub({ escalationTimer: false, outbox: { autoStart: false } });
    await addStaff(hub, 'nurse1', 'ward_nurse', ['W1']);
    nurse = await desks.connect('nurse1');
  });

  afterEach(() => stopHub(hub, desks));

  async function tables() {
    const { db } = hub.store;
    return {
      patients: await db.selectFrom('patients').selectAll().execute(),
      contacts: await db.selectFrom('contacts').selectAll().execute(),
      cases: await db.selectFrom('cases').selectAll().execute(),
      audit: await db.selectFrom('audit').selectAll().execute(),
      events: await db.selectFrom('events').selectAll().execute(),
    };
  }

  it('links the contact to the patient, so the next conversation on the shared ward line opens in their ward', async () => {
    const { caseId } = await hub.receive(inbound(FAMILY, LINES.ward, 'How is my mum?'));
    const opened = await nurse.waitFor((event) => event.case.id === caseId);
    expect(opened.case.queueId).toBe('triage');

    const linked = await send(nurse, 'link_patient', { commandId: commandId(), caseId, version: opened.case.version, ...ADA });
    expect(linked).toMatchObject({ ok: true, case: { id: caseId, version: opened.case.version + 1, queueId: 'triage' } });
    if (!linked.ok) throw new Error('unreachable');
    const event = await nurse.waitFor((candidate) => candidate.type === 'patient.linked');
    expect(event.case.patientId).toBe(linked.case.patientId);
    const profile = await new Promise<CaseProfileResult>((resolve) => nurse.socket.emit('case:profile', { caseId }, resolve));
    expect(profile).toMatchObject({ ok: true, contact: { relation: 'parent' }, patient: { name: 'Ada Lovelace', nhsNumber: '9434765919', ward: 'W1' } });
    const audit = await hub.store.db.selectFrom('audit').select('detail').where('action', '=', 'patient.linked').executeTakeFirstOrThrow();
    expect(audit.detail).not.toMatch(/9434765919|943 476|Ada|Lovelace/);

    expect((await send(nurse, 'resolve', { commandId: commandId(), caseId, version: linked.case.version, outcome: 'answered' })).ok).toBe(true);
    const next = await hub.receive(inbound(FAMILY, LINES.ward, 'Can I visit tonight?'));
    expect(next.caseId).not.toBe(caseId);
    const nextCase = await nurse.waitFor((candidate) => candidate.case.id === next.caseId);
    expect(nextCase.case).toMatchObject({ queueId: 'ward-W1', ward: 'W1', patientId: linked.case.patientId });
  });

  it('finds a known patient by NHS number and moves their ward; never re-names them', async () => {
    await hub.store.db.insertInto('patients').values({ id: 'p-ada', nhs_number: '9434765919', name: 'Ada Lovelace', ward: 'W2', created_at: 1 }).execute();
    const { caseId } = await hub.receive(inbound(FAMILY, LINES.ward, 'Is Mum on a new ward?'));
    const opened = await nurse.waitFor((event) => event.case.id === caseId);
    const linked = await send(nurse, 'link_patient', { commandId: commandId(), caseId, version: opened.case.version, ...ADA, name: ' ada lovelace ' });
    expect(linked).toMatchObject({ ok: true, case: { patientId: 'p-ada' } });
    expect(await hub.store.db.selectFrom('patients').selectAll().execute()).toEqual([{ id: 'p-ada', nhs_number: '9434765919', name: 'Ada Lovelace', ward: 'W1', created_at: 1 }]);
  });

  it('refuses a bad NHS number, an unknown ward, or a known number under another name, and changes nothing', async () => {
    await hub.store.db.insertInto('patients').values({ id: 'p-ada', nhs_number: '9434765919', name: 'Ada Lovelace', ward: 'W1', created_at: 1 }).execute();
    const { caseId } = await hub.receive(inbound(FAMILY, LINES.ward, 'Hello'));
    const opened = await nurse.waitFor((event) => event.case.id === caseId);
    const before = await tables();
    const attempt = (fields: Record<string, unknown>) => send(nurse, 'link_patient', { commandId: commandId(), caseId, version: opened.case.version, ...ADA, ...fields });

    expect(await attempt({ nhsNumber: '943 476 5918' })).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringMatching(/NHS number/) } });
    expect(await attempt({ ward: 'W99' })).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringMatching(/^W99 is not a ward of this hospital \(wards: W1, W2/) } });
    expect(await attempt({ name: 'Grace Hopper' })).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringMatching(/different name/) } });
    expect(await attempt({ relation: 'neighbour' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await attempt({ version: opened.case.version - 1 })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await tables()).toEqual(before);
  });
});
