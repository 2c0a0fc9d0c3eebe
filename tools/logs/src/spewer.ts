/**
 * A throwaway container that prints pino-like api lines at a fixed rate for a fixed time, then
 * exits: the load for the log-driver measurement, the benchmark and the end-to-end test.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { imageRef } from '@dhakacart/images';
import { dockerRunLogArgs, type Candidate } from './shipping';

/** Runs inside the container (node image): RATE lines/s for SECONDS, each tagged with RUN. */
const SCRIPT = `
const rate = +process.env.RATE, total = Math.round(rate * +process.env.SECONDS), run = process.env.RUN;
let n = 0; const t0 = Date.now();
const tick = setInterval(() => {
  const due = Math.min(total, Math.floor(((Date.now() - t0) / 1000) * rate));
  let out = '';
  while (n < due) {
    n++;
    const err = n % 50 === 0;
    out += JSON.stringify({ level: err ? 50 : 30, time: new Date().toISOString(), service: 'api',
      reqId: run + '-' + n, method: 'GET', route: '/api/products/:id', status: err ? 500 : 200,
      durationMs: 3.2, customerId: n % 7, run, msg: 'request' }) + '\\n';
  }
  if (out) process.stdout.write(out);
  if (n >= total) { clearInterval(tick); }
}, 20);
`;

export interface SpewerRun {
  name: string;
  run: string;
  lines: number;
  /** Resolves when the container has exited (it is then removed). */
  done: Promise<void>;
}

export function startSpewer(c: Candidate, rate: number, seconds: number): SpewerRun {
  const run = `run${randomBytes(5).toString('hex')}`;
  const name = `logs-spewer-${run}`;
  execFileSync(
    'docker',
    [
      'run',
      '-d',
      '--name',
      name,
      '--label',
      'dhakacart.throwaway=logs',
      ...dockerRunLogArgs(c),
      '-e',
      `RATE=${rate}`,
      '-e',
      `SECONDS=${seconds}`,
      '-e',
      `RUN=${run}`,
      imageRef('node'),
      'node',
      '-e',
      SCRIPT,
    ],
    { stdio: 'ignore' },
  );
  const done = new Promise<void>((resolve) => {
    const w = spawn('docker', ['wait', name], { stdio: 'ignore' });
    const kill = setTimeout(() => w.kill(), (seconds + 60) * 1000);
    w.on('exit', () => {
      clearTimeout(kill);
      resolve();
    });
  });
  return { name, run, lines: Math.round(rate * seconds), done };
}

export function removeContainer(name: string): void {
  try {
    execFileSync('docker', ['rm', '-f', '-v', name], { stdio: 'ignore' });
  } catch {
    /* already gone */
  }
}
