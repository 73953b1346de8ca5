import { describe, expect, it } from 'vitest';
import { newSortableId } from './sortable-id';

describe('newSortableId', () => {
  it('issues UUIDv7-shaped ids that sort in the order they were created, even within one millisecond', () => {
    const ids = Array.from({ length: 10_000 }, () => newSortableId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every id random bits of its own, across many refills of the random pool', () => {
    // The time and counter already make ids unique in one process; the random tail is what keeps two hubs apart.
    const tails = Array.from({ length: 10_000 }, () => newSortableId().slice(-16).replace('-', ''));
    expect(new Set(tails).size).toBe(tails.length);
  });
});
