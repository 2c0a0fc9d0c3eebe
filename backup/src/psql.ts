import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { docker, lastLine } from './sh';

/**
 * SQL inside a container as its `postgres` user over the Unix socket: the lab publishes no
 * database port, and a restored database listens on nothing else. Returns the rows (-At).
 */
export async function psqlExec(
  container: string,
  sql: string,
  db = 'dhakacart',
): Promise<string[]> {
  const r = await docker(
    ['exec', '-i', container, 'psql', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', db],
    { input: sql, timeoutMs: 600_000 },
  );
  if (r.code !== 0) throw new Error(`psql in ${container.slice(0, 24)}: ${lastLine(r.stderr)}`);
  return r.stdout.split('\n').filter(Boolean);
}

/**
 * One long-lived psql (docker exec -i): statements go in on stdin, each followed by a marker
 * echo, so every statement's rows (or its failure) are read back in order. A statement's
 * rows arriving means PostgreSQL committed it (autocommit, synchronous_commit on).
 */
export class PsqlSession {
  private child: ChildProcessWithoutNullStreams;
  private buf = '';
  private waiting: { marker: string; resolve: (rows: string[] | null) => void }[] = [];
  private seq = 0;
  private closed = false;

  constructor(container: string, db = 'dhakacart') {
    this.child = spawn('docker', ['exec', '-i', container, 'psql', '-X', '-q', '-At', '-d', db]);
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (d: string) => this.onData(d));
    this.child.stderr.resume();
    this.child.on('exit', () => {
      this.closed = true;
      for (const w of this.waiting.splice(0)) w.resolve(null);
    });
    this.child.stdin.on('error', () => undefined);
  }

  private onData(d: string) {
    this.buf += d;
    for (;;) {
      const w = this.waiting[0];
      if (!w) return;
      const at = this.buf.indexOf(`${w.marker}\n`);
      if (at < 0) return;
      const rows = this.buf.slice(0, at).split('\n').filter(Boolean);
      this.buf = this.buf.slice(at + w.marker.length + 1);
      this.waiting.shift();
      // A failed statement prints nothing on stdout: no rows means not acknowledged.
      w.resolve(rows.length ? rows : null);
    }
  }

  /** Rows of one statement, or null when it failed or the session ended. */
  query(sql: string, timeoutMs = 10_000): Promise<string[] | null> {
    if (this.closed) return Promise.resolve(null);
    const marker = `@@done-${++this.seq}@@`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.close();
        resolve(null);
      }, timeoutMs);
      this.waiting.push({
        marker,
        resolve: (rows) => {
          clearTimeout(timer);
          resolve(rows);
        },
      });
      this.child.stdin.write(`${sql.trim().replace(/;?$/, ';')}\n\\echo ${marker}\n`);
    });
  }

  get alive() {
    return !this.closed;
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.child.stdin.end();
    this.child.kill('SIGTERM');
  }
}
