import * as net from 'node:net';
import { startSink, subjectOf, type RunningSink } from './sink';

/** A minimal SMTP client: enough to prove the sink speaks SMTP to a real socket. */
async function sendMail(port: number, lines: string[]): Promise<string[]> {
  const socket = net.connect(port, '127.0.0.1');
  const replies: string[] = [];
  let buffer = '';
  const waiters: ((line: string) => void)[] = [];
  socket.on('data', (d: Buffer) => {
    buffer += d.toString('utf8');
    let i: number;
    while ((i = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      // Multi-line replies use "250-"; the final line has a space after the code.
      if (/^\d{3} /.test(line)) waiters.shift()?.(line);
    }
  });
  const reply = (): Promise<string> => new Promise((r) => waiters.push(r));
  replies.push(await reply());
  for (const l of lines) {
    socket.write(`${l}\r\n`);
    replies.push(await reply());
  }
  socket.end();
  return replies;
}

describe('alert sink', () => {
  let sink: RunningSink;
  beforeAll(async () => {
    sink = await startSink({
      host: '127.0.0.1',
      httpPort: 0,
      smtpPort: 0,
      webhookToken: 's3cret',
      smtpUser: 'alerts',
      smtpPassword: 'pw',
    });
  });
  afterAll(() => sink.close());
  beforeEach(() => sink.clear());

  it('records webhook posts per channel and says whether the bearer token matched', async () => {
    const post = (channel: string, auth?: string) =>
      fetch(`${sink.httpUrl}/hooks/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify({ status: 'firing', channel }),
      });
    expect((await post('sms', 'Bearer s3cret')).status).toBe(200);
    expect((await post('slack')).status).toBe(200);
    const sms = (await (await fetch(`${sink.httpUrl}/received?channel=sms`)).json()) as {
      authorized: boolean;
      body: unknown;
    }[];
    expect(sms).toEqual([
      expect.objectContaining({
        channel: 'sms',
        authorized: true,
        body: { status: 'firing', channel: 'sms' },
      }),
    ]);
    expect(sink.received().find((r) => r.channel === 'slack')?.authorized).toBe(false);
  });

  it('rejects a non-JSON webhook body with a machine-readable error', async () => {
    const res = await fetch(`${sink.httpUrl}/hooks/slack`, { method: 'POST', body: 'not json' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'BODY_NOT_JSON' });
    expect(sink.received()).toEqual([]);
  });

  it('receives mail over SMTP after AUTH and records envelope and subject', async () => {
    const plain = Buffer.from('\u0000alerts\u0000pw').toString('base64');
    const replies = await sendMail(sink.smtpPort, [
      'EHLO test',
      `AUTH PLAIN ${plain}`,
      'MAIL FROM:<alertmanager@dhakacart.test>',
      'RCPT TO:<oncall@dhakacart.test>',
      'DATA',
      'Subject: =?UTF-8?q?=5BFIRING=3A1=5D_DiskFull?=\r\nFrom: alertmanager@dhakacart.test\r\n\r\nbody\r\n.',
      'QUIT',
    ]);
    expect(replies[2]).toMatch(/^235 /);
    expect(replies[6]).toMatch(/^250 /);
    const [mail] = sink.received();
    expect(mail?.channel).toBe('email');
    expect(mail?.authorized).toBe(true);
    expect(mail?.mail).toMatchObject({
      from: 'alertmanager@dhakacart.test',
      to: ['oncall@dhakacart.test'],
      subject: '[FIRING:1] DiskFull',
      authUser: 'alerts',
    });
  });

  it('refuses SMTP AUTH with the wrong password', async () => {
    const bad = Buffer.from('\u0000alerts\u0000nope').toString('base64');
    const replies = await sendMail(sink.smtpPort, ['EHLO test', `AUTH PLAIN ${bad}`, 'QUIT']);
    expect(replies[2]).toMatch(/^535 /);
    expect(sink.received()).toEqual([]);
  });
});

describe('subjectOf', () => {
  it('unfolds headers and decodes base64 encoded words', () => {
    const b64 = Buffer.from('[FIRING:2] Checkout').toString('base64');
    expect(subjectOf(`From: a\r\nSubject: =?UTF-8?B?${b64}?=\r\n more\r\n\r\nbody`)).toBe(
      '[FIRING:2] Checkout more',
    );
  });
});
