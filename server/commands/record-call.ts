// Record call: the details of a Martha's Rule call (who is calling, patient, ward, contact number, concern), learnt in
// the conversation and kept for the monthly NHS England figures. The work is in server/escalation/marthas-rule.ts.
export { recordCall as record_call } from '../escalation/marthas-rule';
