// Creates one store per concept and wires the transport to them. Nothing else touches the transport.
import { reaction } from 'mobx';
import { TYPING_EXPIRES_MS } from '../../../shared/protocol';
import type { LoginApi } from '../transport/login-api';
import type { Transport, Unsubscribe } from '../transport/transport';
import { AlertCountStore } from './alert-count-store';
import { AlertStore } from './alert-store';
import { CaseStore } from './case-store';
import { ClockStore } from './clock-store';
import { ConnectionStore } from './connection-store';
import { DirectoryStore } from './directory-store';
import { MessageStore } from './message-store';
import { NoticeStore } from './notice-store';
import { PresenceStore } from './presence-store';
import { ProfileStore } from './profile-store';
import { PolicyStore } from './policy-store';
import { ReportStore } from './report-store';
import { SelectionStore } from './selection-store';
import { SessionStore, type SessionStorage } from './session-store';
import { ShiftStore } from './shift-store';
import { SyncStore } from './sync-store';

export interface RootStoreOptions {
  transport: Transport;
  loginApi: LoginApi;
  /** Where the tab keeps its session across reloads; null in tests. */
  storage?: SessionStorage | null;
  readClock?: () => number;
  /** Disconnected longer than this, the desk says its lists may be out of date. @default 5000 */
  staleAfterMs?: number;
  /** A colleague shown typing stops being shown this long after their desk last said so. @default TYPING_EXPIRES_MS */
  typingExpiresMs?: number;
  /** After an event that can change an alert, the desk re-asks the hub's counts this much later (one question per burst). @default 500 */
  alertCountsDebounceMs?: number;
}

export class RootStore {
  readonly transport: Transport;
  readonly loginApi: LoginApi;
  readonly clock: ClockStore;
  readonly notices: NoticeStore;
  readonly directory: DirectoryStore;
  readonly session: SessionStore;
  readonly connection: ConnectionStore;
  readonly sync: SyncStore;
  readonly cases: CaseStore;
  readonly messages: MessageStore;
  readonly selection: SelectionStore;
  readonly alerts: AlertStore;
  readonly alertCounts: AlertCountStore;
  readonly reports: ReportStore;
  readonly policies: PolicyStore;
  readonly presence: PresenceStore;
  readonly profiles: ProfileStore;
  readonly shift: ShiftStore;
  private readonly subscriptions: Unsubscribe[];

  constructor(options: RootStoreOptions) {
    this.transport = options.transport;
    this.loginApi = options.loginApi;
    this.clock = new ClockStore(options.readClock ?? Date.now);
    this.notices = new NoticeStore();
    this.directory = new DirectoryStore();
    this.session = new SessionStore(this, options.storage ?? null);
    this.connection = new ConnectionStore(this, options.staleAfterMs ?? 5000);
    this.sync = new SyncStore(this);
    this.cases = new CaseStore(this);
    this.messages = new MessageStore(this);
    this.selection = new SelectionStore(this);
    this.alerts = new AlertStore(this);
    this.alertCounts = new AlertCountStore(this, options.alertCountsDebounceMs ?? 500);
    this.reports = new ReportStore(this);
    this.policies = new PolicyStore(this);
    this.presence = new PresenceStore(this, options.typingExpiresMs ?? TYPING_EXPIRES_MS, options.readClock ?? Date.now);
    this.profiles = new ProfileStore(this);
    this.shift = new ShiftStore(this);
    this.subscriptions = [
      this.transport.onStatus((status) => {
        this.connection.onTransportStatus(status);
        this.sync.onTransportStatus(status);
        this.presence.onTransportStatus(status);
        this.shift.onTransportStatus(status);
      }),
      this.transport.onEvents((events) => this.sync.onEvents(events)),
      this.transport.onEvents((events) => this.alertCounts.onEvents(events)),
      // Current again (sign-in, reload, reconnect): the hub's counts, and the tray entries this desk was not open for.
      reaction(
        () => this.sync.current,
        (current) => {
          if (!current) return;
          void this.alertCounts.refresh();
          void this.alerts.recallMine();
        },
      ),
      this.transport.onPresence((update) => this.presence.apply(update)),
      // The open case: colleagues see this desk on it, and its panel and timeline are loaded.
      reaction(
        () => this.selection.selectedCaseId,
        (caseId) => {
          void this.presence.view(caseId);
          this.profiles.opened(caseId);
        },
      ),
      this.transport.onProtocolError(() => this.sync.onProtocolError()),
      reaction(() => this.shift.onShift, (onShift, wasOnShift) => this.shift.onShiftChange(onShift, wasOnShift)),
    ];
    // The PC's clock was changed under a running desk: measure the hub's time again, or countdowns would be out by it.
    this.clock.onJump(() => this.sync.onClockJump());
  }

  /** Called by the session once it holds a token. */
  startSession(token: string): void {
    this.clock.start();
    this.transport.connect(token);
  }

  /** Called by the session on logout: forget everything this user could see. */
  stopSession(): void {
    this.transport.disconnect();
    this.sync.reset();
    this.connection.reset();
    this.cases.reset();
    this.messages.clear();
    this.directory.reset();
    this.selection.reset();
    this.alerts.reset();
    this.alertCounts.reset();
    this.notices.reset();
    this.presence.reset();
    this.profiles.clear();
    this.shift.reset();
  }

  dispose(): void {
    for (const unsubscribe of this.subscriptions) unsubscribe();
    this.transport.disconnect();
    this.sync.reset();
    this.presence.reset();
    this.alertCounts.reset();
    this.clock.stop();
  }
}
