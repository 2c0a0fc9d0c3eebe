/**
 * CPU and memory of the pieces that move logs, read from the kernel (cgroup v1 or v2, /proc), so
 * that measurements include the Docker engine's own work (the log driver runs inside dockerd).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux

/**
 * CPU seconds a process has used (user + system), from /proc/<pid>/stat; with `children`, also
 * what its exited, waited-for children used (e.g. runc under a containerd shim).
 */
export function processCpuSeconds(pid: number, children = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const own = Number(f[11]) + Number(f[12]);
  return (children ? own + Number(f[13]) + Number(f[14]) : own) / CLOCK_TICKS;
}

/** Resident memory of a process in bytes. */
export function processRssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

export function pidsOf(name: string): number[] {
  try {
    return execFileSync('pgrep', ['-x', name], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** The docker-proxy processes that forward the given host ports (a published port on 127.0.0.1). */
export function dockerProxyPids(hostPorts: number[]): number[] {
  let out = '';
  try {
    out = execFileSync('pgrep', ['-a', 'docker-proxy'], { encoding: 'utf8' });
  } catch {
    return [];
  }
  return out
    .split('\n')
    .filter((l) => hostPorts.some((p) => l.includes(`-host-port ${p} `)))
    .map((l) => Number(l.split(' ')[0]));
}

/** The container's main process on the host. */
export function containerPid(nameOrId: string): number {
  return Number(
    execFileSync('docker', ['inspect', '-f', '{{.State.Pid}}', nameOrId], { encoding: 'utf8' }),
  );
}

export function containerId(nameOrId: string): string {
  return execFileSync('docker', ['inspect', '-f', '{{.Id}}', nameOrId], {
    encoding: 'utf8',
  }).trim();
}

/** CPU seconds a container has used, from its cgroup (v1 cpuacct or v2 cpu.stat). */
export function containerCpuSeconds(id: string): number {
  const v1 = `/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`;
  if (existsSync(v1)) return Number(readFileSync(v1, 'utf8')) / 1e9;
  for (const p of [
    `/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`,
    `/sys/fs/cgroup/docker/${id}/cpu.stat`,
  ]) {
    if (existsSync(p)) {
      const m = /usage_usec (\d+)/.exec(readFileSync(p, 'utf8'));
      if (m) return Number(m[1]) / 1e6;
    }
  }
  throw new Error(`no CPU accounting found for container ${id.slice(0, 12)}`);
}

/** CPU seconds of a set of processes and containers, read together. */
export interface CpuProbe {
  read(): number;
}

export function cpuProbe(pids: number[], containerIds: string[], children = false): CpuProbe {
  return {
    read: () =>
      pids.reduce((s, p) => s + safe(() => processCpuSeconds(p, children)), 0) +
      containerIds.reduce((s, c) => s + safe(() => containerCpuSeconds(c)), 0),
  };
}

const safe = (f: () => number) => {
  try {
    return f();
  } catch {
    return 0;
  }
};
