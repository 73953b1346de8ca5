// Test support: a real hub wired to the fake carrier APIs, a ManualClock, and one logged-in outreach desk, with the
// few moves the outbound tests make (a patient writes, staff reply, the outbox runs).
import { sql } from 'kysely';
import type { InboundMessage } from '../../shared/inbound';
import type { CommandResult } from '../../shared/protocol';
import { ManualClock } from '../clock';
import type { Hub, HubOptions } from '../hub';
import { addStaff, commandId, connectDesk, inbound, LINES, startHub, stopHub, tempDataDir, type TestDesk } from '../testing/hub-harness';
import { fakeCarrierConfig, type CarrierSet, type FakeCarrierApis } from './fake-carrier-apis';

export const T0 = Date.UTC(2026, 10, 27, 9, 30);
export const PATIENT = '+447700900456';

export interface OutboundTestHub {
  hub: Hub;
  clock: ManualClock;
  desk: TestDesk;
  patientWrites(text: string, extra?: Partial<InboundMessage>, line?: string): Promise<string>;
  reply(caseId: string, body: string, templateId?: string): Promise<CommandResult>;
  messages(caseId: string): Promise<{ id: string; direction: string; body: string; intent: string | null; delivery_state: string | null; delivery_error: string | null }[]>;
  close(): Promise<void>;
}

export async function startOutboundHub(apis: FakeCarrierApis, enabled: readonly CarrierSet[], outbox: HubOptions['outbox'] = {}): Promise<OutboundTestHub> {
  apis.reset();
  const dir = tempDataDir();
  const clock = new ManualClock(T0);
  const hub = await startHub({ dataDir: dir, clock, carriers: fakeCarrierConfig(apis, dir, enabled), outbox: { autoStart: false, random: () => 0.5, ...outbox } });
  await addStaff(hub, 'sam', 'outreach');
  await addStaff(hub, 'pat', 'pals_officer');
  const desk = await connectDesk(hub, 'sam');
  return {
    hub,
    clock,
    desk,
    async patientWrites(text, extra = {}, line = LINES.martha) {
      return (await hub.receive(inbound(PATIENT, line, text, extra))).caseId;
    },
    async reply(caseId, body, templateId) {
      const { version } = await hub.store.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow();
      const payload = { commandId: commandId(), caseId, version, body, ...(templateId === undefined ? {} : { templateId }) };
      return new Promise((resolve) => (desk.socket.emit as (event: string, payload: unknown, ack: (result: CommandResult) => void) => void)('reply', payload, resolve));
    },
    messages(caseId) {
      return hub.store.db
        .selectFrom('messages')
        .select(['id', 'direction', 'body', 'intent', 'delivery_state', 'delivery_error'])
        .where('case_id', '=', caseId)
        .orderBy('created_at')
        // Insertion order: the ManualClock gives every message of one test the same time.
        .orderBy(sql`rowid`)
        .execute();
    },
    close() {
      desk.close();
      return stopHub(hub);
    },
  };
}
