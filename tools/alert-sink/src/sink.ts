import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One notification as the sink received it. */
export interface Received {
  /** `email` for SMTP, otherwise the webhook path segment (/hooks/<channel>). */
  channel: string;
  receivedAt: string;
  /** Whether the request carried the expected credential (undefined when none is configured). */
  authorized?: boolean;
  /** Parsed JSON body for webhooks. */
  body?: unknown;
  /** Email envelope and content. */
  mail?: { from: string; to: string[]; subject: string; authUser?: string; raw: string };
}

export interface SinkOptions {
  host: string;
  httpPort: number;
  smtpPort: number;
  /** When set, webhooks must send `Authorization: Bearer <token>` and SMTP must AUTH with these. */
  webhookToken?: string;
  smtpUser?: string;
  smtpPassword?: string;
}

export interface RunningSink {
  httpUrl: string;
  smtpPort: number;
  received(): Received[];
  clear(): void;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Unfolds RFC 5322 headers and returns the Subject, decoding simple RFC 2047 words. */
export function subjectOf(raw: string): string {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => /^subject:/i.test(l)) ?? '';
  return line
    .replace(/^subject:\s*/i, '')
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : text
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (_h, hex: string) =>
              String.fromCharCode(parseInt(hex, 16)),
            ),
    )
    .trim();
}

function listen(
  server: { listen: (port: number, host: string, cb: () => void) => unknown },
  port: number,
  host: string,
): Promise<void> {
  return new Promise((resolve) => server.listen(port, host, resolve));
}

/** Starts the HTTP webhook sink and the SMTP sink; port 0 picks a free port. */
export async function startSink(opts: SinkOptions): Promise<RunningSink> {
  const store: Received[] = [];

  const http: Server = createServer((req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://sink');
    const hook = /^\/hooks\/([a-z0-9_-]+)$/i.exec(url.pathname);
    if (req.method === 'POST' && hook) {
      readBody(req).then(
        (text) => {
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            send(400, { error: 'BODY_NOT_JSON' });
            return;
          }
          const authorized =
            opts.webhookToken === undefined
              ? undefined
              : req.headers.authorization === `Bearer ${opts.webhookToken}`;
          store.push({
            channel: hook[1] as string,
            receivedAt: new Date().toISOString(),
            authorized,
            body,
          });
          // Slack expects the literal body "ok"; Alertmanager only checks the status code.
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('ok');
        },
        () => send(413, { error: 'BODY_TOO_LARGE' }),
      );
      return;
    }
    if (req.method === 'GET' && url.pathname === '/received') {
      const channel = url.searchParams.get('channel');
      send(200, channel ? store.filter((r) => r.channel === channel) : store);
      return;
    }
    if (req.method === 'DELETE' && url.pathname === '/received') {
      store.length = 0;
      send(200, { cleared: true });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/healthz') {
      send(200, { ok: true });
      return;
    }
    send(404, { error: 'NOT_FOUND' });
  });

  const requireAuth = opts.smtpUser !== undefined;
  const smtp = new SMTPServer({
    secure: false,
    // A test sink on a private network: no TLS, so STARTTLS is not offered.
    disabledCommands: requireAuth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !requireAuth,
    allowInsecureAuth: true,
    logger: false,
    size: MAX_BODY,
    onAuth(auth, _session, cb) {
      if (auth.username === opts.smtpUser && auth.password === opts.smtpPassword) {
        cb(null, { user: auth.username });
      } else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const authUser = typeof session.user === 'string' ? session.user : undefined;
        store.push({
          channel: 'email',
          receivedAt: new Date().toISOString(),
          authorized: requireAuth ? authUser === opts.smtpUser : undefined,
          mail: {
            from,
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: subjectOf(raw),
            authUser,
            raw,
          },
        });
        cb();
      });
    },
  });

  await listen(http, opts.httpPort, opts.host);
  await listen(
    smtp as unknown as { listen: (p: number, h: string, cb: () => void) => unknown },
    opts.smtpPort,
    opts.host,
  );
  const httpPort = (http.address() as AddressInfo).port;
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  return {
    httpUrl: `http://${opts.host}:${httpPort}`,
    smtpPort,
    received: () => [...store],
    clear: () => {
      store.length = 0;
    },
    close: async () => {
      await new Promise<void>((r) => smtp.close(() => r()));
      await new Promise<void>((r) => {
        http.closeAllConnections();
        http.close(() => r());
      });
    },
  };
}
