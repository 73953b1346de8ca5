// The words the desk shows for the domain's codes. Each switch ends in a throw so a new code added to
// shared/domain.ts fails the type-check here instead of showing a raw identifier to a nurse.
import type { CaseStatus, Category, Channel, DeliveryState, Outcome, Priority, Role } from '../../../shared/domain';
import type { AlertKind } from '../../../shared/protocol';

function missingCase(value: never): never {
  throw new Error(`unhandled value: ${String(value)}`);
}

export function outcomeLabel(outcome: Outcome): string {
  switch (outcome) {
    case 'review_done': return 'Review done';
    case 'transfer_critical_care': return 'Transferred to critical care';
    case 'change_in_care': return 'Change in care';
    case 'no_change': return 'Reviewed, no change';
    case 'redirected_pals': return 'Redirected to PALS';
    case 'answered': return 'Answered';
    case 'referred_complaints': return 'Referred to complaints';
    case 'no_action_needed': return 'No action needed';
    case 'duplicate': return 'Duplicate';
    default: return missingCase(outcome);
  }
}

export function categoryLabel(category: Category): string {
  switch (category) {
    case 'martha_rule': return "Martha's Rule";
    case 'clinical_concern': return 'Clinical concern';
    case 'appointment': return 'Appointment';
    case 'enquiry': return 'Enquiry';
    case 'complaint': return 'Complaint';
    case 'feedback': return 'Feedback';
    case 'other': return 'Other';
    default: return missingCase(category);
  }
}

export function statusLabel(status: CaseStatus): string {
  switch (status) {
    case 'open': return 'Not acknowledged';
    case 'acknowledged': return 'Acknowledged';
    case 'resolved': return 'Resolved';
    default: return missingCase(status);
  }
}

export function priorityLabel(priority: Priority): string {
  switch (priority) {
    case 1: return 'P1 urgent';
    case 2: return 'P2 high';
    case 3: return 'P3 normal';
    case 4: return 'P4 low';
    default: return missingCase(priority);
  }
}

export function channelLabel(channel: Channel): string {
  switch (channel) {
    case 'sms': return 'SMS';
    case 'whatsapp': return 'WhatsApp';
    case 'rcs': return 'RCS';
    default: return missingCase(channel);
  }
}

export function deliveryLabel(state: DeliveryState): string {
  switch (state) {
    case 'queued': return 'Queued';
    case 'accepted': return 'Accepted by carrier';
    case 'sent': return 'Sent';
    case 'delivered': return 'Delivered';
    case 'read': return 'Read';
    case 'failed': return 'Failed';
    case 'expired': return 'Expired';
    case 'received': return 'Received';
    default: return missingCase(state);
  }
}

export function roleLabel(role: Role): string {
  switch (role) {
    case 'ward_nurse': return 'Ward nurse';
    case 'pals_officer': return 'PALS officer';
    case 'outreach': return 'Outreach';
    case 'admin': return 'Administrator';
    default: return missingCase(role);
  }
}

export function alertKindLabel(kind: AlertKind): string {
  switch (kind) {
    case 'warning': return 'Deadline approaching';
    case 'breach': return 'Deadline passed';
    case 'escalated': return 'Escalated';
    case 'nobody_reachable': return 'Nobody reachable at the next escalation step';
    case 'paged': return 'Paged';
    case 'reopened_by_message': return 'Reopened by a new message';
    case 'acknowledged_timeout': return 'Acknowledged but not progressed in time';
    case 'silence_ended': return 'Silence ended';
    case 'silenced': return 'Escalation silenced';
    case 'unacknowledged': return 'Handed back';
    case 'reply_undelivered': return 'Reply not delivered';
    default: return missingCase(kind);
  }
}
