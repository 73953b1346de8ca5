// Row types of the store, as Kysely sees them. One definition serves SQLite and PostgreSQL: epoch milliseconds are
// numbers in both (the PostgreSQL connection parses int8 to number), booleans are 0/1 integers, lists are JSON text.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  /** JSON array of ward codes. */
  wards: string;
  password_hash: string;
  created_at: number;
  disabled: number;
}

export interface SessionsTable {
  /** sha256 of the bearer token: a leaked database does not leak live sessions. */
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface PatientsTable {
  id: string;
  nhs_number: string | null;
  name: string;
  ward: string | null;
  created_at: number;
}

export interface ContactsTable {
  id: string;
  phone: string;
  name: string | null;
  patient_id: string | null;
  relation: string;
  preferred_channel: string | null;
  whatsapp_id: string | null;
  last_inbound_at: number | null;
  last_inbound_channel: string | null;
  created_at: number;
}

export interface ConsentsTable {
  contact_id: string;
  channel: string;
  status: string;
  source: string;
  changed_at: number;
}

export interface CasesTable {
  id: string;
  ref: number;
  line: string;
  line_purpose: string;
  queue_id: string;
  ward: string | null;
  status: string;
  priority: number;
  category: string;
  assignee_id: string | null;
  contact_id: string;
  patient_id: string | null;
  channel: string;
  version: number;
  opened_at: number;
  updated_at: number;
  last_message_at: number;
  last_message_preview: string;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
  outcome: string | null;
  ack_due_at: number | null;
  respond_due_at: number | null;
  resolve_due_at: number | null;
  /** JSON ReplyUndelivered (shared/domain.ts) while a reply on the case has not reached the family (migration 0009). */
  reply_undelivered: string | null;
}

export interface MessagesTable {
  id: string;
  case_id: string;
  contact_id: string | null;
  direction: string;
  channel: string | null;
  provider: string | null;
  provider_message_id: string | null;
  body: string;
  intent: string | null;
  delivery_state: string | null;
  author_id: string | null;
  created_at: number;
}

/** Message columns added by migration 0003; kept apart so MessageRow literals written before it stay whole. */
export interface MessageOutboundColumns {
  /** JSON AskedQuestion (shared/reply-intent.ts) when the message asked one. */
  question: string | null;
  /** Why delivery failed, in words for staff. */
  delivery_error: string | null;
}

export interface EventsTable {
  seq: number;
  case_id: string;
  type: string;
  at: number;
  actor_id: string | null;
  /** The queue the case is in after the change, and the one it left (a move is seen by both). */
  queue_id: string;
  prev_queue_id: string | null;
  /** The DeskEvent as sent to desks, JSON. */
  payload: string;
}

export interface AuditTable {
  id: number;
  at: number;
  actor_type: string;
  actor_id: string | null;
  action: string;
  case_id: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface CommandsTable {
  command_id: string;
  user_id: string;
  name: string;
  result: string;
  at: number;
}

export interface OutboxTable {
  id: string;
  message_id: string;
  case_id: string;
  contact_id: string;
  channel: string;
  to_address: string;
  body: string;
  state: string;
  attempts: number;
  next_attempt_at: number;
  provider: string | null;
  provider_message_id: string | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  /** 'reply' | 'keyword_answer' (migration 0003, server/outbox/). */
  kind: Generated<string>;
  send_channel: string | null;
  fallback_from: string | null;
  deliver_by: number | null;
  /** An SMS or WhatsApp send the carrier took: when its delivery report is overdue (migration 0009). */
  confirm_by: number | null;
}

export interface QueuePoliciesTable {
  queue_id: string;
  /** The EscalationPolicy as JSON, validated when written and again when read. */
  policy: string;
  updated_at: number;
  updated_by: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  patients: PatientsTable;
  contacts: ContactsTable;
  consents: ConsentsTable;
  cases: CasesTable;
  messages: MessagesTable & MessageOutboundColumns;
  events: EventsTable;
  audit: AuditTable;
  commands: CommandsTable;
  outbox: OutboxTable;
  timers: TimersTable;
  case_alerts: CaseAlertsTable;
  alert_notifications: AlertNotificationsTable;
  shifts: ShiftsTable;
  staff_directory_version: StaffDirectoryVersionTable;
  martha_calls: MarthaCallsTable;
  queue_policies: QueuePoliciesTable;
  early_receipts: EarlyReceiptsTable;
}

export type UserRow = Selectable<UsersTable>;
export type CaseRow = Selectable<CasesTable>;
export type NewCase = Insertable<CasesTable>;
export type CaseUpdate = Updateable<CasesTable>;
export type MessageRow = Selectable<MessagesTable>;
export type ContactRow = Selectable<ContactsTable>;
export type OutboxRow = Selectable<OutboxTable>;

// Escalation (migration 0002, docs/escalation.md).
export interface TimersTable {
  id: string;
  case_id: string;
  kind: string;
  due_at: number;
  step: number;
  detail: string;
  /** pending → fired | cancelled, by compare-and-set. */
  state: string;
  created_at: number;
  fired_at: number | null;
}

export interface CaseAlertsTable {
  case_id: string;
  queue_id: string;
  state: string;
  episode: number;
  /** JSON of the ladder as it was when this alert started. */
  ladder: string;
  level: number;
  cycle: number;
  started_at: number;
  silenced_until: number | null;
  updated_at: number;
}

export interface AlertNotificationsTable {
  id: string;
  case_id: string;
  episode: number;
  user_id: string;
  kind: string;
  level: number;
  at: number;
}

/** One row: a token that changes with every write to users or shifts (triggers, migration 0012). */
export interface StaffDirectoryVersionTable {
  id: number;
  token: string;
}

export interface ShiftsTable {
  user_id: string;
  on_shift: number;
  changed_at: number;
  changed_by: string;
  /** When the shift ends (hub clock); null when off shift. server/escalation/shift-limits.ts */
  ends_at: number | null;
}

export type TimerRow = Selectable<TimersTable>;
export type CaseAlertRow = Selectable<CaseAlertsTable>;

// Martha's Rule call details (migration 0004).
export interface MarthaCallsTable {
  case_id: string;
  caller_type: string | null;
  patient_name: string | null;
  ward: string | null;
  contact_number: string | null;
  concern: string | null;
  updated_at: number;
  updated_by: string;
}

// Receipts that overtook the send, held until the sender records the carrier's id (migration 0008,
// server/outbox/early-receipts.ts).
export interface EarlyReceiptsTable {
  /** Arrival order. */
  id: Generated<number>;
  provider: string;
  provider_message_id: string;
  /** The DeliveryStatus as JSON (shared/inbound.ts), validated again when read. */
  receipt: string;
  received_at: number;
}

export type EarlyReceiptRow = Selectable<EarlyReceiptsTable>;
