/**
 * Whether the Docker engine answers a look-up of an unknown name on the lab's internal data
 * network at once. Without a default DNS option on the engine (scripts/lib.sh sets
 * `dns-opts` in /etc/docker/daemon.json), Docker 20.10 forwards such a query where there is no
 * route and never answers, so every look-up of a member that is down costs the caller its
 * resolver timeout; Sentinel and Patroni do those on their main thread, and the Redis failover
 * then took from 18 s to over two minutes (docs/lab/data-ha.md, "DNS").
 */
import { STACK } from './paths';
import { run } from '@dhakacart/lab-client';

/** Above this, a miss waited for a timeout: an answered miss takes a few milliseconds. */
export const SLOW_MISS_MS = 500;

/** Milliseconds one look-up of a name nobody has takes, measured in a container on `network`. */
export async function unknownNameLookupMs(image: string, network = `${STACK}_data`) {
  const r = await run('docker', [
    'run',
    '--rm',
    '--network',
    network,
    // One 1 s try: a slow engine shows as ~2 s (A and AAAA), not 20 s.
    '-e',
    'RES_OPTIONS=timeout:1 attempts:1',
    '--entrypoint',
    'bash',
    image,
    '-c',
    's=$(date +%s%N); getent hosts dhakacart-unknown-name >/dev/null; echo $(( ($(date +%s%N) - s) / 1000000 ))',
  ]);
  const ms = Number(r.stdout.trim().split('\n').pop());
  if (r.code !== 0 || !Number.isFinite(ms))
    throw new Error(`the DNS probe did not run: ${r.stderr.trim() || r.stdout.trim()}`);
  return ms;
}

/** The warning `lab up` prints when the engine lets a miss wait, or null when all is well. */
export function slowMissWarning(ms: number): string | null {
  if (ms <= SLOW_MISS_MS) return null;
  return [
    `    WARNING: this Docker engine took ${ms} ms to answer a look-up of an unknown name on an`,
    '    internal network. Failovers will stall while a member is down. Add',
    '    {"dns-opts": ["ndots:0"]} to /etc/docker/daemon.json and restart dockerd',
    '    (docs/lab/data-ha.md, "DNS").',
  ].join('\n');
}

/**
 * The warning `lab up` prints when the store's port is carried by a docker-proxy process (the
 * engine's userland proxy is on), or null when the kernel's NAT carries it. `processArgs` is
 * `ps -eo args`. That proxy copies every loopback connection in userland; under an open-model
 * load its listener exited and the store refused connections (docs/adr/0206-lab-idle-cost.md).
 */
export function userlandProxyWarning(processArgs: string, port = 8443): string | null {
  const proxied = processArgs
    .split('\n')
    .some((l) => new RegExp(`docker-proxy .*-host-port ${port}(\\s|$)`).test(l));
  if (!proxied) return null;
  return [
    `    WARNING: port ${port} is carried by docker-proxy (the engine's userland proxy is on).`,
    '    It costs CPU on every request and stopped listening under heavy load. Add',
    '    {"userland-proxy": false} to /etc/docker/daemon.json and restart dockerd (the README',
    '    commands write it on a machine whose engine they start).',
  ].join('\n');
}
