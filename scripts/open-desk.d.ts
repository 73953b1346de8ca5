// Types for scripts/open-desk.js (plain ESM so start.js runs without a compiler).
import type { ChildProcess } from 'node:child_process';

export type ElectronBinary = { available: true; path: string } | { available: false; reason: string };
export declare function findElectronBinary(): ElectronBinary;
export declare function openDesk(url: string): Promise<ChildProcess | null>;
