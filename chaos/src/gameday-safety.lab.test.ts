/**
 * The game day's safety: a fault is reverted when the operator presses Ctrl-C, and a fault left
 * by a run that was killed outright is found and removed by the next bring-up (`lab up`, and the
 * next game day, which call the same removal). Runs against the running lab.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { removeFaultResidue } from '@dhakacart/lab';
import { activeFaults, containers, LEDGER_DIR, REPO_ROOT, run, sleep } from '@dhakacart/lab-client';

/** Whether this kernel has the netem qdisc (sch_netem), tried in a throwaway network namespace. */
async function kernelHasNetem(): Promise<boolean> {
  const ns = `dhakacart-netem-probe-${process.pid}`;
  await run('ip', ['netns', 'add', ns]);
  try {
    const r = await run('ip', [
      'netns',
      'exec',
      ns,
      'tc',
      'qdisc',
      'add',
      'dev',
      'lo',
      'root',
      'netem',
      'delay',
      '1ms',
    ]);
    return r.code === 0;
  } finally {
    await run('ip', ['netns', 'del', ns]);
  }
}

/**
 * The fault this test puts on and takes off: the api→database latency (netem) where the kernel
 * has netem, else the CPU burner in an api replica (some kernels ship without sch_netem; the
 * safety machinery is the same for every kind of fault: the ledger, the revert, the residue scan).
 */
interface Probe {
  experiment: string;
  kind: 'netem' | 'cpu-stress';
  /** The api containers the fault is on, looking at the lab itself (not at the ledger). */
  onApi(): Promise<string[]>;
}

const NETEM: Probe = {
  experiment: 'db-latency',
  kind: 'netem',
  onApi: async () => {
    const found: string[] = [];
    for (const c of await containers('api')) {
      const pid = (await run('docker', ['inspect', '-f', '{{.State.Pid}}', c.id])).stdout.trim();
      const q = await run('nsenter', ['-t', pid, '-n', 'tc', 'qdisc', 'show']);
      if (/netem/.test(q.stdout)) found.push(c.id.slice(0, 12));
    }
    return found;
  },
};

const CPU_STRESS: Probe = {
  experiment: 'api-cpu-stress',
  kind: 'cpu-stress',
  onApi: async () => {
    const found: string[] = [];
    for (const c of await containers('api')) {
      const r = await run('docker', [
        'exec',
        c.id,
        'test',
        '-f',
        '/tmp/dhakacart-chaos-stress.pid',
      ]);
      if (r.code === 0) found.push(c.id.slice(0, 12));
    }
    return found;
  },
};

let probe: Probe = NETEM;
beforeAll(async () => {
  probe = (await kernelHasNetem()) ? NETEM : CPU_STRESS;
  console.log(`game-day safety with the ${probe.experiment} experiment (${probe.kind})`);
});

/** Starts a game day of one experiment; resolves once its fault is on. */
async function gamedayWithFaultOn() {
  // As the README command runs it (run_ts in scripts/lib.sh): node with tsx as its loader, so the
  // signal reaches the CLI itself (./ctrl-c-reaches-a-busy-cli.test.ts).
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(REPO_ROOT, 'chaos', 'src', 'gameday', 'cli.ts'),
      '--only',
      probe.experiment,
      '--json',
      '--visitors',
      '40',
    ],
    // Its own process group: the signal reaches tsx's node, Vegeta and Artillery alike.
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const deadline = Date.now() + 240_000;
  while (!activeFaults().some((f) => f.kind === probe.kind)) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`the fault never went on:\n${err.slice(-3000)}`);
    await sleep(1000);
  }
  const signal = (sig: NodeJS.Signals) => process.kill(-child.pid!, sig);
  return { signal, exited, log: () => err };
}

afterAll(async () => {
  await removeFaultResidue(() => undefined);
});

test('Ctrl-C reverts the fault that is on, stops the load and exits 2 (aborted)', async () => {
  const { signal, exited, log } = await gamedayWithFaultOn();
  expect((await probe.onApi()).length).toBeGreaterThan(0);
  signal('SIGINT');
  const code = await exited;
  console.log(log().split('\n').slice(-6).join('\n'));
  expect(code).toBe(2);
  expect(await probe.onApi()).toEqual([]);
  expect(existsSync(LEDGER_DIR) ? readdirSync(LEDGER_DIR) : []).toEqual([]);
}, 300_000);

test('a fault left by a killed run is found and removed at the next bring-up', async () => {
  const { signal, exited } = await gamedayWithFaultOn();
  signal('SIGKILL');
  await exited;
  // Nothing reverted it: the fault is still on, and the ledger says so.
  expect((await probe.onApi()).length).toBeGreaterThan(0);
  expect(activeFaults().length).toBeGreaterThan(0);
  const said: string[] = [];
  await removeFaultResidue((s) => said.push(s));
  expect(said.join('\n')).toMatch(
    new RegExp(`removed faults a chaos run left behind: .*${probe.kind}`),
  );
  expect(await probe.onApi()).toEqual([]);
  expect(activeFaults()).toEqual([]);
}, 300_000);
