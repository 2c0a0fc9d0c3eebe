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

test('addresses, phone numbers, tokens, card data and emails are redacted, two levels deep too', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const log = createLogger('info', sink);
  log.warn(
    {
      err: {
        body: {
          shippingAddress: { name: 'Karim', phone: '01712345678', line1: 'House 12, Road 5' },
          card: { pan: '4111111111111111', cvv: '123' },
          email: 'karim@example.test',
        },
      },
      token: 'tok-abcdef',
      res: { headers: { 'set-cookie': 'sid=s3cr3t; HttpOnly' } },
      reqId: 'r-1',
    },
    'rejected',
  );
  const out = lines.join('');
  for (const s of [
    '01712345678',
    'House 12',
    '4111111111111111',
    '"123"',
    'karim@',
    'tok-abcdef',
    's3cr3t',
  ])
    expect([s, out.includes(s)]).toEqual([s, false]);
  expect(JSON.parse(out)).toMatchObject({ reqId: 'r-1', msg: 'rejected' });
});
