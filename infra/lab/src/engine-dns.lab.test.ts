import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SLOW_MISS_MS, slowMissWarning, unknownNameLookupMs } from './engine-dns';
import { serviceImage } from '@dhakacart/lab-client';
import { REPO_ROOT } from './paths';
import { run } from '@dhakacart/lab-client';

/** Runs scripts/lib.sh's ensure_docker_dns_opts against `file` instead of /etc/docker/daemon.json. */
const ensureDnsOpts = (file: string) =>
  run('bash', [
    '-c',
    'source "$1/scripts/lib.sh"; DOCKER_DAEMON_JSON="$2"; ensure_docker_dns_opts',
    '_',
    REPO_ROOT,
    file,
  ]);

describe('the engine configuration the README commands write', () => {
  const dir = mkdtempSync(join(tmpdir(), 'daemon-json-'));

  test('adds a default DNS option and keeps every other setting, once', async () => {
    const f = join(dir, 'keep.json');
    writeFileSync(f, JSON.stringify({ 'log-level': 'warn', 'dns-opts': [] }));
    expect((await ensureDnsOpts(f)).code).toBe(0);
    const first = readFileSync(f, 'utf8');
    expect(JSON.parse(first)).toEqual({ 'log-level': 'warn', 'dns-opts': ['ndots:0'] });
    expect((await ensureDnsOpts(f)).code).toBe(0);
    expect(readFileSync(f, 'utf8')).toBe(first);
  });

  test('leaves DNS options someone already chose alone', async () => {
    const f = join(dir, 'chosen.json');
    writeFileSync(f, JSON.stringify({ 'dns-opts': ['timeout:2'] }));
    expect((await ensureDnsOpts(f)).code).toBe(0);
    expect(JSON.parse(readFileSync(f, 'utf8'))).toEqual({ 'dns-opts': ['timeout:2'] });
  });

  test('refuses a file that is not JSON, says why, and does not overwrite it', async () => {
    const f = join(dir, 'broken.json');
    writeFileSync(f, '{"log-level": ');
    const r = await ensureDnsOpts(f);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not valid JSON/);
    expect(readFileSync(f, 'utf8')).toBe('{"log-level": ');
  });
});

describe("the running engine's DNS on the internal data network", () => {
  test('a name nobody has fails at once instead of after a resolver timeout', async () => {
    const ms = await unknownNameLookupMs(await serviceImage('sentinel1'));
    expect(ms).toBeLessThanOrEqual(SLOW_MISS_MS);
    expect(slowMissWarning(ms)).toBeNull();
  });

  test('a slow miss makes lab up warn, with the fix', () => {
    expect(slowMissWarning(2004)).toMatch(/2004 ms[\s\S]*dns-opts[\s\S]*daemon\.json/);
  });
});
