// H13: who looked at a patient's record. Each `case:detail` and `case:profile` answered with data, each report on the
// socket and each CSV export is audited with its reader before the answer leaves the hub; a refused read writes
// nothing; a read whose audit row cannot be written is refused; the audit rows carry no patient text and the chain
// still verifies. A real hub on 127.0.0.1, real socket.io desks, on SQLite and, when it is reachable, PostgreSQL.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseDetailResult, CaseProfileResult, MarthasRuleReportResult, MeasuresResult } from '../../shared/protocol';
import { ManualClock } from '../clock';
import type { Hub } from '../hub';
import { verifyAuditChain } from '../store/audit-log';
import { addStaff, DeskSet, inbound, LINES, login, type TestDesk } from '../testing/hub-harness';
import { postgres } from '../testing/services';
import { startHubOn, type StoreHub } from '../testing/test-stores';

const pgService = await postgres();
const T0 = Date.UTC(2026, 5, 10, 9, 0);

/** What the family wrote and who they are: none of it may reach an audit row. */
const PATIENT_TEXT = 'Dad has chest pain and is very pale';
const PHONE = '+447700900731';
const PATIENT_NAME = 'Edith Cavell';
const NHS_NUMBER = '9434765919';

interface AuditRow {
  id: number;
  actor_type: string;
  actor_id: string | null;
  action: string;
  case_id: string | null;
  detail: string;
}

describe.each(['SQLite', 'PostgreSQL'] as const)('reads are audited (%s)', (storeName) => {
  const skip = storeName === 'PostgreSQL' && pgService.url === undefined;
  let hub: Hub;
  let clock: ManualClock;
  let running: StoreHub;
  const desks = new DeskSet(() => hub);

  beforeEach(async () => {
    if (skip) return;
    clock = new ManualClock(T0);
    running = await startHubOn(storeName, pgService.url, { clock, escalationTimer: false, outbox: { autoStart: false } });
    hub = running.hub;
    await addStaff(hub, 'nurse1', 'ward_nurse', ['W1']);
    await addStaff(hub, 'nurse2', 'ward_nurse', ['W2']);
    await addStaff(hub, 'sam', 'outreach');
  });

  afterEach(async () => {
    if (!skip) await running.stop(desks);
  });

  const detailOf = (desk: TestDesk, payload: unknown) => new Promise<CaseDetailResult>((resolve) => desk.socket.emit('case:detail', payload as { caseId: string }, resolve));
  const profileOf = (desk: TestDesk, payload: unknown) => new Promise<CaseProfileResult>((resolve) => desk.socket.emit('case:profile', payload as { caseId: string }, resolve));
  const measures = (desk: TestDesk, payload: { from?: number; to?: number }) => new Promise<MeasuresResult>((resolve) => desk.socket.emit('reports:measures', payload, resolve));
  const marthasRule = (desk: TestDesk, month: string) => new Promise<MarthasRuleReportResult>((resolve) => desk.socket.emit('reports:marthas-rule', { month }, resolve));

  const auditRows = (): Promise<AuditRow[]> => hub.store.db.selectFrom('audit').select(['id', 'actor_type', 'actor_id', 'action', 'case_id', 'detail']).orderBy('id').execute();
  const readRows = async () => (await auditRows()).filter((row) => row.action === 'case.viewed' || row.action === 'report.viewed');
  const headOf = async () => (await auditRows()).at(-1)?.id ?? 0;

  /** A ward 1 case from a known family member, with a patient on record: everything a read could leak. */
  async function wardCase(): Promise<string> {
    await hub.store.db.insertInto('patients').values({ id: 'p-1', nhs_number: NHS_NUMBER, name: PATIENT_NAME, ward: 'W1', created_at: T0 }).execute();
    await hub.store.db
      .insertInto('contacts')
      .values({ id: 'c-1', phone: PHONE, name: 'Florence', patient_id: 'p-1', relation: 'parent', preferred_channel: 'sms', whatsapp_id: null, last_inbound_at: null, last_inbound_channel: null, created_at: T0 })
      .execute();
    const { caseId } = await hub.receive(inbound(PHONE, LINES.ward, PATIENT_TEXT));
    return caseId;
  }

  /** A real failure of the audit insert for reads only, raised by the database itself. */
  async function refuseReadAudits(): Promise<void> {
    if (storeName === 'SQLite') {
      await sql`create trigger refuse_read_audits before insert on audit when new.action in ('case.viewed', 'report.viewed') begin select raise(abort, 'audit refused by test'); end`.execute(hub.store.db);
    } else {
      await sql`create function refuse_read_audits() returns trigger language plpgsql as $$ begin raise exception 'audit refused by test'; end $$`.execute(hub.store.db);
      await sql`create trigger refuse_read_audits before insert on audit for each row when (new.action in ('case.viewed', 'report.viewed')) execute function refuse_read_audits()`.execute(hub.store.db);
    }
  }
  async function allowReadAudits(): Promise<void> {
    await sql`drop trigger refuse_read_audits${sql.raw(storeName === 'SQLite' ? '' : ' on audit')}`.execute(hub.store.db);
  }

  describe.skipIf(skip)('cases', () => {
    it('audits each thread and profile read with the reader, the case and the view, before answering, without patient text', async () => {
      const caseId = await wardCase();
      const nurse = await desks.connect('nurse1');
      const before = await readRows();
      expect(before).toEqual([]);

      const detail = await detailOf(nurse, { caseId });
      expect(detail.ok && detail.messages.map((message) => message.body)).toEqual([PATIENT_TEXT]);
      // Already committed when the answer arrived: no waiting for it.
      expect(await readRows()).toMatchObject([{ actor_type: 'user', actor_id: nurse.userId, action: 'case.viewed', case_id: caseId }]);

      const profile = await profileOf(nurse, { caseId });
      expect(profile.ok && profile.patient?.nhsNumber).toBe(NHS_NUMBER);
      // Read again by the same desk while it is on record (an open case is re-read after every event on it): no new
      // row. Fifteen minutes on, or from another desk, it is a new reading.
      expect((await detailOf(nurse, { caseId })).ok).toBe(true);
      expect((await profileOf(nurse, { caseId })).ok).toBe(true);
      expect(await readRows()).toHaveLength(2);
      clock.advance(15 * 60_000);
      expect((await detailOf(nurse, { caseId })).ok).toBe(true);
      const otherDesk = await desks.connect('nurse1');
      expect((await profileOf(otherDesk, { caseId })).ok).toBe(true);

      const rows = await readRows();
      expect(rows.map((row) => [row.actor_id, row.case_id, JSON.parse(row.detail)])).toEqual([
        [nurse.userId, caseId, { view: 'thread' }],
        [nurse.userId, caseId, { view: 'profile' }],
        [nurse.userId, caseId, { view: 'thread' }],
        [nurse.userId, caseId, { view: 'profile' }],
      ]);
      for (const row of rows) for (const secret of [PATIENT_TEXT, PHONE, PATIENT_NAME, NHS_NUMBER, 'Florence']) expect(row.detail).not.toContain(secret);

      // Who looked is for an investigation, not the case's timeline every desk reads.
      const again = await profileOf(otherDesk, { caseId });
      expect(again.ok && again.timeline.map((entry) => entry.action)).not.toContain('case.viewed');

      // `clarion audit verify` walks the chain with the reads in it.
      expect(await verifyAuditChain(hub.store.db)).toEqual({ ok: true, rows: (await auditRows()).length });
    });

    it('writes nothing for a read it refuses (out of scope, unknown case, malformed), and one row for the read it answers', async () => {
      const caseId = await wardCase();
      const outsider = await desks.connect('nurse2');
      const head = await headOf();
      const seq = await hub.store.db.selectFrom('events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();

      for (const ask of [detailOf, profileOf]) {
        expect(await ask(outsider, { caseId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
        expect(await ask(outsider, { caseId: 'no-such-case' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
        expect(await ask(outsider, { case: caseId })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      }
      expect(await headOf()).toBe(head);
      expect(await hub.store.db.selectFrom('events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst()).toEqual(seq);

      // The nurse whose ward it is reads it: that read, and only that one, is in the audit.
      const nurse = await desks.connect('nurse1');
      expect((await detailOf(nurse, { caseId })).ok).toBe(true);
      const after = (await auditRows()).filter((row) => row.id > head && row.action !== 'session.opened');
      expect(after).toMatchObject([{ actor_id: nurse.userId, action: 'case.viewed', case_id: caseId }]);
      expect(await verifyAuditChain(hub.store.db)).toMatchObject({ ok: true });
    });

    it('refuses a read whose audit row cannot be written, saying so, and shows nothing of the case', async () => {
      const caseId = await wardCase();
      const nurse = await desks.connect('nurse1');
      await refuseReadAudits();
      for (const ask of [detailOf, profileOf]) {
        const refused = await ask(nurse, { caseId });
        expect(refused).toEqual({ ok: false, error: { code: 'unavailable', message: 'The hub could not record that you viewed this case, so it is not shown. Please try again.' } });
        expect(JSON.stringify(refused)).not.toContain(PATIENT_TEXT);
      }
      expect(await readRows()).toEqual([]);
      // The failed rows left no gap in the chain, and once the audit can be written the case reads again.
      expect(await verifyAuditChain(hub.store.db)).toMatchObject({ ok: true });
      await allowReadAudits();
      expect((await detailOf(nurse, { caseId })).ok).toBe(true);
      expect(await readRows()).toHaveLength(1);
      expect(await verifyAuditChain(hub.store.db)).toMatchObject({ ok: true });
    });
  });

  describe.skipIf(skip)('reports', () => {
    it('audits each report on the socket and each CSV export with its reader and the range asked for, and not a refused one', async () => {
      const sam = await desks.connect('sam');
      const nurse = await desks.connect('nurse1');
      const from = Date.UTC(2026, 5, 1);
      const to = Date.UTC(2026, 5, 8);

      expect(await measures(sam, { from, to })).toMatchObject({ ok: true, from, to });
      expect(await readRows()).toMatchObject([{ actor_id: sam.userId, action: 'report.viewed', case_id: null }]);
      expect((await marthasRule(sam, '2026-05')).ok).toBe(true);
      const { token } = await login(hub, 'sam');
      const csv = await fetch(`${hub.url}/api/reports/marthas-rule.csv?month=2026-04`, { headers: { authorization: `Bearer ${token}` } });
      expect(csv.status).toBe(200);
      // The default window is audited as the range it resolved to.
      const defaulted = await measures(nurse, {});
      if (!defaulted.ok) throw new Error(defaulted.error.message);

      // Refused: a nurse asking for Martha's Rule figures, on the socket and as a download, and a malformed month.
      const head = await headOf();
      expect(await marthasRule(nurse, '2026-05')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await marthasRule(sam, '2026-13')).toMatchObject({ ok: false, error: { code: 'invalid' } });
      expect(await measures(sam, { from: 'June' } as unknown as { from: number })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      const nurseToken = (await login(hub, 'nurse1')).token;
      expect((await fetch(`${hub.url}/api/reports/marthas-rule.csv?month=2026-04`, { headers: { authorization: `Bearer ${nurseToken}` } })).status).toBe(403);
      expect((await fetch(`${hub.url}/api/reports/marthas-rule.csv?month=2026-4`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
      // The nurse's login is audited; no report row is.
      expect((await auditRows()).filter((row) => row.id > head).map((row) => row.action)).toEqual(['session.opened']);

      expect((await readRows()).map((row) => [row.actor_id, JSON.parse(row.detail)])).toEqual([
        [sam.userId, { report: 'measures', from, to }],
        [sam.userId, { report: 'marthas-rule', month: '2026-05', via: 'desk' }],
        [sam.userId, { report: 'marthas-rule', month: '2026-04', via: 'csv' }],
        [nurse.userId, { report: 'measures', from: defaulted.from, to: defaulted.to }],
      ]);
      expect(await verifyAuditChain(hub.store.db)).toMatchObject({ ok: true });
    });

    it('refuses a report or an export whose audit row cannot be written', async () => {
      const sam = await desks.connect('sam');
      const { token } = await login(hub, 'sam');
      await refuseReadAudits();
      const unrecorded = { ok: false, error: { code: 'unavailable', message: 'The hub could not record that you viewed this report, so it is not shown. Please try again.' } };
      expect(await measures(sam, {})).toEqual(unrecorded);
      expect(await marthasRule(sam, '2026-05')).toEqual(unrecorded);
      const csv = await fetch(`${hub.url}/api/reports/marthas-rule.csv?month=2026-04`, { headers: { authorization: `Bearer ${token}` } });
      expect(csv.status).toBe(503);
      expect(await csv.json()).toEqual({ error: 'The hub could not record this export, so it was not served. Please try again.' });
      expect(await readRows()).toEqual([]);
      expect(await verifyAuditChain(hub.store.db)).toMatchObject({ ok: true });
    });
  });
});
