// Serves the built desk (dist/renderer) at / for browsers and the Electron window, with headers that keep patient
// text inert: a strict Content-Security-Policy (no inline script, same-origin connections only) and no sniffing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const DESK_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // React sets style attributes; no inline <style> or script comes from patient text, which is only ever text nodes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export async function registerDeskStatic(app: FastifyInstance, rendererDir: string): Promise<void> {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    // A page that states its own policy keeps it (the development phone page, server/simulator/phone-page.ts).
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html') && !reply.hasHeader('content-security-policy')) reply.header('content-security-policy', DESK_CSP);
    return payload;
  });
  const index = join(rendererDir, 'index.html');
  if (!existsSync(index)) {
    app.get('/', async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send('<!doctype html><title>Clarion</title><p>The desk is not built. Run <code>npm run build:renderer</code>, then reload.</p>'),
    );
    return;
  }
  await app.register(fastifyStatic, { root: rendererDir, index: ['index.html'], wildcard: false });
  // The desk is one page: unknown GETs outside the API fall back to it, API and webhook paths get a real 404.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (request.method === 'GET' && !/^\/(api|webhooks|dev|socket\.io|metrics|healthz)(\/|$)/.test(path)) return reply.type('text/html; charset=utf-8').sendFile('index.html');
    return reply.code(404).send({ error: `No route ${request.method} ${path}` });
  });
}
