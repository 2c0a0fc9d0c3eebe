import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { must, run } from '@dhakacart/lab-client';
import { createTestHost, overlapsV4, probeFrom, type TestHost } from './test-host';
import { selfSignedCert } from '@dhakacart/lab-client/src/test-support/self-signed';

// The test host the lab test probes the operator ports from (ops-auth.lab.test.ts), against
// servers of this test's own on the host end of the veth pair: what it reports for an open
// port, a closed one and an HTTPS server, and that nothing is left behind.

test('a /30 overlaps a route or an address that covers any of its four addresses', () => {
  expect(overlapsV4(['192.168.0.0/16'], '192.168.201.8')).toBe(true);
  expect(overlapsV4(['192.168.201.10'], '192.168.201.8')).toBe(true);
  expect(overlapsV4(['192.168.201.12/30'], '192.168.201.8')).toBe(false);
  expect(overlapsV4(['172.18.0.0/16', 'fd00::2/64'], '192.168.201.8')).toBe(false);
});

describe('a test host on a veth pair', () => {
  let host: TestHost;
  let dir: string;
  const servers: (net.Server | https.Server)[] = [];
  const listen = (s: net.Server | https.Server, address: string) =>
    new Promise<number>((resolve) => {
      servers.push(s);
      s.listen(0, address, () => resolve((s.address() as AddressInfo).port));
    });

  beforeAll(async () => {
    host = await createTestHost();
    dir = mkdtempSync(join(tmpdir(), 'test-host-'));
    selfSignedCert(join(dir, 'key.pem'), join(dir, 'ca.crt'), 'DNS:localhost');
  });

  afterAll(async () => {
    for (const s of servers) s.close();
    await host?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  test('sees an open port, a closed one and an HTTPS answer on both address families', async () => {
    const open4 = await listen(
      net.createServer((c) => c.end()),
      host.hostV4,
    );
    const open6 = await listen(
      net.createServer((c) => c.end()),
      host.hostV6,
    );
    const web = await listen(
      https.createServer(
        {
          key: readFileSync(join(dir, 'key.pem')),
          cert: readFileSync(join(dir, 'ca.crt')),
        },
        (_req, res) => res.writeHead(204).end(),
      ),
      host.hostV4,
    );
    const closed = await listen(net.createServer(), host.hostV4);
    servers.pop()!.close();
    const caPem = readFileSync(join(dir, 'ca.crt'), 'utf8');
    const results = await probeFrom(
      host,
      [
        { host: host.hostV4, port: open4 },
        { host: host.hostV6, port: open6 },
        { host: host.hostV4, port: closed },
        { host: host.hostV4, port: web, https: { path: '/', servername: 'localhost', caPem } },
      ],
      3000,
    );
    expect(results).toEqual(['open', 'open', 'refused', 'http 204']);
  });

  test('a port that drops the connection attempt is reported as no answer within the time-out', async () => {
    // The namespace's own firewall drops what it sends to this port: the SYN never leaves.
    const port = await listen(
      net.createServer((c) => c.end()),
      host.hostV4,
    );
    const inNs = (args: string[]) =>
      run('ip', ['netns', 'exec', host.netns, 'iptables', '-w', '5', ...args]);
    expect(
      (await inNs(['-A', 'OUTPUT', '-p', 'tcp', '--dport', String(port), '-j', 'DROP'])).code,
    ).toBe(0);
    const t0 = Date.now();
    expect(await probeFrom(host, [{ host: host.hostV4, port }], 1500)).toEqual(['timeout']);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  test('removing it leaves no namespace and no interface behind', async () => {
    const other = await createTestHost();
    await other.remove();
    expect(
      (await must('ip', ['netns', 'list'])).split('\n').some((l) => l.startsWith(other.netns)),
    ).toBe(false);
    expect((await must('ip', ['-o', 'link'])).includes(other.netns.replace('dcops-', 'dco'))).toBe(
      false,
    );
  });
});
