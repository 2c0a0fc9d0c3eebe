import { cpus } from 'node:os';
import { sleep } from '@dhakacart/lab-client';
import { cpuTimes, type CpuTimes } from '@dhakacart/loadtests';

/**
 * The game day's load, sized to the machine it runs on.
 *
 * A game day tests resilience, not capacity: it asks whether the store rides out a fault, so the
 * machine must have room for what the fault makes it do (start a replacement container, promote
 * a standby, resync a member). On a machine the load already saturates, a container start
 * queues every request for seconds and the experiment fails on latency whatever the design
 * (seen: the quick game day's api-kill with one of the two cores held by a CPU burner, ADR 0206).
 * Production keeps the same headroom (N+1 replicas, the HPA's target utilisation).
 *
 * So the game day measures before it breaks anything: the host's busy cores with the lab up and
 * no load (the baseline), then with the requested load in its steady state. From those two it
 * knows what one visitor costs here, and lowers the load, if it must, so the machine stays below
 * a share of its cores. It reports both measurements and the visitors it used.
 */

/** The share of the host's cores the lab, its load and everything else may keep busy. */
export const TARGET_BUSY_SHARE = 0.75;
/** Below this, SLIs over 30 s windows see too few requests to judge (a few checkouts). */
export const MIN_VISITORS = 40;

/**
 * Busy cores between two readings of /proc/stat (0 to `cores`). Steal counts as busy here,
 * unlike in the capacity bench's idle figure (which must not read a noisy neighbour as the lab's
 * cost): a core the hypervisor gives to another guest is not headroom a fault can use.
 */
export function busyCoresBetween(a: CpuTimes, b: CpuTimes, cores: number): number {
  const dt = b.total - a.total;
  if (dt <= 0) throw new Error('no CPU time passed between the two readings');
  const busy = b.busy + b.steal - (a.busy + a.steal);
  return Math.min(cores, Math.max(0, (busy / dt) * cores));
}

/** The host's busy cores over the next `seconds` (host-wide: the lab, its load, anything else). */
export async function measureBusyCores(
  seconds: number,
): Promise<{ busyCores: number; cores: number }> {
  const cores = cpus().length;
  const a = cpuTimes();
  await sleep(seconds * 1000);
  return { busyCores: busyCoresBetween(a, cpuTimes(), cores), cores };
}

export interface Sizing {
  cores: number;
  /** Busy cores with the lab up and no load. */
  baselineBusyCores: number;
  /** Busy cores with the requested load in its steady state. */
  loadedBusyCores: number;
  requestedVisitors: number;
  /** What one visitor costs here, in cores (the difference over the requested visitors). */
  coresPerVisitor: number;
  targetBusyCores: number;
  visitors: number;
  /** For people: why these visitors. */
  reason: string;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * The visitors that keep the machine below TARGET_BUSY_SHARE of its cores, from the two
 * measurements: never more than requested, never fewer than MIN_VISITORS (a machine that cannot
 * carry even those is reported as such; the game day then runs with no headroom, and says so).
 */
export function sizeVisitors(m: {
  cores: number;
  baselineBusyCores: number;
  loadedBusyCores: number;
  requestedVisitors: number;
  /**
   * A share of the cores the load may go over the target by and still be kept (a second
   * measurement, after a resize, should not restart the load for a few visitors).
   */
  slack?: number;
}): Sizing {
  if (!(m.cores > 0) || !(m.requestedVisitors > 0)) throw new Error('bad sizing input');
  const target = m.cores * TARGET_BUSY_SHARE;
  const keepBelow = target + m.cores * (m.slack ?? 0);
  const loadCores = Math.max(0, m.loadedBusyCores - m.baselineBusyCores);
  const perVisitor = loadCores / m.requestedVisitors;
  const common = {
    cores: m.cores,
    baselineBusyCores: round(m.baselineBusyCores),
    loadedBusyCores: round(m.loadedBusyCores),
    requestedVisitors: m.requestedVisitors,
    coresPerVisitor: round(perVisitor, 5),
    targetBusyCores: round(target),
  };
  const busyPct = (c: number) => `${Math.round((c / m.cores) * 100)}%`;
  if (m.loadedBusyCores <= keepBelow || perVisitor <= 0)
    return {
      ...common,
      visitors: m.requestedVisitors,
      reason: `the load keeps the host ${busyPct(m.loadedBusyCores)} busy, within ${busyPct(keepBelow)}: ${m.requestedVisitors} visitors kept`,
    };
  const fit = Math.floor((target - m.baselineBusyCores) / perVisitor);
  const visitors = Math.min(m.requestedVisitors, Math.max(MIN_VISITORS, fit));
  const saturated = m.loadedBusyCores >= m.cores * 0.95;
  return {
    ...common,
    visitors,
    reason:
      `the load kept the host ${busyPct(m.loadedBusyCores)} busy (${busyPct(m.baselineBusyCores)} without it), over ${busyPct(target)}: ` +
      (fit >= MIN_VISITORS
        ? `${visitors} visitors leave room for what a fault makes the lab do`
        : `even ${MIN_VISITORS} visitors (the fewest the SLIs can judge) leave no headroom; the game day runs with ${MIN_VISITORS}`) +
      (saturated
        ? ' (the host was saturated, so a visitor costs more than measured and the headroom is smaller)'
        : ''),
  };
}
