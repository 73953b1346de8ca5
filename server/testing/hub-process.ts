// Test support: the real `clarion` CLI in a child process, so a test can SIGKILL a hub mid-flight and restart it.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLARION_BIN = fileURLToPath(new URL('../../bin/clarion.js', import.meta.url));

export interface HubProcess {
  child: ChildProcess;
  url: string;
  output(): string;
}

export function runClarion(args: string[], input: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLARION_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Starts `clarion hub` on an ephemeral port and resolves with its URL once it prints its banner. */
export function spawnHub(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<HubProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLARION_BIN, 'hub', '--port', '0', '--host', '127.0.0.1', '--data', dataDir], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`hub did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Clarion hub (http:\/\/\S+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code}:\n${output}`));
    });
  });
}

export function kill(hub: HubProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  return new Promise((resolve) => {
    if (hub.child.exitCode !== null || hub.child.signalCode !== null) return resolve();
    hub.child.once('exit', () => resolve());
    hub.child.kill(signal);
  });
}
