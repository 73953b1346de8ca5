// `case:profile` against a real hub: the contact and patient panel (consent per channel with source and time, the
// WhatsApp window by the outbox's own rule, the patient when linked), the audited timeline oldest first with typed
// facts and no patient text, and scope checked exactly as for case:detail.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseProfileResult } from '../../shared/protocol';
import { ManualClock } from '../clock';
import type { Hub } from '../hub';
import { WHATSAPP_WINDOW_MS } from '../outbox/channel-choice';
import { addStaff, DeskSet, commandId, inbound, LINES, startHub, stopHub, type TestDesk } from '../testing/hub-harness';

const T0 = Date.UTC(2026, 5, 10, 9, 0);
type Ok = Extract<CaseProfileResult, { ok: true }>;

describe('case:profile', () => {
  let hub: Hub;
  let clock: ManualClock;
  const desks = new DeskSet(() => hub);

  beforeEach(async () => {
    clock = new ManualClock(T0);
    hub = await startHub({ clock, escalationTimer: false, outbox: { autoStart: false } });
    await addStaff(hub, 'nurse1', 'ward_nurse', ['W1']);
    await addStaff(hub, 'nurse2', 'ward_nurse', ['W2']);
    await addStaff(hub, 'pals1', 'pals_officer');
  });

  afterEach(() => stopHub(hub, desks));

  const desk = (name: string) => desks.connect(name);
  const profileOf = (desk: TestDesk, caseId: string) => new Promise<CaseProfileResult>((resolve) => desk.socket.emit('case:profile', { caseId }, resolve));
  async function okProfile(desk: TestDesk, caseId: string): Promise<Ok> {
    const result = await profileOf(desk, caseId);
    if (!result.ok) throw new Error(`case:profile refused: ${result.error.message}`);
    return result;
  }

  it('shows the WhatsApp window open for 24 hours after the last inbound WhatsApp message, then closed', async () => {
    // Sessions last a shift (13 h): each look a day on is a fresh login, as the next shift's nurse would make.
    const look = async (caseId: string) => okProfile(await desk('nurse1'), caseId);
    const { caseId } = await hub.receive(inbound('+447700900601', LINES.ward, 'Hello from WhatsApp', { channel: 'whatsapp', provider: 'whatsapp' }));
    expect((await look(caseId)).contact.whatsAppWindow).toEqual({ open: true, closesAt: T0 + WHATSAPP_WINDOW_MS });
    clock.advance(WHATSAPP_WINDOW_MS - 1);
    expect((await look(caseId)).contact.whatsAppWindow.open).toBe(true);
    clock.advance(1);
    expect((await look(caseId)).contact.whatsAppWindow).toEqual({ open: false, closesAt: null });

    // A later SMS hides the WhatsApp message (the outbox's rule): closed, even within 24 hours of it.
    clock.set(T0 + 60_000);
    await hub.receive(inbound('+447700900601', LINES.ward, 'Now by text', { channel: 'sms' }));
    const profile = await look(caseId);
    expect(profile.contact.whatsAppWindow.open).toBe(false);
    expect(profile.contact.preferredChannel).toBe('whatsapp');
  });

  it('gives consent per channel with its source and time, the linked patient, and the timeline oldest first', async () => {
    const nurse = await desk('nurse1');
    // A known family member of a patient on ward 1.
    await hub.store.db.insertInto('patients').values({ id: 'p-1', nhs_number: '9434765919', name: 'Ada Lovelace', ward: 'W1', created_at: T0 }).execute();
    await hub.store.db
      .insertInto('contacts')
      .values({ id: 'c-1', phone: '+447700900602', name: 'Byron', patient_id: 'p-1', relation: 'parent', preferred_channel: 'sms', whatsapp_id: null, last_inbound_at: null, last_inbound_channel: null, created_at: T0 })
      .execute();
    const { caseId } = await hub.receive(inbound('+447700900602', LINES.ward, 'How is Ada today?'));
    const opened = await nurse.waitFor((event) => event.case.id === caseId);
    expect(opened.case.queueId).toBe('ward-W1');

    const assigned = await new Promise<{ ok: boolean }>((resolve) =>
      nurse.socket.emit('assign', { commandId: commandId(), caseId, version: opened.case.version, assigneeId: nurse.userId }, resolve),
    );
    expect(assigned.ok).toBe(true);
    clock.advance(5 * 60_000);
    await hub.receive(inbound('+447700900602', LINES.ward, 'STOP'));

    const profile = await okProfile(nurse, caseId);
    expect(profile.contact).toMatchObject({ id: 'c-1', name: 'Byron', relation: 'parent', preferredChannel: 'sms' });
    expect(profile.patient).toEqual({ id: 'p-1', name: 'Ada Lovelace', nhsNumber: '9434765919', ward: 'W1' });
    expect(profile.contact.consents).toEqual(
      ['sms', 'whatsapp', 'rcs'].map((channel) => ({ channel, status: 'opted_out', recorded: true, source: 'keyword STOP via dev sms', changedAt: T0 + 5 * 60_000 })),
    );
    expect(profile.timeline.slice(0, 4)).toMatchObject([
      { action: 'case.opened', actor: { kind: 'carrier', userId: null, name: null }, channel: 'sms', at: T0 },
      { action: 'case.assigned', actor: { kind: 'user', userId: nurse.userId, name: 'Nurse1' }, assignee: { from: null, to: nurse.userId, toName: 'Nurse1' } },
      { action: 'message.received' },
      { action: 'consent.opted_out', channels: ['sms', 'whatsapp', 'rcs'], at: T0 + 5 * 60_000 },
    ]);
    // No patient text reaches the timeline.
    expect(JSON.stringify(profile.timeline)).not.toMatch(/How is Ada|STOP"/);
  });

  it("carries the Martha's Rule call as recorded, with what is not recorded yet as null, and nothing on other cases", async () => {
    await addStaff(hub, 'sam', 'outreach');
    const sam = await desk('sam');
    const { caseId } = await hub.receive(inbound('+447700900604', LINES.martha, 'Worried about my dad'));
    const opened = await sam.waitFor((event) => event.case.id === caseId);
    expect((await okProfile(sam, caseId)).marthaCall).toBeNull();

    clock.advance(60_000);
    const recorded = await new Promise<{ ok: boolean }>((resolve) =>
      sam.socket.emit('record_call', { commandId: commandId(), caseId, version: opened.case.version, callerType: 'family', concern: 'More confused since lunch' }, resolve),
    );
    expect(recorded.ok).toBe(true);
    expect((await okProfile(sam, caseId)).marthaCall).toEqual({
      callerType: 'family',
      patientName: null,
      ward: null,
      contactNumber: null,
      concern: 'More confused since lunch',
      updatedAt: T0 + 60_000,
      updatedBy: sam.userId,
    });

    const ward = await hub.receive(inbound('+447700900605', LINES.ward, 'Visiting times?'));
    expect((await okProfile(await desk('nurse1'), ward.caseId)).marthaCall).toBeNull();
  });

  it('is scope-checked exactly like case:detail', async () => {
    const [nurse1, nurse2, pals] = await Promise.all([desk('nurse1'), desk('nurse2'), desk('pals1')]);
    // Unknown contact → triage, which every ward nurse sees; ward 1 takes it.
    const { caseId } = await hub.receive(inbound('+447700900603', LINES.ward, 'W1 only', { channel: 'sms' }));
    const opened = await nurse1.waitFor((event) => event.case.id === caseId);

    expect((await profileOf(nurse2, caseId)).ok).toBe(true);
    await new Promise((resolve) => nurse1.socket.emit('triage', { commandId: commandId(), caseId, version: opened.case.version, queueId: 'ward-W1' }, resolve));

    for (const outsider of [nurse2, pals]) {
      expect(await profileOf(outsider, caseId)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const detail = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) => outsider.socket.emit('case:detail', { caseId }, resolve));
      expect(detail).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await profileOf(nurse1, 'no-such-case')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await profileOf(nurse1, '' as string)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect((await profileOf(nurse1, caseId)).ok).toBe(true);
  });
});
