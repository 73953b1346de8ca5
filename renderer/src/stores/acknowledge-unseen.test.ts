// An acknowledgement stops the ladder, so it must not be made over a family message the nurse has not been shown: the
// desk sends what it showed, and the hub refuses when the family wrote again. Against a real hub, with the new
// message's event held in flight, exactly as when it is on the wire while she clicks.
import { describe, expect, it } from 'vitest';
import { LINES, STAFF } from '../../../e2e/support/hub';
import { ForwardingTransport, signedInDesk, until, useStaffedHub } from '../../../e2e/support/store-harness';
import type { DeskEvent } from '../../../shared/protocol';
import type { RootStore } from './root-store';
import type { Transport } from '../transport/transport';

const FAMILY = '+447700900871';

/** The desk's real transport, except that events can be held back and delivered later, in order. */
class EventGate extends ForwardingTransport {
  private held: DeskEvent[][] | null = null;
  private listeners: ((events: DeskEvent[]) => void)[] = [];

  constructor(inner: Transport) {
    super(inner);
    inner.onEvents((events) => {
      if (this.held !== null) this.held.push(events);
      else for (const listener of this.listeners) listener(events);
    });
  }

  hold(): void {
    this.held = [];
  }

  /** Resolves once something is held, so the test knows the event is "on the wire". */
  async holding(): Promise<void> {
    // Polled: `until` waits on MobX observables, and this is plain state.
    for (const deadline = Date.now() + 10_000; (this.held?.length ?? 0) === 0; ) {
      if (Date.now() > deadline) throw new Error('timed out waiting for an event held in flight');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const events of held) for (const listener of this.listeners) listener(events);
  }

  override onEvents(listener: (events: DeskEvent[]) => void): ReturnType<Transport['onEvents']> {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((candidate) => candidate !== listener);
    };
  }
}

const staffed = useStaffedHub();


async function samWithGate(): Promise<{ sam: RootStore; gate: EventGate }> {
  let gate: EventGate | undefined;
  const sam = await signedInDesk(staffed.hub.url, STAFF.sam.username, STAFF.sam.password, { wrapTransport: (inner) => (gate = new EventGate(inner)) });
  staffed.desks.add(sam);
  if (gate === undefined) throw new Error('the transport was not wrapped');
  return { sam, gate };
}

describe('acknowledging a Martha’s Rule call', () => {
  it('is refused while a newer family message is still on its way to the desk, which then shows it; acknowledged once shown', async () => {
    const { sam, gate } = await samWithGate();
    const { caseId } = await staffed.hub.receive(FAMILY, LINES.martha, 'Dad is very drowsy');
    await until(() => sam.cases.get(caseId) !== undefined, 'the call on the desk');
    sam.selection.select(caseId);
    await until(() => sam.messages.thread(caseId) !== undefined, 'thread loaded');

    gate.hold();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await staffed.hub.receive(FAMILY, LINES.martha, 'He will not wake up now');
    await gate.holding();
    expect(await sam.cases.acknowledge(caseId)).toBe(false);
    expect(sam.notices.notice?.text).toMatch(/^Not acknowledged: the family wrote again at \d\d:\d\d\. Read the new message, then acknowledge\./);
    // The refusal brought the case as it is, and the thread is fetched again: the new message is on screen.
    expect(sam.cases.get(caseId)).toMatchObject({ status: 'open', lastMessagePreview: 'He will not wake up now' });
    await until(() => sam.messages.thread(caseId)?.some((message) => message.body === 'He will not wake up now') === true, 'the new message shown');

    expect(await sam.cases.acknowledge(caseId)).toBe(true);
    expect(sam.cases.get(caseId)?.status).toBe('acknowledged');
    // The held event arriving late changes nothing: it is older than what the desk now has.
    gate.release();
    expect(sam.cases.get(caseId)?.status).toBe('acknowledged');
  });
});
