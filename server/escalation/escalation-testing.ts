// Test support for the escalation tests: a site whose outreach ladder is short and explicit, and small helpers that
// drive a hub's escalation with its ManualClock. Real hub, real store, real sockets (server/testing/hub-harness.ts).
import type { AlertKind, DeskEvent, ShiftResult, ShiftStatusResult, AlertCountsResult, CommandName, CommandResult, MyAlertsResult } from '../../shared/protocol';
import type { ManualClock } from '../clock';
import { demoSiteConfig, type SiteConfig } from '../config/site-config';
import type { Hub } from '../hub';
import { commandId, inbound, LINES, type TestDesk } from '../testing/hub-harness';
import type { EscalationPolicy } from './policy-schema';

export const MINUTE = 60_000;
/** Wednesday 10 June 2026, 10:00 BST: a plain working day, far from any clock change or bank holiday. */
export const JUNE_10_2026_10AM = Date.UTC(2026, 5, 10, 9, 0);

export const OUTREACH_POLICY: EscalationPolicy = {
  queueId: 'outreach',
  calendar: { kind: '24x7' },
  acknowledgeBy: { minutes: 5 },
  warnAt: [0.5, 0.8],
  acknowledgedTimeoutMinutes: 30,
  ladder: {
    steps: [
      { afterMinutes: 0, notify: { kind: 'on_shift', role: 'outreach' } },
      { afterMinutes: 5, notify: { kind: 'team', role: 'outreach' } },
      { afterMinutes: 5, notify: { kind: 'user', username: 'boss' } },
    ],
    repeat: 1,
    repeatAfterMinutes: 5,
  },
};

export function testSite(outreach: Partial<EscalationPolicy> = {}): SiteConfig {
  const site = demoSiteConfig();
  return { ...site, policies: [{ ...OUTREACH_POLICY, ...outreach }, ...(site.policies ?? []).filter((policy) => policy.queueId !== 'outreach')] };
}

export function send(desk: TestDesk, name: CommandName, payload: unknown): Promise<CommandResult> {
  return new Promise((resolve) => (desk.socket.emit as (event: string, payload: unknown, ack: (result: CommandResult) => void) => void)(name, payload, resolve));
}

export function setShift(desk: TestDesk, onShift: boolean, userId?: string, id = commandId()): Promise<ShiftResult> {
  return new Promise((resolve) => desk.socket.emit('shift:set', { commandId: id, onShift, ...(userId === undefined ? {} : { userId }) }, resolve));
}

/** `shift:set` with whatever payload the test gives (an end time, a malformed one), and a fresh command id unless given. */
export function requestShift(desk: TestDesk, payload: Record<string, unknown>): Promise<ShiftResult> {
  return new Promise((resolve) => (desk.socket.emit as (event: string, payload: unknown, ack: (result: ShiftResult) => void) => void)('shift:set', { commandId: commandId(), ...payload }, resolve));
}

export function shiftStatus(desk: TestDesk): Promise<ShiftStatusResult> {
  return new Promise((resolve) => desk.socket.emit('shift:get', {}, resolve));
}

export function alertCounts(desk: TestDesk): Promise<AlertCountsResult> {
  return new Promise((resolve) => desk.socket.emit('alerts:counts', {}, resolve));
}

/** Moves the hub's clock and fires whatever fell due, then lets the broadcast reach the desks. */
/** The alerts addressed to the desk's user and not over (the tray a desk restores after sign-in). */
export function myAlerts(desk: TestDesk): Promise<MyAlertsResult> {
  return new Promise((resolve) => desk.socket.emit('alerts:mine', {}, resolve));
}

/** The kinds the tray would restore, newest first, and the count the header would show: the two must agree. */
export async function addressedTo(desk: TestDesk): Promise<{ listed: AlertKind[]; mine: number }> {
  const [listed, counts] = await Promise.all([myAlerts(desk), alertCounts(desk)]);
  if (!listed.ok || !counts.ok) throw new Error('alerts:mine or alerts:counts refused');
  return { listed: listed.alerts.map((alert) => alert.kind), mine: counts.mine };
}

/** A command's result that must have succeeded, or the hub's refusal as the error. */
export function succeeded(result: CommandResult): Extract<CommandResult, { ok: true }> {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result;
}

/** A Martha's Rule call with nobody on shift: the ladder's first step finds nobody and tells the administrators. */
export async function nobodyReachableCall(hub: Hub, from: string): Promise<string> {
  const { caseId } = await hub.receive(inbound(from, LINES.martha, 'Dad is very drowsy'));
  await hub.escalation.scheduler.advanceTo();
  return caseId;
}

export async function advance(hub: Hub, clock: ManualClock, ms: number): Promise<void> {
  clock.advance(ms);
  await hub.escalation.scheduler.advanceTo();
}

export function alertEvents(desk: TestDesk, caseId: string): DeskEvent[] {
  return desk.events.filter((event) => event.case.id === caseId && event.alert !== undefined);
}

/** The alert events the store holds for a case, oldest first: the record, whatever a desk received. */
export async function storedAlerts(hub: Hub, caseId: string): Promise<DeskEvent[]> {
  const rows = await hub.store.db.selectFrom('events').select('payload').where('case_id', '=', caseId).orderBy('seq').execute();
  return rows.map((row) => JSON.parse(row.payload) as DeskEvent).filter((event) => event.alert !== undefined);
}
