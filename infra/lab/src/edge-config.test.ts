import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageRef } from '@dhakacart/images';
import { run } from '@dhakacart/lab-client';
import { opsUsersFragment } from './ops-credentials';
import { OPS_PORTS } from './ops-firewall';
import { LAB_ROOT } from './paths';
import { selfSignedEdgePem } from '@dhakacart/lab-client/src/test-support/self-signed';

// The edge's configuration as the lab's own HAProxy parses it (`haproxy -c`), with a throwaway
// certificate and operators' userlist where the Swarm secrets would be: a typo in a cache rule
// fails here, not at deploy.

const EDGE_CFG = join(LAB_ROOT, 'haproxy', 'edge.cfg');

/** `haproxy -c` of edge.cfg, with the userlist fragment as a second file when one is given. */
async function checkEdgeConfig(fragment: string | null) {
  const dir = mkdtempSync(join(tmpdir(), 'edge-cfg-'));
  try {
    const { pem } = selfSignedEdgePem(dir, null);
    const users = join(dir, 'ops_users.cfg');
    if (fragment !== null) writeFileSync(users, fragment, { mode: 0o644 });
    chmodSync(dir, 0o755);
    return await run('docker', [
      'run',
      '--rm',
      '--network',
      'none',
      '-v',
      `${EDGE_CFG}:/usr/local/etc/haproxy/haproxy.cfg:ro`,
      '-v',
      `${pem}:/run/secrets/edge_tls.pem:ro`,
      ...(fragment === null ? [] : ['-v', `${users}:/run/secrets/ops_users.cfg:ro`]),
      '--entrypoint',
      'haproxy',
      imageRef('haproxy'),
      '-c',
      '-f',
      '/usr/local/etc/haproxy/haproxy.cfg',
      ...(fragment === null ? [] : ['-f', '/run/secrets/ops_users.cfg']),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('HAProxy accepts the edge configuration with the generated userlist, cache rules included', async () => {
  const fragment = await opsUsersFragment({ username: 'ops', password: 'a-throwaway-password' });
  const r = await checkEdgeConfig(fragment);
  expect(`${r.stdout}${r.stderr}`).toMatch(/Configuration file is valid/);
  expect(r.code).toBe(0);
});

test("without the operators' userlist the edge does not start (it never serves the operator ports open)", async () => {
  const r = await checkEdgeConfig(null);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/unable to find userlist 'ops'/);
});

test('the operator ports are TLS-only, behind the userlist, and exactly the ports the stack publishes besides the store', () => {
  const cfg = readFileSync(EDGE_CFG, 'utf8');
  const ops = cfg
    .split(/\n(?=(?:backend|frontend|defaults|global|cache|resolvers|userlist) )/)
    .find((x) => x.startsWith('frontend ops'))!;
  const binds = [...ops.matchAll(/^\s+bind :(\d+) (.*)$/gm)];
  expect(binds.map((b) => Number(b[1]))).toEqual(OPS_PORTS.filter((p) => p !== 9428));
  for (const b of binds) expect(b[2]).toMatch(/^ssl crt \/run\/secrets\/edge_tls\.pem /);
  // The first rule asks for the credentials: nothing is routed before it.
  const rules = ops
    .split('\n')
    .filter((l) => /^\s+(http-request|use_backend|default_backend)/.test(l));
  expect(rules[0]).toMatch(
    /^\s+http-request auth realm dhakacart-ops unless \{ http_auth\(ops\) \}$/,
  );
  // No other frontend binds an operator port (the old plain ones are gone).
  const allBinds = [...cfg.matchAll(/^\s+bind :(\d+)/gm)].map((m) => Number(m[1]));
  expect(allBinds.filter((p) => OPS_PORTS.includes(p))).toEqual(binds.map((b) => Number(b[1])));
  // Every published port of the stack is the store's (8443, 8080) or an operator port.
  const published = ['stack.yml', 'stack.logging.yml'].flatMap((f) =>
    [...readFileSync(join(LAB_ROOT, f), 'utf8').matchAll(/published: (\d+)/g)].map((m) =>
      Number(m[1]),
    ),
  );
  expect(published.sort((a, b) => a - b)).toEqual([...OPS_PORTS, 8080, 8443].sort((a, b) => a - b));
});

test('the cache serves only the browse backend (public catalogue paths), never a response that sets a cookie', async () => {
  const { readFileSync } = await import('node:fs');
  const cfg = readFileSync(EDGE_CFG, 'utf8');
  const paths = /acl browse_path path (.+)/.exec(cfg)?.[1]?.split(/\s+/) ?? [];
  expect(paths.sort()).toEqual(['/api/categories', '/api/products']);
  expect(cfg).toMatch(/acl browse_path path_reg \^\/api\/products\/\[0-9\]\+\$/);
  // The cache rules live in exactly one backend section, and it is api_browse.
  const sections = cfg.split(/\n(?=(?:backend|frontend|defaults|global|cache|resolvers) )/);
  const withCache = sections.filter((s) => /cache-use catalogue/.test(s));
  expect(withCache.map((s) => s.split('\n')[0])).toEqual(['backend api_browse']);
  expect(withCache[0]).toMatch(/cache-store catalogue if .*!\{ res\.hdr\(set-cookie\) -m found \}/);
  for (const p of ['cart', 'auth', 'orders', 'admin', 'ops'])
    expect(cfg).not.toMatch(new RegExp(`browse_path .*/api/${p}`));
});

test('HAProxy accepts the database router, whose read port falls back from replicas to the primary', async () => {
  const cfgPath = join(LAB_ROOT, 'patroni', 'pgrouter.cfg');
  const r = await run('docker', [
    'run',
    '--rm',
    '--network',
    'none',
    '-v',
    `${cfgPath}:/usr/local/etc/haproxy/haproxy.cfg:ro`,
    '--entrypoint',
    'haproxy',
    imageRef('haproxy'),
    '-c',
    '-f',
    '/usr/local/etc/haproxy/haproxy.cfg',
  ]);
  expect(`${r.stdout}${r.stderr}`).toMatch(/Configuration file is valid/);
  const { readFileSync } = await import('node:fs');
  const cfg = readFileSync(cfgPath, 'utf8');
  const read = cfg
    .split(/\n(?=frontend |backend )/)
    .find((s) => s.startsWith('frontend postgres_read'));
  expect(read).toMatch(/bind :5433/);
  expect(read).toMatch(/use_backend replicas if \{ nbsrv\(replicas\) ge 1 \}/);
  expect(read).toMatch(/default_backend primary/);
  // The write port never leads to a replica.
  const write = cfg
    .split(/\n(?=frontend |backend )/)
    .find((s) => s.startsWith('frontend postgres\n'));
  expect(write).toMatch(/default_backend primary/);
  expect(write).not.toMatch(/replicas/);
});
