// How long this machine's disk takes to make 16 KB durable (write + fdatasync in the temp dir, where the hub's store
// lives). The hub waits for one such sync per group commit before it answers or broadcasts, so a bench that reports
// the hub's latency reports this next to it: no commit can be quicker than the disk's own sync.
import { rmSync, mkdtempSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export async function diskSyncProbe(samples = 100): Promise<{ p50: number; p99: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'clarion-bench-sync-'));
  const handle = await open(join(dir, 'probe'), 'w');
  const times: number[] = [];
  try {
    const block = Buffer.alloc(16 * 1024, 7);
    for (let index = 0; index < samples; index += 1) {
      const started = performance.now();
      await handle.write(block);
      await handle.datasync();
      times.push(performance.now() - started);
    }
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  const at = (fraction: number) => times[Math.min(times.length - 1, Math.floor(fraction * (times.length - 1)))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}
