// Invariant 6: patient text and credentials never reach a log line, whatever a caller passes in.
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function captured(): { lines: Record<string, unknown>[]; write(line: string): void } {
  const lines: Record<string, unknown>[] = [];
  return { lines, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('redacts message text, bodies, passwords and tokens, at the top level and one level down', () => {
    const out = captured();
    const log = createLogger('info', out);
    log.info(
      {
        body: 'My mum is more breathless tonight',
        text: 'Reply YES to confirm',
        password: 'correct horse battery staple',
        token: 'c2Vzc2lvbi10b2tlbg',
        message: { body: 'She has not eaten today', providerMessageId: 'SM0123' },
        reply: { text: 'yes please', caseId: 'c-1' },
        login: { password: 'hunter2', username: 'sam' },
        session: { token: 'abc', userId: 'u-1' },
      },
      '[test] something happened',
    );
    expect(out.lines).toHaveLength(1);
    const line = JSON.stringify(out.lines[0]);
    for (const secret of ['breathless', 'Reply YES', 'horse', 'c2Vzc2lvbi10b2tlbg', 'not eaten', 'yes please', 'hunter2', '"abc"']) expect(line).not.toContain(secret);
    // What is not patient text or a credential is kept, so the line still says what happened to which message.
    expect(out.lines[0]).toMatchObject({
      msg: '[test] something happened',
      service: 'clarion-hub',
      body: '[Redacted]',
      message: { body: '[Redacted]', providerMessageId: 'SM0123' },
      reply: { caseId: 'c-1' },
      login: { username: 'sam' },
      session: { userId: 'u-1' },
    });
  });

  it('writes nothing below its level', () => {
    const out = captured();
    createLogger('warn', out).info({ caseId: 'c-1' }, '[test] routine');
    expect(out.lines).toEqual([]);
  });
});
