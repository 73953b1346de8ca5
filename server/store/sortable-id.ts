// Ids that sort in the order this process created them (UUIDv7 layout: 48-bit milliseconds, then a counter, then
// random bits), for rows that are written together and read in order:
// - Thread messages: a Martha's Rule call and its automatic first reply, or a batch sharing one group commit, share
//   `created_at`; the thread orders by (created_at, id), so with random UUIDv4s their order would be random.
// - Cases, contacts, timers and alert notifications: their ids key B-tree indexes (the table's own, and every
//   (case_id, …) index), and a random key puts each new row on a page of its own. Escalation steps that fall due
//   together belong to cases opened together, so with these ids one commit's steps share their index pages. Measured
//   in bench/timers (docs/escalation.md, ninth session): COMMIT time per step fell from about 240 µs to 90 µs.
import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let counter = 0;

// Random bits drawn from the kernel a few kilobytes at a time, as crypto.randomUUID does, instead of one getrandom
// call per id: at 500 webhooks/s that call was about 17 µs of the event loop per message (bench/ingest profile).
const RANDOM_BYTES_PER_ID = 8;
const pool = Buffer.alloc(RANDOM_BYTES_PER_ID * 512);
let poolOffset = pool.length;

function randomTail(into: Buffer): void {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  pool.copy(into, 16 - RANDOM_BYTES_PER_ID, poolOffset, poolOffset + RANDOM_BYTES_PER_ID);
  poolOffset += RANDOM_BYTES_PER_ID;
}

export function newSortableId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    // Same millisecond (or the wall clock stepped back): stay on the last millisecond and count up, so ids never sort
    // before one already issued. 12 bits of counter; past 4096 in one millisecond, borrow the next millisecond.
    ms = lastMs;
    counter += 1;
    if (counter > 0xfff) {
      ms += 1;
      counter = 0;
    }
  } else {
    counter = 0;
  }
  lastMs = ms;
  const bytes = Buffer.allocUnsafe(16);
  randomTail(bytes);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
