import { describe, expect, it } from 'vitest';
import type { MarthaCall } from '../../../shared/protocol';
import { callerLabel, stillToAskSentence } from './call-words';

const call = (fields: Partial<MarthaCall>): MarthaCall => ({
  callerType: null, patientName: null, ward: null, contactNumber: null, concern: null, updatedAt: 1, updatedBy: 'u-1', ...fields,
});

describe('Martha’s Rule call words', () => {
  it('says what is still to ask, in the order the first reply asks it, and nothing once those four are recorded', () => {
    expect(stillToAskSentence(null)).toBe("Still to ask: who is calling, the patient's name, their ward and the concern.");
    expect(stillToAskSentence(call({ callerType: 'family', concern: 'More confused', contactNumber: '07700900456' }))).toBe(
      "Still to ask: the patient's name and their ward.",
    );
    expect(stillToAskSentence(call({ callerType: 'carer', patientName: 'John Smith', ward: 'W2' }))).toBe('Still to ask: the concern.');
    // The number they wrote from is a contact number already.
    expect(stillToAskSentence(call({ callerType: 'staff', patientName: 'John Smith', ward: 'W2', concern: 'Breathless' }))).toBeNull();
  });

  it('names each caller type', () => {
    expect(['patient', 'family', 'carer', 'staff'].map((type) => callerLabel(type as MarthaCall['callerType'] & string))).toEqual([
      'The patient', 'Family member', 'Carer', 'Staff member',
    ]);
  });
});
