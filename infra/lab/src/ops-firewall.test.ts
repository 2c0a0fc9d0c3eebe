import { randomBytes } from 'node:crypto';
import { run } from '@dhakacart/lab-client';
import {
  applyRules,
  OPS_FIREWALL_TAG,
  OPS_PORTS,
  opsLoopbackRules,
  ourRules,
  removeRules,
  ruleWords,
  type Family,
} from './ops-firewall';

// The rules that keep the operator ports to loopback, as generated, and as the real iptables and
// ip6tables take them: on throwaway chains of this test (never DOCKER-USER or INPUT), which no
// built-in chain jumps to, so no packet ever meets them. Whether they stop a connection from the
// network is proved against the running lab (ops-auth.lab.test.ts, from a network namespace).

test('the operator ports are Prometheus, the Pushgateway, Alertmanager and the log store (two), never the store', () => {
  expect(OPS_PORTS).toEqual([9090, 9091, 9093, 9428, 9429]);
  expect(OPS_PORTS).not.toContain(8443);
  expect(OPS_PORTS).not.toContain(8080);
});

test('each port gets a DNAT drop in DOCKER-USER and an IPv6 drop in INPUT for anything but lo', () => {
  const rules = opsLoopbackRules([9090], { v4: 'DOCKER-USER', v6: 'INPUT' });
  expect(rules).toEqual([
    {
      family: 4,
      chain: 'DOCKER-USER',
      comment: 'dhakacart-ops-loopback:9090',
      args: [
        '-p',
        'tcp',
        '-m',
        'conntrack',
        '--ctstate',
        'DNAT',
        '--ctorigdstport',
        '9090',
        '--ctdir',
        'ORIGINAL',
        '-m',
        'comment',
        '--comment',
        'dhakacart-ops-loopback:9090',
        '-j',
        'DROP',
      ],
    },
    {
      family: 6,
      chain: 'INPUT',
      comment: 'dhakacart-ops-loopback:9090',
      args: [
        '!',
        '-i',
        'lo',
        '-p',
        'tcp',
        '--dport',
        '9090',
        '-m',
        'comment',
        '--comment',
        'dhakacart-ops-loopback:9090',
        '-j',
        'DROP',
      ],
    },
  ]);
  // Where the engine manages ip6tables, its DOCKER-USER gets the DNAT rule as well.
  const withV6 = opsLoopbackRules([9090, 9093], { v4: 'A', v6: 'B', v6Dnat: 'C' });
  expect(withV6.map((r) => `${r.family} ${r.chain} ${r.comment}`)).toEqual([
    '4 A dhakacart-ops-loopback:9090',
    '6 B dhakacart-ops-loopback:9090',
    '6 C dhakacart-ops-loopback:9090',
    '4 A dhakacart-ops-loopback:9093',
    '6 B dhakacart-ops-loopback:9093',
    '6 C dhakacart-ops-loopback:9093',
  ]);
  expect(() => opsLoopbackRules([0], { v4: 'A', v6: 'B' })).toThrow(/not a TCP port: 0/);
});

test('a rule line is split into words, quotes removed', () => {
  expect(
    ruleWords('-A X ! -i lo -p tcp -m comment --comment "dhakacart-ops-loopback:9090" -j DROP'),
  ).toEqual([
    '-A',
    'X',
    '!',
    '-i',
    'lo',
    '-p',
    'tcp',
    '-m',
    'comment',
    '--comment',
    'dhakacart-ops-loopback:9090',
    '-j',
    'DROP',
  ]);
});

describe('on the real iptables, in throwaway chains', () => {
  const chain = `DCOPS-T-${randomBytes(4).toString('hex')}`;
  const families: Family[] = [4, 6];
  const tables = (f: Family, args: string[]) =>
    run(f === 4 ? 'iptables' : 'ip6tables', ['-w', '5', ...args]);
  const lines = async (f: Family) =>
    (await tables(f, ['-S', chain])).stdout.split('\n').filter((l) => l.startsWith('-A '));
  const plan = (ports: number[]) => opsLoopbackRules(ports, { v4: chain, v6: chain });

  beforeAll(async () => {
    for (const f of families) {
      const r = await tables(f, ['-N', chain]);
      expect([f, r.code, r.stderr]).toEqual([f, 0, '']);
      // Something of someone else's in the chain, last: it must survive, and stay last.
      expect((await tables(f, ['-A', chain, '-j', 'RETURN'])).code).toBe(0);
    }
  });

  afterAll(async () => {
    // The throwaway chains only: flushed, then deleted.
    for (const f of families) {
      await tables(f, ['-F', chain]);
      await tables(f, ['-X', chain]);
    }
  });

  test("applying twice installs each rule once, ahead of the chain's own rules", async () => {
    const first = await applyRules(plan(OPS_PORTS));
    expect(first).toEqual({ added: 10, removed: 0 });
    const second = await applyRules(plan(OPS_PORTS));
    expect(second).toEqual({ added: 0, removed: 0 });
    for (const f of families) {
      const l = await lines(f);
      expect(l).toHaveLength(OPS_PORTS.length + 1);
      expect(l.at(-1)).toBe(`-A ${chain} -j RETURN`);
      expect((await ourRules(f, chain)).map((r) => r.comment).sort()).toEqual(
        OPS_PORTS.map((p) => `${OPS_FIREWALL_TAG}:${p}`).sort(),
      );
    }
    expect((await lines(4)).join('\n')).toMatch(
      /--ctstate DNAT --ctorigdstport 9090 --ctdir ORIGINAL/,
    );
    expect((await lines(6)).join('\n')).toMatch(/! -i lo -p tcp -m tcp --dport 9090/);
  });

  test('a duplicate, a changed rule and a port no longer listed are put right', async () => {
    await applyRules(plan([9090, 9093]));
    // A duplicate of 9090, a rule for 9093 in another shape, a stale port.
    await tables(4, ['-I', chain, '1', ...plan([9090])[0]!.args]);
    await tables(4, [
      '-I',
      chain,
      '1',
      ...['-p', 'tcp', '--dport', '9093', '-m', 'comment', '--comment', `${OPS_FIREWALL_TAG}:9093`],
      ...['-j', 'REJECT'],
    ]);
    await tables(4, ['-I', chain, '1', ...plan([1234])[0]!.args]);
    const fixed = await applyRules(plan([9090, 9093]));
    expect(fixed.added).toBe(2);
    // The stale one, and both copies of 9090 and of 9093, each replaced by one rule.
    expect(fixed.removed).toBe(5);
    const l = await lines(4);
    expect(l).toHaveLength(3);
    expect(l.filter((x) => x.includes(':9090'))).toHaveLength(1);
    expect(l.filter((x) => x.includes(':9093'))).toEqual([
      expect.stringMatching(/--ctorigdstport 9093 .* -j DROP$/),
    ]);
    expect(l.join('\n')).not.toMatch(/1234|REJECT/);
  });

  test('removing takes out every rule of ours and nothing else; a missing chain is skipped', async () => {
    await applyRules(plan(OPS_PORTS));
    const removed = await removeRules([
      { family: 4, chain },
      { family: 6, chain },
      { family: 6, chain: `${chain}-NONE` },
    ]);
    expect(removed).toBe(2 * OPS_PORTS.length);
    for (const f of families) expect(await lines(f)).toEqual([`-A ${chain} -j RETURN`]);
  });
});
