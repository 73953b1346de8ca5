// The words for a Martha's Rule call record (`record_call`): who is calling, and what the outreach nurse still has to
// ask the family for. The first reply asks the family for the same four things (server/escalation/marthas-rule.ts).
import type { CallerType } from '../../../shared/domain';
import type { MarthaCall } from '../../../shared/protocol';

export function callerLabel(callerType: CallerType): string {
  switch (callerType) {
    case 'patient': return 'The patient';
    case 'family': return 'Family member';
    case 'carer': return 'Carer';
    case 'staff': return 'Staff member';
    default: {
      const unhandled: never = callerType;
      throw new Error(`unhandled caller type: ${String(unhandled)}`);
    }
  }
}

/** What is not recorded yet, in the order the first reply asks for it; empty when the record is complete. */
export function callStillToAsk(call: MarthaCall | null): string[] {
  const missing: string[] = [];
  if (call?.callerType == null) missing.push('who is calling');
  if (call?.patientName == null) missing.push("the patient's name");
  if (call?.ward == null) missing.push('their ward');
  if (call?.concern == null) missing.push('the concern');
  // Not the contact number: the number they wrote from is one, and the case already has it.
  return missing;
}

/** "Still to ask: the patient's name and their ward." or null when nothing is missing. */
export function stillToAskSentence(call: MarthaCall | null): string | null {
  const missing = callStillToAsk(call);
  if (missing.length === 0) return null;
  const list = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
  return `Still to ask: ${list}.`;
}
