import { describe, expect, it } from 'vitest';
import { silenceChoices } from './silence-choices';

describe('silenceChoices', () => {
  it("offers only silences within the queue's limit, the limit itself when it falls between the usual ones", () => {
    expect(silenceChoices(15)).toEqual([5, 15]);
    expect(silenceChoices(20)).toEqual([5, 15, 20]);
    expect(silenceChoices(3)).toEqual([3]);
    expect(silenceChoices(240)).toEqual([5, 15, 30, 60]);
    // An older hub that does not say: the usual four, and the hub's refusal stays the guard.
    expect(silenceChoices(undefined)).toEqual([5, 15, 30, 60]);
  });
});
