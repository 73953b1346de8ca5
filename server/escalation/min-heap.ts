// A binary min-heap of (due time, timer id): the scheduler's whole in-memory state. Parallel arrays instead of one
// object per entry keep 100k deadlines small (bench/timers measures it).
export class DeadlineHeap {
  private dues: number[] = [];
  private ids: string[] = [];

  get size(): number {
    return this.dues.length;
  }

  /**
   * Replaces the contents with these timers in O(n) (Floyd's heapify), for the rebuild at start. Takes the two arrays
   * over rather than copying them: `ids[i]` is due at `dues[i]`.
   */
  fill(ids: string[], dues: number[]): void {
    if (ids.length !== dues.length) throw new Error(`[escalation] ${ids.length} timer ids but ${dues.length} due times`);
    this.ids = ids;
    this.dues = dues;
    for (let index = (this.dues.length >> 1) - 1; index >= 0; index -= 1) this.down(index);
  }

  push(id: string, dueAt: number): void {
    this.dues.push(dueAt);
    this.ids.push(id);
    this.up(this.dues.length - 1);
  }

  peekDue(): number | undefined {
    return this.dues[0];
  }

  pop(): { id: string; dueAt: number } | undefined {
    const count = this.dues.length;
    if (count === 0) return undefined;
    const top = { id: this.ids[0]!, dueAt: this.dues[0]! };
    const lastDue = this.dues.pop()!;
    const lastId = this.ids.pop()!;
    if (count > 1) {
      this.dues[0] = lastDue;
      this.ids[0] = lastId;
      this.down(0);
    }
    return top;
  }

  private up(start: number): void {
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.dues[parent]! <= this.dues[index]!) return;
      this.swap(index, parent);
      index = parent;
    }
  }

  private down(start: number): void {
    const count = this.dues.length;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < count && this.dues[left]! < this.dues[smallest]!) smallest = left;
      if (right < count && this.dues[right]! < this.dues[smallest]!) smallest = right;
      if (smallest === index) return;
      this.swap(index, smallest);
      index = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const due = this.dues[a]!;
    this.dues[a] = this.dues[b]!;
    this.dues[b] = due;
    const id = this.ids[a]!;
    this.ids[a] = this.ids[b]!;
    this.ids[b] = id;
  }
}
