// Pure derivations of the inbox: ordering, filters, search, j/k movement, deadlines. No hub needed.
import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../../shared/domain';
import { HttpLoginApi } from '../transport/login-api';
import { SocketTransport } from '../transport/socket-transport';
import { compareForInbox } from './case-store';
import { RootStore } from './root-store';
import { isBreaching, nextDeadline } from './selection-store';

const NOW = Date.UTC(2026, 2, 29, 12, 0);

function caseView(overrides: Partial<CaseView> & Pick<CaseView, 'id' | 'ref'>): CaseView {
  return {
    line: '+447700900333', linePurpose: 'ward', queueId: 'ward-W1', ward: 'W1', status: 'open', priority: 3,
    category: 'enquiry', assigneeId: null, contactId: `contact-${overrides.id}`, contactPhone: '+447700900123',
    contactName: null, channel: 'sms', patientId: null, version: 1, openedAt: NOW - 60_000, updatedAt: NOW,
    lastMessageAt: NOW, lastMessagePreview: 'hello', acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null,
    resolvedBy: null, outcome: null, ackDueAt: null, respondDueAt: null, resolveDueAt: null,
    ...overrides,
  };
}

function storeWith(views: CaseView[]): RootStore {
  // Never connected: these derivations read only what is already in the stores.
  const store = new RootStore({ transport: new SocketTransport({ url: 'http://127.0.0.1:9' }), loginApi: new HttpLoginApi('http://127.0.0.1:9'), readClock: () => NOW });
  store.cases.replaceAll(views);
  return store;
}

describe('inbox order', () => {
  it('puts unacknowledged first, then priority, then the longest waiting', () => {
    const views = [
      caseView({ id: 'a', ref: 1, status: 'acknowledged', priority: 1 }),
      caseView({ id: 'b', ref: 2, priority: 3, openedAt: NOW - 1000 }),
      caseView({ id: 'c', ref: 3, priority: 3, openedAt: NOW - 9000 }),
      caseView({ id: 'd', ref: 4, priority: 1 }),
    ];
    expect([...views].sort(compareForInbox).map((view) => view.id)).toEqual(['d', 'c', 'b', 'a']);
  });
});

describe('SelectionStore', () => {
  const views = [
    caseView({ id: 'mine', ref: 10, assigneeId: 'me', contactName: 'Joan Smith', queueId: 'outreach' }),
    caseView({ id: 'free', ref: 11, lastMessagePreview: 'Can I visit after 8pm?', contactPhone: '+447700900555' }),
    caseView({ id: 'late', ref: 12, ackDueAt: NOW - 1, assigneeId: 'someone-else' }),
    caseView({ id: 'done', ref: 13, status: 'resolved' }),
  ];

  it('filters by queue, mine, unassigned and overdue, never showing resolved cases', () => {
    const store = storeWith(views);
    store.session.updateUser({ id: 'me', username: 'me', displayName: 'Me', role: 'outreach', wards: [] });
    const ids = () => store.selection.inboxCases.map((view) => view.id).sort();
    expect(ids()).toEqual(['free', 'late', 'mine']);
    store.selection.setFilter('mine');
    expect(ids()).toEqual(['mine']);
    store.selection.setFilter('unassigned');
    expect(ids()).toEqual(['free']);
    store.selection.setFilter('breaching');
    expect(ids()).toEqual(['late']);
    store.selection.setFilter('all');
    store.selection.setQueue('outreach');
    expect(ids()).toEqual(['mine']);
  });

  it('searches names, message text, phone digits in any grouping, and #ref', () => {
    const store = storeWith(views);
    const search = (text: string) => {
      store.selection.setSearch(text);
      return store.selection.inboxCases.map((view) => view.id);
    };
    expect(search('joan')).toEqual(['mine']);
    expect(search('VISIT')).toEqual(['free']);
    expect(search('07700 900 555')).toEqual(['free']);
    expect(search('900 555')).toEqual(['free']);
    expect(search('#12')).toEqual(['late']);
  });

  it('moves with j/k within the visible list and stops at its ends', () => {
    const store = storeWith(views);
    const order = store.selection.inboxCases.map((view) => view.id);
    store.selection.move(1);
    expect(store.selection.selectedCaseId).toBe(order[0]);
    store.selection.move(-1);
    expect(store.selection.selectedCaseId).toBe(order[0]);
    store.selection.move(1);
    store.selection.move(1);
    store.selection.move(1);
    expect(store.selection.selectedCaseId).toBe(order[order.length - 1]);
  });
});

describe('deadlines', () => {
  it('asks for acknowledgement while open, then a response, and nothing once resolved', () => {
    const open = caseView({ id: 'x', ref: 1, ackDueAt: NOW + 5, respondDueAt: NOW + 10 });
    expect(nextDeadline(open)).toEqual({ kind: 'acknowledge', at: NOW + 5 });
    expect(nextDeadline({ ...open, status: 'acknowledged' })).toEqual({ kind: 'respond', at: NOW + 10 });
    expect(nextDeadline({ ...open, status: 'resolved' })).toBeNull();
    expect(isBreaching(open, NOW + 4)).toBe(false);
    expect(isBreaching(open, NOW + 5)).toBe(true);
  });
});
