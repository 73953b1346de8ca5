import { describe, expect, it } from 'vitest';
import { DeadlineHeap } from './min-heap';

function drain(heap: DeadlineHeap): string[] {
  const order: string[] = [];
  for (let entry = heap.pop(); entry !== undefined; entry = heap.pop()) order.push(`${entry.id}@${entry.dueAt}`);
  return order;
}

describe('the deadline heap', () => {
  it('filled from columns in any order, then pushed to, gives timers back earliest first', () => {
    const heap = new DeadlineHeap();
    heap.fill(['e', 'b', 'd', 'a', 'c', 'f'], [50, 20, 40, 10, 30, 60]);
    heap.push('early', 5);
    heap.push('middle', 35);
    expect(heap.size).toBe(8);
    expect(heap.peekDue()).toBe(5);
    expect(drain(heap)).toEqual(['early@5', 'a@10', 'b@20', 'c@30', 'middle@35', 'd@40', 'e@50', 'f@60']);
    expect(heap.peekDue()).toBeUndefined();
  });

  it('keeps a random thousand in order, duplicates and all', () => {
    const dues = Array.from({ length: 1000 }, (_, index) => (index * 7919) % 997);
    const heap = new DeadlineHeap();
    heap.fill(
      dues.map((_, index) => `t${index}`),
      [...dues],
    );
    const popped: number[] = [];
    for (let entry = heap.pop(); entry !== undefined; entry = heap.pop()) popped.push(entry.dueAt);
    expect(popped).toEqual([...dues].sort((a, b) => a - b));
  });

  it('refuses columns of different lengths rather than pairing ids with the wrong times', () => {
    expect(() => new DeadlineHeap().fill(['a', 'b'], [1])).toThrow(/2 timer ids but 1 due times/);
  });
});
