// How much CPU the hypervisor took from this virtual machine while a bench measured: the `steal` column of
// /proc/stat, summed over all CPUs. Our machines are small VMs on shared hosts; when steal is high a latency tail is
// the host's, and a run is worth repeating rather than reading as the code's. Linux only; elsewhere `undefined`.
import { readFileSync } from 'node:fs';

/** /proc/stat counts in USER_HZ ticks, 100 a second on Linux whatever the kernel's HZ. */
const TICK_MS = 10;

export interface CpuTimes {
  /** Every CPU's time, all columns (ms). */
  total: number;
  steal: number;
}

export function cpuTimes(): CpuTimes | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is already counted in user)
  const fields = /^cpu\s+(.*)$/m.exec(text)?.[1]?.trim().split(/\s+/).map(Number);
  if (fields === undefined || fields.length < 8 || fields.some((value) => !Number.isFinite(value))) return undefined;
  return { total: fields.slice(0, 8).reduce((sum, value) => sum + value, 0) * TICK_MS, steal: fields[7]! * TICK_MS };
}

/** Steal between two readings: ms, and as a share of all CPU time that passed. */
export function stealBetween(before: CpuTimes | undefined, after: CpuTimes | undefined): { ms: number; share: number } | undefined {
  if (before === undefined || after === undefined || after.total <= before.total) return undefined;
  const ms = after.steal - before.steal;
  return { ms, share: ms / (after.total - before.total) };
}
