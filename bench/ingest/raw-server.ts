// The raw pipeline the hub is measured against: node:http, one better-sqlite3 insert, one socket.io
// broadcast — no signature, no parsing beyond reading the form, no validation. Same machine, same run.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Server } from 'socket.io';

// NORMAL by default: the raw pipeline is the ceiling, so it gets the cheapest commit (one WAL append, no fsync).
const synchronous = process.env.RAW_SYNCHRONOUS === 'FULL' ? 'FULL' : 'NORMAL';
const dir = mkdtempSync(join(tmpdir(), 'clarion-bench-raw-'));
const db = new Database(join(dir, 'raw.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${synchronous}`);
db.exec('create table messages (id integer primary key, sid text not null unique, sender text not null, body text not null, received_at integer not null)');
db.exec('create index messages_sender on messages (sender, received_at)');
const insert = db.prepare('insert into messages (sid, sender, body, received_at) values (?, ?, ?, ?)');

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const row = { sid: form.get('MessageSid') ?? '', from: form.get('From') ?? '', body: form.get('Body') ?? '', at: Date.now() };
    const { lastInsertRowid } = insert.run(row.sid, row.from, row.body, row.at);
    io.emit('event', { id: Number(lastInsertRowid), ...row });
    response.writeHead(200, { 'content-type': 'text/xml' });
    response.end('<Response/>');
  });
});
// Same socket.io settings as the hub (server/hub.ts): compression off, websocket fan-out.
const io = new Server(server, { serveClient: false, perMessageDeflate: false });
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') process.stdout.write(`RAW_READY http://127.0.0.1:${address.port} synchronous=${synchronous}\n`);
});
process.on('SIGTERM', () => {
  io.close();
  server.close();
  db.close();
  process.exit(0);
});
