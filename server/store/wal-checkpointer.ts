// WAL checkpoints off the event loop. By default SQLite checkpoints inside the COMMIT that takes the WAL past 1,000
// pages: that commit copies every page back into the database file and syncs it, on the thread that serves webhooks,
// desks and timers. Under a burst that was a 10–15 ms stall every hundred or so commits (bench/timers, docs/escalation.md).
// Here the hub's own connection never checkpoints; a worker thread with a connection of its own runs a PASSIVE
// checkpoint every interval, which SQLite runs alongside the writer, and syncs the file there.
// If the worker fails, the hub's connection checkpoints for itself again, so the WAL never grows without bound.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

/** SQLite's own default: checkpoint when the WAL reaches 1,000 pages. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

// CommonJS run by `new Worker(…, { eval: true })`: no loader, no TypeScript, nothing of the hub's but the driver.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointer {
  /** Stops the worker after its current checkpoint and closes its connection. */
  stop(): Promise<void>;
}

/** The driver's path as this module resolves it, so the worker loads the same build wherever the hub was started from. */
const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');

export function startWalCheckpointer(database: SqliteDatabase.Database, file: string, intervalMs = 100): WalCheckpointer {
  database.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: driverPath, file, intervalMs } });
  // The hub's server keeps the process alive; a checkpointer alone must not.
  worker.unref();
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const fallBack = () => {
    if (!stopping && database.open) database.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
  };
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  return {
    async stop() {
      if (stopping) return exited;
      stopping = true;
      // Held until it has closed its connection: an unreferenced worker is not waited for.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
