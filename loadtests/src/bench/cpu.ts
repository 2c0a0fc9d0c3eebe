import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { run, sleep, STACK, stackContainerIds } from '@dhakacart/lab-client';

/**
 * Host-wide CPU use from the first line of /proc/stat: busy is user + nice + system + irq +
 * softirq, all cores. Steal (time the hypervisor ran another guest on our cores) is in the
 * total, not in busy: on a shared machine it rose to 25-30% in a sample while nothing of ours ran,
 * and counting it as busy had read a noisy neighbour as the lab's cost.
 */
export interface CpuTimes {
  busy: number;
  total: number;
  steal: number;
}

export function parseProcStat(firstLine: string): CpuTimes {
  const f = firstLine.trim().split(/\s+/);
  if (f[0] !== 'cpu' || f.length < 9)
    throw new Error(`not the cpu line of /proc/stat: ${firstLine}`);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = f.slice(1, 9).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const busy = user + nice + system + irq + softirq;
  return { busy, total: busy + idle + iowait + steal, steal };
}

/** This host's CPU times now (all cores, in clock ticks). */
export function cpuTimes(): CpuTimes {
  return parseProcStat(readFileSync('/proc/stat', 'utf8').split('\n')[0]!);
}

/**
 * The CPU counters of a /proc/<pid>/stat line, in clock ticks (USER_HZ, 100 a second): the
 * process's own user and system time (fields 14 and 15) and its reaped children's (16 and 17).
 * The fields are counted after the command name's last ')', since the name may hold spaces and
 * parentheses.
 */
export function procStatTicks(stat: string): {
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
} {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime, cutime, cstime] = rest.slice(11, 15).map(Number);
  if (![utime, stime, cutime, cstime].every(Number.isFinite)) {
    throw new Error(`no utime/stime/cutime/cstime in the stat line: ${stat.slice(0, 80)}`);
  }
  return { utime: utime!, stime: stime!, cutime: cutime!, cstime: cstime! };
}

/**
 * CPU seconds (user + system) of this process's children that have ended and been reaped, from
 * /proc/self/stat (cutime, cstime). The difference across a child's run is what that child cost,
 * provided no other child ends meanwhile (the capacity benchmark starts nothing else while its
 * attack runs): how it tells the load generator's share of the machine from the lab's.
 */
export function reapedChildrenCpuSeconds(stat = readFileSync('/proc/self/stat', 'utf8')): number {
  const t = procStatTicks(stat);
  return (t.cutime + t.cstime) / 100;
}

/** Clock ticks a set of processes (by command name) used, from /proc/<pid>/stat. */
async function ticksOf(names: string[]): Promise<number> {
  const r = await run('pgrep', ['-x', names.join('|')]);
  let ticks = 0;
  for (const pid of r.stdout.split('\n').filter(Boolean)) {
    let t;
    try {
      t = procStatTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      continue; // gone
    }
    // Its own, and its children's (runc, the health checks' process starts) once reaped.
    ticks += t.utime + t.stime + t.cutime + t.cstime;
  }
  return ticks;
}

/** CPU nanoseconds each running lab container has used (cgroup v1 cpuacct, or v2 cpu.stat). */
async function labContainerNs(): Promise<Map<string, number>> {
  const ids = await stackContainerIds();
  const out = new Map<string, number>();
  for (const id of ids) {
    for (const f of [
      `/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`,
      `/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`,
    ]) {
      try {
        const text = readFileSync(f, 'utf8');
        const v = f.endsWith('cpu.stat')
          ? Number(/usage_usec (\d+)/.exec(text)?.[1] ?? NaN) * 1000
          : Number(text.trim());
        if (Number.isFinite(v)) {
          out.set(id, v);
          break;
        }
      } catch {
        // not this cgroup layout
      }
    }
  }
  return out;
}

const ENGINE = ['dockerd', 'containerd', 'containerd-shim', 'containerd-shim-runc-v2'];

export interface CpuSample {
  seconds: number;
  /** Share of the whole machine (all cores) busy, 0..1: everything on the host. */
  hostShare: number;
  /** Share of the machine's time the hypervisor gave to other guests (not counted as busy). */
  stealShare: number;
  /** dockerd, containerd and the shims' share of the whole machine. */
  engineShare: number;
  /**
   * The lab's own share: its containers (health checks included, they run in the container's
   * cgroup) plus the engine. Unlike hostShare it excludes other work on a shared machine.
   */
  labShare: number;
}

/** Measures the machine's CPU share over `seconds` (user + system, everything on the host). */
export async function sampleCpu(seconds: number): Promise<CpuSample> {
  const a = cpuTimes();
  const ea = await ticksOf(ENGINE);
  const la = await labContainerNs();
  const t0 = process.hrtime.bigint();
  await sleep(seconds * 1000);
  const b = cpuTimes();
  const eb = await ticksOf(ENGINE);
  const lb = await labContainerNs();
  const elapsedNs = Number(process.hrtime.bigint() - t0);
  let labNs = 0;
  for (const [id, v] of lb) if (la.has(id)) labNs += v - la.get(id)!;
  const total = b.total - a.total;
  const engineShare = (eb - ea) / total;
  return {
    seconds,
    hostShare: (b.busy - a.busy) / total,
    stealShare: (b.steal - a.steal) / total,
    // /proc/stat counts every core's ticks, and so do a process's ticks: both over all cores.
    engineShare,
    labShare: labNs / (elapsedNs * cpus().length) + engineShare,
  };
}

/**
 * Execs (health checks, and any `docker exec`) the engine started in the lab's containers during
 * the next `seconds`, per minute, counted live from the engine's event stream.
 */
export async function execsPerMinute(seconds: number): Promise<number> {
  const r = await run('timeout', [
    String(seconds),
    'docker',
    'events',
    '--filter',
    'type=container',
    '--filter',
    'event=exec_start',
    '--filter',
    `label=com.docker.stack.namespace=${STACK}`,
    '--format',
    '{{.Action}}',
  ]);
  const n = r.stdout.split('\n').filter((l) => l.startsWith('exec_start')).length;
  return Math.round((n * 60) / seconds);
}

/** When the newest running lab container started, in ms since the epoch (null: none runs). */
export async function newestLabStart(): Promise<number | null> {
  const ids = await stackContainerIds();
  if (!ids.length) return null;
  const r = await run('docker', ['inspect', '-f', '{{.State.StartedAt}}', ...ids]);
  const starts = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((t) => Date.parse(t))
    .filter(Number.isFinite);
  return starts.length ? Math.max(...starts) : null;
}

/**
 * How long to wait before idle samples: the goal's samples start `minutes` after the lab came
 * up, once start-up work (migrations, replicas catching up, first scrapes, JIT) is over.
 */
export function settleWaitMs(newestStartMs: number | null, nowMs: number, minutes: number): number {
  if (newestStartMs === null) return 0;
  return Math.max(0, newestStartMs + minutes * 60_000 - nowMs);
}

export interface QuietWait {
  /** Seconds waited before the host was quiet (or the bound, when it was not). */
  waitedSeconds: number;
  settled: boolean;
  /** The host's busy share (0..1) over the last step. */
  lastShare: number;
}

/**
 * Waits until the host's CPU has stayed below `belowShare` for `windowSeconds` in a row, at most
 * `maxSeconds`. A stage measured right after a redeploy (the cache-off mode's rollback) would
 * otherwise measure the redeploy's tail: tasks starting, old containers removed, new series
 * scraped. Reads the host through `read` and waits through `pause` (injected by its test).
 */
export async function waitForQuietHost(
  o: { belowShare: number; windowSeconds: number; maxSeconds: number; stepSeconds?: number },
  read: () => CpuTimes = cpuTimes,
  pause: (ms: number) => Promise<unknown> = sleep,
): Promise<QuietWait> {
  const step = o.stepSeconds ?? 1;
  let quiet = 0;
  let waited = 0;
  let lastShare = 1;
  let prev = read();
  while (waited < o.maxSeconds) {
    await pause(step * 1000);
    waited += step;
    const now = read();
    const total = now.total - prev.total;
    lastShare = total > 0 ? (now.busy - prev.busy) / total : 0;
    prev = now;
    quiet = lastShare < o.belowShare ? quiet + step : 0;
    if (quiet >= o.windowSeconds) return { waitedSeconds: waited, settled: true, lastShare };
  }
  return { waitedSeconds: waited, settled: false, lastShare };
}
