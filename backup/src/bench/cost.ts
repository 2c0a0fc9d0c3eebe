import { readFileSync } from 'node:fs';
import { docker } from '../sh';

/** CPU time and bytes written by one container's processes, from the host (cgroup v1 or v2). */
export interface Usage {
  cpuSeconds: number;
  writeBytes: number;
}

async function containerId(name: string) {
  return (await docker(['inspect', '-f', '{{.Id}}', name])).stdout.trim();
}

const readNum = (f: string) => Number(readFileSync(f, 'utf8').trim());

function pidsOf(id: string): number[] {
  for (const f of [
    `/sys/fs/cgroup/cpuacct/docker/${id}/cgroup.procs`,
    `/sys/fs/cgroup/system.slice/docker-${id}.scope/cgroup.procs`,
  ]) {
    try {
      return readFileSync(f, 'utf8').split('\n').filter(Boolean).map(Number);
    } catch {
      /* next layout */
    }
  }
  return [];
}

/**
 * CPU from the container's cgroup (every process, dead ones included); bytes written from each
 * live process's /proc/<pid>/io write_bytes, which includes the children it has reaped (each
 * archive_command run is reaped by PostgreSQL's archiver). Buffered writes are counted when
 * they are dirtied, which is what a cgroup v1 block counter misses.
 */
export async function usage(container: string): Promise<Usage> {
  const id = await containerId(container);
  let cpuSeconds = 0;
  try {
    cpuSeconds = readNum(`/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`) / 1e9;
  } catch {
    const stat = readFileSync(`/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`, 'utf8');
    cpuSeconds = Number(/usage_usec (\d+)/.exec(stat)?.[1] ?? 0) / 1e6;
  }
  let writeBytes = 0;
  for (const pid of pidsOf(id)) {
    try {
      const io = readFileSync(`/proc/${pid}/io`, 'utf8');
      writeBytes += Number(/^write_bytes: (\d+)/m.exec(io)?.[1] ?? 0);
    } catch {
      /* exited meanwhile */
    }
  }
  return { cpuSeconds, writeBytes };
}

export const diff = (a: Usage, b: Usage): Usage => ({
  cpuSeconds: b.cpuSeconds - a.cpuSeconds,
  writeBytes: b.writeBytes - a.writeBytes,
});
