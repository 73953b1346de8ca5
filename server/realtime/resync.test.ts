import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncResultSchema, type DeskEvent, type SyncResult } from '../../shared/protocol';
import type { Hub } from '../hub';
import { addStaff, commandId, connectDesk, inbound, LINES, startHub, stopHub, type TestDesk } from '../testing/hub-harness';

function sync(desk: TestDesk, since: number): Promise<SyncResult> {
  return new Promise((resolve) => desk.socket.emit('sync', { since }, resolve));
}

/** What a desk does on reconnect: page through `sync` until the hub says there is no more. */
async function catchUp(desk: TestDesk, since: number): Promise<DeskEvent[]> {
  const events: DeskEvent[] = [];
  let cursor = since;
  for (;;) {
    const page = SyncResultSchema.parse(await sync(desk, cursor));
    if (!page.ok) throw new Error(page.error.message);
    events.push(...page.events);
    if (!page.more) return events;
    cursor = page.events.at(-1)!.seq;
  }
}

describe('resync after a disconnect', () => {
  let hub: Hub;

  beforeEach(async () => {
    hub = await startHub();
    await addStaff(hub, 'nurse1', 'ward_nurse', ['W1']);
    await addStaff(hub, 'outreach1', 'outreach');
  });

  afterEach(() => stopHub(hub));

  it('gives a desk exactly the 50 changes it missed, in order, and none from outside its scope', async () => {
    const outreach = await connectDesk(hub, 'outreach1');
    const first = await hub.receive(inbound('+447700900400', LINES.martha, 'first'));
    const seen = await outreach.waitFor((event) => event.case.id === first.caseId);
    outreach.close();

    // 50 changes to cases in its scope, interleaved with changes it must never see (triage queue).
    const actor = await connectDesk(hub, 'outreach1');
    const expected: string[] = [];
    for (let index = 0; index < 25; index += 1) {
      const received = await hub.receive(inbound(`+4477009005${String(index).padStart(2, '0')}`, LINES.martha, `call ${index}`));
      expected.push(`${received.caseId}:case.opened`);
      await hub.receive(inbound(`+4477009006${String(index).padStart(2, '0')}`, LINES.ward, `not yours ${index}`));
      const result = await new Promise<{ ok: boolean }>((resolve) => actor.socket.emit('acknowledge', { commandId: commandId(), caseId: received.caseId, version: 1 }, resolve));
      expect(result.ok).toBe(true);
      expected.push(`${received.caseId}:case.acknowledged`);
    }
    actor.close();

    const back = await connectDesk(hub, 'outreach1');
    try {
      const missed = await catchUp(back, seen.seq);
      expect(missed.map((event) => `${event.case.id}:${event.type}`)).toEqual(expected);
      const seqs = missed.map((event) => event.seq);
      expect(new Set(seqs).size).toBe(50);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(missed.every((event) => event.case.queueId === 'outreach')).toBe(true);
      // Asking again from the last one held gives nothing: no doubles.
      expect(await catchUp(back, seqs.at(-1)!)).toEqual([]);
    } finally {
      back.close();
    }
  });

  it('pages a long gap and still returns every event once', async () => {
    const desk = await connectDesk(hub, 'outreach1');
    desk.close();
    // Writes issued together share commits (group commit) — the sequence must still be gap-free and ordered.
    const received = await Promise.all(Array.from({ length: 1205 }, (_, index) => hub.receive(inbound(`+44770091${String(index).padStart(4, '0')}`, LINES.martha, `m${index}`))));
    const back = await connectDesk(hub, 'outreach1');
    try {
      const events = await catchUp(back, 0);
      expect(events).toHaveLength(1205);
      expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 1205 }, (_, index) => index + 1));
      expect(new Set(events.map((event) => event.case.id))).toEqual(new Set(received.map((result) => result.caseId)));
    } finally {
      back.close();
    }
  });

  it('rejects a malformed sync request', async () => {
    const desk = await connectDesk(hub, 'outreach1');
    try {
      expect(await new Promise((resolve) => (desk.socket.emit as (event: string, payload: unknown, ack: (result: unknown) => void) => void)('sync', { since: -4 }, resolve))).toMatchObject({
        ok: false,
        error: { code: 'invalid' },
      });
    } finally {
      desk.close();
    }
  });
});
