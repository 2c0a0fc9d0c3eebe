/**
 * Whether the Docker engine answers a look-up of an unknown name on the lab's internal data
 * network at once. Without a default DNS option on the engine (scripts/lib.sh sets
 * `dns-opts` in /etc/docker/daemon.json), Docker 20.10 forwards such a query where there is no
 * route and never answers, so every look-up of a member that is down costs the caller its
 * resolver timeout; Sentinel and Patroni do those on their main thread, and the Redis failover
 * then took from 18 s to over two minutes (docs/lab/data-ha.md, "DNS").
 */
import { existsSync, readFileSync } from 'node:fs';
import { STACK } from './paths';
import { run } from '@dhakacart/lab-client';

/** The engine's configuration file, as scripts/lib.sh writes it. */
const ENGINE_DAEMON_JSON = '/etc/docker/daemon.json';

/** Above this, a miss waited for a timeout: an answered miss takes a few milliseconds. */
export const SLOW_MISS_MS = 500;

/** Look-ups per probe. A wrong engine loses its 1 s try each time; a busy host rarely all three. */
export const PROBE_TRIES = 3;

/** One probe of the engine's DNS, as seen from a container on the lab's data network. */
export interface DnsProbe {
  /** Milliseconds of each look-up of a name nobody has, in order. */
  triesMs: number[];
  /** The fastest of them: what the engine can do, not what a busy moment cost. */
  bestMs: number;
  /** The `options` the engine wrote into the container's resolv.conf (its `dns-opts`). */
  containerOptions: string[];
}

/** Parses the probe's output: one number per look-up, then resolv.conf's `options` lines. */
export function parseDnsProbe(stdout: string): DnsProbe {
  const lines = stdout.split('\n').map((l) => l.trim());
  const triesMs = lines.filter((l) => /^[0-9]+$/.test(l)).map(Number);
  if (triesMs.length === 0) throw new Error(`the DNS probe printed no timing: ${stdout.trim()}`);
  const containerOptions = lines
    .filter((l) => /^options\s/.test(l))
    .flatMap((l) => l.split(/\s+/).slice(1))
    .filter((o) => o !== '');
  return { triesMs, bestMs: Math.min(...triesMs), containerOptions };
}

/**
 * Looks up a name nobody has PROBE_TRIES times in one container on `network`, and reads the
 * options the engine gave that container. The best try decides: `lab up` runs this just after
 * a deploy, when one look-up can wait half a second for a core (issue 11 saw 553 ms during
 * image builds, on an engine that had the option).
 */
export async function probeUnknownName(image: string, network = `${STACK}_data`) {
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
    `for i in $(seq ${PROBE_TRIES}); do s=$(date +%s%N); getent hosts dhakacart-unknown-name >/dev/null; echo $(( ($(date +%s%N) - s) / 1000000 )); done; grep '^options' /etc/resolv.conf || true`,
  ]);
  if (r.code !== 0)
    throw new Error(`the DNS probe did not run: ${r.stderr.trim() || r.stdout.trim()}`);
  return parseDnsProbe(r.stdout);
}

/** The `dns-opts` a daemon.json text configures: [] when none, null when it cannot be read. */
export function configuredDnsOpts(daemonJson: string | undefined): string[] | null {
  if (daemonJson === undefined) return [];
  try {
    const cfg: unknown = JSON.parse(daemonJson);
    if (typeof cfg !== 'object' || cfg === null) return null;
    const opts = (cfg as Record<string, unknown>)['dns-opts'];
    if (opts === undefined) return [];
    return Array.isArray(opts) ? opts.map(String) : null;
  } catch {
    return null;
  }
}

/** The `dns-opts` the engine's daemon.json configures, read once by `lab up`. */
export function readConfiguredDnsOpts(file = ENGINE_DAEMON_JSON): string[] | null {
  return configuredDnsOpts(existsSync(file) ? readFileSync(file, 'utf8') : undefined);
}

const list = (o: string[]) => (o.length ? o.join(' ') : 'none');

/**
 * What `lab up` says about the engine's DNS: what it measured, what the containers were given
 * and what daemon.json configures. Only a slow best try warns, and the advice follows the
 * configuration: add the option, restart the engine that has not applied it, or, when the
 * engine applies it, look at the host's load.
 */
export function dnsReport(probe: DnsProbe, configured: string[] | null): string {
  const measured = `best of ${probe.triesMs.length} look-ups ${probe.bestMs} ms (${probe.triesMs.join(', ')})`;
  const given = `containers get options: ${list(probe.containerOptions)}`;
  const file =
    configured === null
      ? 'daemon.json could not be read as JSON'
      : `daemon.json dns-opts: ${list(configured)}`;
  if (probe.bestMs <= SLOW_MISS_MS)
    return `    the engine's DNS answers unknown names at once: ${measured}; ${given}; ${file}`;
  const head = [
    `    WARNING: this Docker engine took ${probe.bestMs} ms at best to answer a look-up of an`,
    `    unknown name on an internal network (${measured}). Failovers will stall while a member`,
    `    is down. Measured: ${given}; configured: ${file}.`,
  ];
  let fix: string[];
  if (probe.containerOptions.length > 0)
    fix = [
      '    The engine applies a DNS option, so the configuration is right: the host was too busy',
      '    to answer. `npm run lab` measures again; run it when the host is quieter',
      '    (docs/lab/data-ha.md, "DNS").',
    ];
  else if (configured !== null && configured.length > 0)
    fix = [
      '    daemon.json has the option but the running engine does not apply it: restart dockerd',
      '    (docs/lab/data-ha.md, "DNS").',
    ];
  else
    fix = [
      `    Add {"dns-opts": ["ndots:0"]} to ${ENGINE_DAEMON_JSON} and restart dockerd`,
      '    (docs/lab/data-ha.md, "DNS").',
    ];
  return [...head, ...fix].join('\n');
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
