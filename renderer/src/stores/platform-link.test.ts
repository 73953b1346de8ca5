// The link from desk state to the machine's notifications and badge. The native side (Electron or the
// browser's Notification API) is outside this project's renderer, so it is recorded, not called.
import { runInAction } from 'mobx';
import { describe, expect, it } from 'vitest';
import { DesktopAlertSchema, type DesktopAlert } from '../../../shared/bridge';
import type { CaseView } from '../../../shared/domain';
import type { AlertKind, DeskEvent } from '../../../shared/protocol';
import { HttpLoginApi } from '../transport/login-api';
import { SocketTransport } from '../transport/socket-transport';
import { linkPlatform, type PlatformSurface } from './platform-link';
import { RootStore } from './root-store';

const NOW = Date.UTC(2026, 4, 1, 8, 0);

function caseView(id: string, ref: number, overrides: Partial<CaseView> = {}): CaseView {
  return {
    id, ref, line: '+447700900111', linePurpose: 'martha', queueId: 'outreach', ward: 'W3', status: 'open', priority: 1,
    category: 'martha_rule', assigneeId: null, contactId: `c-${id}`, contactPhone: '+447700900123', contactName: 'Private Name',
    channel: 'sms', patientId: null, version: 1, openedAt: NOW, updatedAt: NOW, lastMessageAt: NOW,
    lastMessagePreview: 'private patient words', acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null, resolvedBy: null,
    outcome: null, ackDueAt: null, respondDueAt: null, resolveDueAt: null, ...overrides,
  };
}

function recordingPlatform() {
  const calls: { method: string; argument: unknown }[] = [];
  let focusListener: ((caseId: string) => void) | null = null;
  const ok = async () => ({ ok: true as const, value: null });
  const platform: PlatformSurface = {
    notify: (alert) => (calls.push({ method: 'notify', argument: alert }), ok()),
    withdraw: (key) => (calls.push({ method: 'withdraw', argument: key }), ok()),
    setBadge: (count) => (calls.push({ method: 'setBadge', argument: count }), ok()),
    setConnection: (state) => (calls.push({ method: 'setConnection', argument: state }), ok()),
    flash: () => (calls.push({ method: 'flash', argument: null }), ok()),
    onFocusCase: (listener) => {
      focusListener = listener;
      return () => (focusListener = null);
    },
  };
  return { platform, calls, focus: (caseId: string) => focusListener?.(caseId) };
}

describe('linkPlatform', () => {
  it('notifies once per new call without patient text, badges the count, and opens a clicked case', () => {
    const store = new RootStore({ transport: new SocketTransport({ url: 'http://127.0.0.1:9' }), loginApi: new HttpLoginApi('http://127.0.0.1:9'), readClock: () => NOW });
    const { platform, calls, focus } = recordingPlatform();
    const unlink = linkPlatform(store, platform);
    expect(calls).toEqual([
      { method: 'setBadge', argument: 0 },
      { method: 'setConnection', argument: 'stale' },
    ]);
    calls.length = 0;

    store.cases.upsert(caseView('a', 1042));
    store.cases.upsert({ ...caseView('a', 1042), version: 2, lastMessagePreview: 'a second message' });
    const notifications = calls.filter((call) => call.method === 'notify');
    expect(notifications).toEqual([
      { method: 'notify', argument: { caseId: 'a', key: 'martha:a', kind: 'martha', title: "Martha's Rule call — Ward W3", body: 'Case #1042 is waiting to be acknowledged.', urgent: true } },
    ]);
    expect(JSON.stringify(calls)).not.toMatch(/private/i);
    expect(calls.filter((call) => call.method === 'flash')).toHaveLength(1);
    expect(calls.filter((call) => call.method === 'setBadge').at(-1)?.argument).toBe(1);

    store.cases.upsert({ ...caseView('a', 1042), version: 3, status: 'acknowledged' });
    expect(calls.filter((call) => call.method === 'setBadge').at(-1)?.argument).toBe(0);
    // Acknowledged: the call's notification is taken down, once, by the key it was shown with.
    expect(calls.filter((call) => call.method === 'withdraw')).toEqual([{ method: 'withdraw', argument: 'martha:a' }]);

    focus('a');
    expect(store.selection.selectedCaseId).toBe('a');
    unlink();
    store.dispose();
  });
});

describe('linkPlatform, alerts addressed to this user', () => {
  const ME = 'u-me';

  function signedInStore(): RootStore {
    const store = new RootStore({ transport: new SocketTransport({ url: 'http://127.0.0.1:9' }), loginApi: new HttpLoginApi('http://127.0.0.1:9'), readClock: () => NOW });
    runInAction(() => (store.session.user = { id: ME, username: 'me', displayName: 'Me Myself', role: 'ward_nurse', wards: ['W3'] }));
    return store;
  }

  function alertEvent(seq: number, kind: AlertKind, targets: string[], view: CaseView = caseView('a', 1042)): DeskEvent {
    const type = kind === 'nobody_reachable' ? 'alert.nobody_reachable' : kind === 'reopened_by_message' || kind === 'acknowledged_timeout' ? 'case.reopened' : 'alert.escalated';
    return { seq, type, at: NOW, actorId: null, case: view, alert: { kind, level: 1, cycle: 0, targets } };
  }

  it.each<[AlertKind, string]>([
    ['escalated', 'Escalated to you — case #1042'],
    ['paged', 'Paged into case #1042'],
    ['silence_ended', 'Silence ended, escalated to you — case #1042'],
    ['nobody_reachable', 'Nobody reachable — case #1042'],
    ['reopened_by_message', 'New message on your case #1042'],
    ['acknowledged_timeout', 'Your case #1042 is open again'],
  ])('a %s alert naming this user notifies once, without patient text, even for a case already notified', (kind, title) => {
    const store = signedInStore();
    const { platform, calls } = recordingPlatform();
    const unlink = linkPlatform(store, platform);
    // The case was already notified as a Martha's Rule call: the escalation must still sound.
    store.cases.upsert(caseView('a', 1042));
    calls.length = 0;

    store.alerts.applyEvent(alertEvent(7, kind, [ME, 'u-other']));
    const notifications = calls.filter((call) => call.method === 'notify');
    expect(notifications).toEqual([{ method: 'notify', argument: expect.objectContaining({ caseId: 'a', kind, title, urgent: true }) }]);
    expect(DesktopAlertSchema.safeParse(notifications[0]?.argument).success).toBe(true);
    expect(JSON.stringify(calls)).not.toMatch(/private|\+44/i);
    expect(calls.filter((call) => call.method === 'flash')).toHaveLength(1);

    // The same event again (a resync): no second notification.
    store.alerts.applyEvent(alertEvent(7, kind, [ME, 'u-other']));
    expect(calls.filter((call) => call.method === 'notify')).toHaveLength(1);
    expect(calls.filter((call) => call.method === 'flash')).toHaveLength(1);
    unlink();
    store.dispose();
  });

  it('stays quiet for tray entries not addressed to this user, and for entries already there when linked', () => {
    const store = signedInStore();
    const acknowledged = caseView('b', 2001, { status: 'acknowledged', category: 'other' });
    store.cases.upsert(acknowledged);
    // In the tray before the link starts (as after a load): seen or missed already, not sounded now.
    store.alerts.applyEvent(alertEvent(3, 'paged', [ME], acknowledged));
    const { platform, calls } = recordingPlatform();
    const unlink = linkPlatform(store, platform);
    calls.length = 0;

    store.alerts.applyEvent(alertEvent(4, 'escalated', ['u-other'], acknowledged));
    store.alerts.applyEvent(alertEvent(5, 'escalated', [], acknowledged));
    store.alerts.applyEvent({ ...alertEvent(6, 'warning', [ME], acknowledged), type: 'alert.warning' });
    expect(store.alerts.tray).toHaveLength(4);
    expect(calls.filter((call) => call.method === 'notify' || call.method === 'flash')).toEqual([]);

    store.alerts.applyEvent(alertEvent(8, 'escalated', [ME], acknowledged));
    expect(calls.filter((call) => call.method === 'notify').map((call) => (call.argument as DesktopAlert).title)).toEqual(['Escalated to you — case #2001']);
    unlink();
    store.dispose();
  });

  it('withdraws an entry’s notification when the event that ends its alert takes it out of the tray, and only that one', () => {
    const store = signedInStore();
    const call = caseView('a', 1042, { category: 'other' });
    const other = caseView('b', 2001, { category: 'other' });
    store.cases.upsert(call);
    store.cases.upsert(other);
    const { platform, calls } = recordingPlatform();
    const unlink = linkPlatform(store, platform);
    store.alerts.applyEvent(alertEvent(7, 'escalated', [ME], call));
    store.alerts.applyEvent(alertEvent(8, 'paged', [ME], other));
    const keys = calls.filter((entry) => entry.method === 'notify').map((entry) => (entry.argument as DesktopAlert).key);
    expect(keys).toEqual(['7:escalated:a', '8:paged:b']);
    expect(calls.filter((entry) => entry.method === 'withdraw')).toEqual([]);

    // A colleague acknowledges case a: its entry leaves the tray, and with it the notification; b's stays.
    store.alerts.applyEvent({ seq: 9, type: 'case.acknowledged', at: NOW, actorId: 'u-other', case: { ...call, version: 2, status: 'acknowledged' } });
    expect(calls.filter((entry) => entry.method === 'withdraw')).toEqual([{ method: 'withdraw', argument: '7:escalated:a' }]);

    // Signing out empties the tray: nothing this user was told stays on the shared PC's screen.
    store.alerts.reset();
    expect(calls.filter((entry) => entry.method === 'withdraw').map((entry) => entry.argument)).toEqual(['7:escalated:a', '8:paged:b']);
    unlink();
    store.dispose();
  });
});
