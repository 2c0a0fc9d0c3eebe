import { Writable } from 'node:stream';
import { createLogger } from './logger';

test('passwords, cookies, session ids and card numbers are redacted from log lines', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const log = createLogger('info', sink);
  log.info(
    {
      password: 'hunter2-secret',
      body: { password: 'p2-secret', cardNumber: '4111111111111111' },
      headers: { cookie: 'sid=abcdef-session', authorization: 'Bearer tok-secret' },
      sessionId: 'sess-secret',
      route: '/api/auth/login',
    },
    'request',
  );
  const out = lines.join('');
  for (const s of [
    'hunter2-secret',
    'p2-secret',
    '4111111111111111',
    'abcdef-session',
    'tok-secret',
    'sess-secret',
  ]) {
    expect(out).not.toContain(s);
  }
  expect(JSON.parse(out)).toMatchObject({
    route: '/api/auth/login',
    msg: 'request',
    service: 'api',
  });
});
