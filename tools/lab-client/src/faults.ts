import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redisCli, sentinelPrimary, REDIS_NODES } from './data-tier';
import { STACK, STATE_DIR } from './endpoints';
import { docker, run } from './sh';

/**
 * Faults the chaos experiments put into the lab's own containers and network namespaces, and
 * their removal. Every fault that outlives a command (a netem qdisc, a CPU burner, the payment
 * setting) is written to a ledger before it is applied and struck off after it is reverted; a
 * fault left by a killed run is found by `removeResidue` (the next game day, and `lab up`),
 * from the ledger and by looking at the lab itself. Each fault also ends by itself: a burner
 * has a time-out, the payment setting an expiry.
 */
export const LEDGER_DIR = join(STATE_DIR, 'chaos', 'active');

export type FaultRecord =
  | { id: string; kind: 'netem'; container: string; iface: string; spec: string; at: string }
  | { id: string; kind: 'cpu-stress'; container: string; at: string }
  | { id: string; kind: 'payment'; at: string };

function record(f: FaultRecord) {
  mkdirSync(LEDGER_DIR, { recursive: true });
  writeFileSync(join(LEDGER_DIR, `${f.id}.json`), JSON.stringify(f, null, 2) + '\n');
}

function strike(id: string) {
  rmSync(join(LEDGER_DIR, `${id}.json`), { force: true });
}

export function activeFaults(): FaultRecord[] {
  if (!existsSync(LEDGER_DIR)) return [];
  return readdirSync(LEDGER_DIR)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      try {
        return [JSON.parse(readFileSync(join(LEDGER_DIR, f), 'utf8')) as FaultRecord];
      } catch {
        return [];
      }
    });
}

async function pidOf(container: string): Promise<number> {
  const pid = Number((await docker(['inspect', '-f', '{{.State.Pid}}', container])).trim());
  if (!pid) throw new Error(`container ${container} is not running`);
  return pid;
}

async function netns(container: string, args: string[]) {
  return run('nsenter', ['-t', String(await pidOf(container)), '-n', ...args]);
}

/** The interface of `container` on one of the stack's networks (e.g. data). */
export async function interfaceOn(container: string, network: string): Promise<string> {
  const ip = (
    await docker([
      'inspect',
      '-f',
      `{{with index .NetworkSettings.Networks "${STACK}_${network}"}}{{.IPAddress}}{{end}}`,
      container,
    ])
  ).trim();
  if (!ip) throw new Error(`container ${container} is not on the ${network} network`);
  const addrs = (await netns(container, ['ip', '-o', '-4', 'addr', 'show'])).stdout;
  const line = addrs.split('\n').find((l) => l.includes(` ${ip}/`));
  const iface = line?.trim().split(/\s+/)[1];
  if (!iface) throw new Error(`no interface with ${ip} in ${container}`);
  return iface;
}

export interface AppliedFault {
  id: string;
  describe: string;
  revert(): Promise<void>;
}

/**
 * netem on one interface of a container: delay, jitter and loss (e.g. `delay 100ms 20ms loss
 * 2%`), or `loss 100%` for a partition from that network.
 */
export async function applyNetem(
  container: string,
  network: string,
  spec: string,
): Promise<AppliedFault> {
  if (!/^(delay \d+ms( \d+ms)?)?( ?loss \d+(\.\d+)?%)?$/.test(spec.trim()) || !spec.trim())
    throw new Error(`unsupported netem spec "${spec}"`);
  const iface = await interfaceOn(container, network);
  const f: FaultRecord = {
    id: randomUUID(),
    kind: 'netem',
    container,
    iface,
    spec,
    at: new Date().toISOString(),
  };
  record(f);
  const r = await netns(container, [
    'tc',
    'qdisc',
    'replace',
    'dev',
    iface,
    'root',
    'netem',
    ...spec.trim().split(/\s+/),
  ]);
  if (r.code !== 0) {
    strike(f.id);
    throw new Error(
      /qdisc kind is unknown/i.test(r.stderr)
        ? `this machine's kernel has no netem qdisc (sch_netem), so ${spec} cannot be applied to ${container.slice(0, 12)} ${iface}; the experiments that need it cannot run here`
        : `tc netem on ${container} ${iface} failed: ${r.stderr.trim()}`,
    );
  }
  return {
    id: f.id,
    describe: `netem ${spec} on ${container.slice(0, 12)} ${iface} (${network})`,
    revert: async () => {
      await removeNetem(container, iface);
      strike(f.id);
    },
  };
}

async function removeNetem(container: string, iface: string) {
  const r = await netns(container, ['tc', 'qdisc', 'del', 'dev', iface, 'root']).catch(() => null);
  // Gone already, or the container with it: either way no netem is left.
  if (
    r &&
    r.code !== 0 &&
    !/No such file|Cannot find|not running|Invalid handle/i.test(r.stderr + r.stdout)
  )
    throw new Error(`could not remove netem from ${container} ${iface}: ${r.stderr.trim()}`);
}

/** A bounded busy loop inside a container's own cgroup (its CPU limit is what it eats). */
export async function applyCpuStress(container: string, seconds: number): Promise<AppliedFault> {
  const f: FaultRecord = {
    id: randomUUID(),
    kind: 'cpu-stress',
    container,
    at: new Date().toISOString(),
  };
  record(f);
  const s = Math.max(1, Math.min(600, Math.round(seconds)));
  const r = await run('docker', [
    'exec',
    '-d',
    container,
    'bash',
    '-c',
    `echo $$ > /tmp/dhakacart-chaos-stress.pid; exec timeout ${s} bash -c 'while :; do :; done'`,
  ]);
  if (r.code !== 0) {
    strike(f.id);
    throw new Error(`starting the CPU burner in ${container} failed: ${r.stderr.trim()}`);
  }
  return {
    id: f.id,
    describe: `CPU burner for ${s} s in ${container.slice(0, 12)}`,
    revert: async () => {
      await stopCpuStress(container);
      strike(f.id);
    },
  };
}

async function stopCpuStress(container: string) {
  await run('docker', [
    'exec',
    container,
    'bash',
    '-c',
    'f=/tmp/dhakacart-chaos-stress.pid; [ -f $f ] && kill $(cat $f) 2>/dev/null; rm -f $f; true',
  ]);
}

export const PAYMENT_BEHAVIOUR_KEY = 'dhakacart:lab:payment-behaviour';

/**
 * The simulated payment provider's behaviour at runtime (the api reads this key in the lab),
 * with an expiry so that it ends by itself.
 */
export async function applyPaymentBehaviour(
  b: { latencyMs: number; failureRate: number },
  seconds: number,
): Promise<AppliedFault> {
  const primary = await sentinelPrimary();
  if (!primary) throw new Error('no Redis primary to hold the payment setting');
  const f: FaultRecord = { id: randomUUID(), kind: 'payment', at: new Date().toISOString() };
  record(f);
  const out = await redisCli(primary, 6379, [
    'SET',
    PAYMENT_BEHAVIOUR_KEY,
    JSON.stringify(b),
    'EX',
    String(Math.max(5, Math.min(3600, Math.round(seconds)))),
  ]);
  if (out !== 'OK') {
    strike(f.id);
    throw new Error(`setting the payment behaviour failed (${out ?? 'no answer'})`);
  }
  return {
    id: f.id,
    describe: `payment provider ${b.latencyMs} ms, ${Math.round(b.failureRate * 100)}% declined`,
    revert: async () => {
      await clearPaymentBehaviour();
      strike(f.id);
    },
  };
}

async function clearPaymentBehaviour() {
  // Only the primary takes a write; a replica refuses it (and follows the primary).
  for (const node of REDIS_NODES) await redisCli(node, 6379, ['DEL', PAYMENT_BEHAVIOUR_KEY]);
}

export interface Residue {
  kind: string;
  where: string;
}

async function labContainers(): Promise<string[]> {
  return (
    await run('docker', ['ps', '-q', '--filter', `label=com.docker.stack.namespace=${STACK}`])
  ).stdout
    .split('\n')
    .filter(Boolean);
}

/**
 * Finds and removes faults left behind: the ledger's, and any netem qdisc, paused container,
 * CPU burner or payment setting in the lab even without a ledger entry. Returns what it removed.
 */
export async function removeResidue(): Promise<Residue[]> {
  const removed: Residue[] = [];
  for (const f of activeFaults()) {
    if (f.kind === 'payment') await clearPaymentBehaviour();
    if (f.kind === 'cpu-stress') await stopCpuStress(f.container).catch(() => undefined);
    if (f.kind === 'netem') await removeNetem(f.container, f.iface).catch(() => undefined);
    removed.push({
      kind: `${f.kind} (ledger)`,
      where: 'container' in f ? f.container.slice(0, 12) : 'redis',
    });
    strike(f.id);
  }
  const containers = await labContainers();
  for (const c of containers) {
    const q = await netns(c, ['tc', 'qdisc', 'show']).catch(() => null);
    for (const line of q?.stdout.split('\n') ?? []) {
      const m = /^qdisc netem \S+ dev (\S+) root/.exec(line);
      if (!m) continue;
      await removeNetem(c, m[1]!);
      removed.push({ kind: 'netem', where: `${c.slice(0, 12)} ${m[1]}` });
    }
    const stress = await run('docker', [
      'exec',
      c,
      'bash',
      '-c',
      'test -f /tmp/dhakacart-chaos-stress.pid',
    ]);
    if (stress.code === 0) {
      await stopCpuStress(c);
      removed.push({ kind: 'cpu-stress', where: c.slice(0, 12) });
    }
  }
  const paused = (
    await run('docker', [
      'ps',
      '-q',
      '--filter',
      `label=com.docker.stack.namespace=${STACK}`,
      '--filter',
      'status=paused',
    ])
  ).stdout
    .split('\n')
    .filter(Boolean);
  for (const c of paused) {
    await run('docker', ['unpause', c]);
    removed.push({ kind: 'paused container', where: c.slice(0, 12) });
  }
  const primary = await sentinelPrimary();
  if (primary && (await redisCli(primary, 6379, ['EXISTS', PAYMENT_BEHAVIOUR_KEY])) === '1') {
    await redisCli(primary, 6379, ['DEL', PAYMENT_BEHAVIOUR_KEY]);
    removed.push({ kind: 'payment setting', where: primary });
  }
  return removed;
}
