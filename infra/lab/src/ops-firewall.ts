import { run, type RunResult } from '@dhakacart/lab-client';
import {
  ALERTMANAGER_URL,
  LOGS_INGEST_URL,
  LOGS_URL,
  PROMETHEUS_URL,
  PUSHGATEWAY_URL,
} from './paths';

/**
 * The host ports only operators use answer on loopback alone (docs/adr/0208-ops-endpoints-behind-the-edge.md).
 *
 * How a published port is reached here (Docker 20.10, `iptables -t nat -S` on the lab machine):
 * - IPv4 from another machine: PREROUTING sends every packet for a local address into the DOCKER
 *   chain, which DNATs the published port to the task's address on docker_gwbridge (for any
 *   interface but Docker's own bridges). The packet is then forwarded, and FORWARD's first jump is
 *   DOCKER-USER: a DROP there for connections whose original destination port is an operator
 *   port (`--ctstate DNAT --ctorigdstport`) stops it before Docker's ACCEPT rules.
 * - IPv4 on this machine to 127.0.0.1: OUTPUT skips the DOCKER chain for 127.0.0.0/8, so the
 *   connection goes to docker-proxy on 0.0.0.0:<port> (INPUT on lo), which connects to the task
 *   itself. Nothing crosses FORWARD: DOCKER-USER never sees it, and loopback keeps working.
 * - IPv6: this engine runs without ip6tables, so nothing is DNATed; docker-proxy listens on
 *   [::]:<port> and a packet from the network reaches it through INPUT. The IPv6 rule drops it
 *   there unless it came in on lo. Where the engine does manage ip6tables (a DOCKER-USER chain
 *   exists), the DNAT rule goes there too.
 * Each rule carries the comment `dhakacart-ops-loopback:<port>`, which is how it is found again:
 * installing is idempotent, and removing touches nothing else in the chain.
 */
export const OPS_FIREWALL_TAG = 'dhakacart-ops-loopback';

/** Prometheus, Alertmanager, the Pushgateway, the log store through the edge and its own port. */
export const OPS_PORTS: number[] = [
  PROMETHEUS_URL,
  ALERTMANAGER_URL,
  PUSHGATEWAY_URL,
  LOGS_URL,
  LOGS_INGEST_URL,
]
  .map((u) => Number(new URL(u).port))
  .sort((a, b) => a - b);

export type Family = 4 | 6;

export interface FirewallRule {
  family: Family;
  chain: string;
  /** Unique per rule: `dhakacart-ops-loopback:<port>`. */
  comment: string;
  /** The rule as given to `iptables -I <chain> 1`, `-C <chain>` or `-D <chain>`. */
  args: string[];
}

export interface OpsChains {
  /** Where forwarded (DNATed) IPv4 connections are filtered: DOCKER-USER on the host. */
  v4: string;
  /** Where IPv6 connections to docker-proxy arrive: INPUT on the host. */
  v6: string;
  /** Docker's own IPv6 DOCKER-USER, when the engine manages ip6tables. */
  v6Dnat?: string;
}

const commentArgs = (comment: string) => ['-m', 'comment', '--comment', comment];

/** A connection DNATed from this original destination port, in its original direction. */
const dnatDrop = (port: number, comment: string) => [
  '-p',
  'tcp',
  '-m',
  'conntrack',
  '--ctstate',
  'DNAT',
  '--ctorigdstport',
  String(port),
  '--ctdir',
  'ORIGINAL',
  ...commentArgs(comment),
  '-j',
  'DROP',
];

/** The rules that keep the given ports to loopback, in the given chains. */
export function opsLoopbackRules(ports: number[], chains: OpsChains): FirewallRule[] {
  const rules: FirewallRule[] = [];
  for (const port of ports) {
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`not a TCP port: ${port}`);
    const comment = `${OPS_FIREWALL_TAG}:${port}`;
    rules.push({ family: 4, chain: chains.v4, comment, args: dnatDrop(port, comment) });
    rules.push({
      family: 6,
      chain: chains.v6,
      comment,
      args: [
        '!',
        '-i',
        'lo',
        '-p',
        'tcp',
        '--dport',
        String(port),
        ...commentArgs(comment),
        '-j',
        'DROP',
      ],
    });
    if (chains.v6Dnat)
      rules.push({ family: 6, chain: chains.v6Dnat, comment, args: dnatDrop(port, comment) });
  }
  return rules;
}

export type Exec = (cmd: string, args: string[]) => Promise<RunResult>;

/** iptables or ip6tables, waiting up to 5 s for the xtables lock other tools may hold. */
function tables(family: Family, args: string[], exec: Exec): Promise<RunResult> {
  return exec(family === 4 ? 'iptables' : 'ip6tables', ['-w', '5', ...args]);
}

async function must(family: Family, args: string[], exec: Exec): Promise<void> {
  const r = await tables(family, args, exec);
  if (r.code !== 0)
    throw new Error(
      `${family === 4 ? 'iptables' : 'ip6tables'} ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim() || `exit ${r.code}`}`,
    );
}

export async function chainExists(family: Family, chain: string, exec: Exec = run) {
  return (await tables(family, ['-S', chain], exec)).code === 0;
}

/** Splits one line of `iptables -S` into words; a quoted word loses its quotes. */
export function ruleWords(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!,
  );
}

/** The rules of ours in a chain, as `iptables -S` prints them, with their comments. */
export async function ourRules(
  family: Family,
  chain: string,
  exec: Exec = run,
): Promise<{ comment: string; spec: string[] }[]> {
  const r = await tables(family, ['-S', chain], exec);
  if (r.code !== 0)
    throw new Error(`cannot list ${chain} (IPv${family}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith(`-A ${chain} `))
    .map((l) => {
      const words = ruleWords(l);
      const i = words.indexOf('--comment');
      return { comment: i >= 0 ? (words[i + 1] ?? '') : '', spec: words.slice(2) };
    })
    .filter((x) => x.comment.startsWith(`${OPS_FIREWALL_TAG}:`));
}

/**
 * Makes each chain hold exactly the given rules of ours, once each, ahead of everything else in
 * it (DOCKER-USER ends with Docker's RETURN): a missing rule is inserted at the top, a changed
 * or duplicated one replaced, one for a port no longer listed removed. Nothing else is touched.
 */
export async function applyRules(
  rules: FirewallRule[],
  exec: Exec = run,
): Promise<{ added: number; removed: number }> {
  let added = 0;
  let removed = 0;
  const groups = new Map<string, FirewallRule[]>();
  for (const r of rules)
    groups.set(`${r.family} ${r.chain}`, [...(groups.get(`${r.family} ${r.chain}`) ?? []), r]);
  for (const planned of groups.values()) {
    const { family, chain } = planned[0]!;
    const present = await ourRules(family, chain, exec);
    for (const p of present.filter((x) => !planned.some((r) => r.comment === x.comment))) {
      await must(family, ['-D', chain, ...p.spec], exec);
      removed++;
    }
    for (const r of planned) {
      const mine = present.filter((x) => x.comment === r.comment);
      const exact = (await tables(family, ['-C', chain, ...r.args], exec)).code === 0;
      if (exact && mine.length === 1) continue;
      for (const m of mine) {
        await must(family, ['-D', chain, ...m.spec], exec);
        removed++;
      }
      await must(family, ['-I', chain, '1', ...r.args], exec);
      added++;
    }
  }
  return { added, removed };
}

/** Removes every rule of ours from the chains; a chain that does not exist is skipped. */
export async function removeRules(
  chains: { family: Family; chain: string }[],
  exec: Exec = run,
): Promise<number> {
  let removed = 0;
  for (const { family, chain } of chains) {
    if (!(await chainExists(family, chain, exec))) continue;
    for (const p of await ourRules(family, chain, exec)) {
      await must(family, ['-D', chain, ...p.spec], exec);
      removed++;
    }
  }
  return removed;
}

/** The host's chains: Docker's DOCKER-USER for IPv4 (and IPv6 when it has one), INPUT for IPv6. */
async function hostChains(exec: Exec): Promise<OpsChains> {
  if (!(await chainExists(4, 'DOCKER-USER', exec)))
    throw new Error(
      'no DOCKER-USER chain in iptables: the operator ports cannot be kept to loopback (is the Docker engine managing iptables, and is this root?)',
    );
  return {
    v4: 'DOCKER-USER',
    v6: 'INPUT',
    v6Dnat: (await chainExists(6, 'DOCKER-USER', exec)) ? 'DOCKER-USER' : undefined,
  };
}

/** `lab up`: the operator ports answer on loopback only. Idempotent. */
export async function installOpsFirewall(exec: Exec = run) {
  return applyRules(opsLoopbackRules(OPS_PORTS, await hostChains(exec)), exec);
}

/** `lab down`: the rules `lab up` installed are removed, and nothing else. */
export async function removeOpsFirewall(exec: Exec = run): Promise<number> {
  return removeRules(
    [
      { family: 4, chain: 'DOCKER-USER' },
      { family: 6, chain: 'INPUT' },
      { family: 6, chain: 'DOCKER-USER' },
    ],
    exec,
  );
}
