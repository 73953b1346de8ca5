// Development only: GET /dev/phone, a page on the hub that acts as a patient's phone. It talks to the
// carrier simulator (`clarion simulate`), which signs and posts as the carriers do and holds what the
// hub sent; secrets never reach the browser. Plain HTML + a script file, under a strict CSP: patient
// and staff text is only ever set as textContent.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const asset = (name: string) => readFileSync(new URL(`./phone-page/${name}`, import.meta.url), 'utf8');

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function phonePageCsp(simulatorUrl: string | undefined): string {
  const simulator = simulatorUrl === undefined ? '' : ` ${new URL(simulatorUrl).origin}`;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self'${simulator}`,
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** `simulatorUrl`: from the data dir's dev carriers file; undefined when `clarion simulate` has never run there. */
export function registerPhonePage(app: FastifyInstance, options: { simulatorUrl: string | undefined }): void {
  const html = asset('phone.html').replace('{{SIMULATOR}}', escapeAttribute(options.simulatorUrl ?? ''));
  const script = asset('phone.js');
  const style = asset('phone.css');
  const csp = phonePageCsp(options.simulatorUrl);
  const common = { 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };
  // The handlers set the headers themselves: the desk's site-wide hook (http/desk-static.ts) leaves a page's own CSP alone.
  app.get('/dev/phone', async (_request, reply) => reply.headers(common).type('text/html; charset=utf-8').send(html));
  app.get('/dev/phone/phone.js', async (_request, reply) => reply.headers(common).type('text/javascript; charset=utf-8').send(script));
  app.get('/dev/phone/phone.css', async (_request, reply) => reply.headers(common).type('text/css; charset=utf-8').send(style));
}
