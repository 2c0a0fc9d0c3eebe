/**
 * End to end without the lab: a real Patroni member (the project's image) archiving to the real
 * backup service, the api's schema, continuous order writes, a backup, the drill and a
 * point-in-time restore into isolated containers, and every bad input the commands refuse.
 * Bounded: about three minutes on two busy cores; everything it creates is removed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drill } from './drill';
import { discover, type BackupEnv, cipherFromService } from './environment';
import { BackupError, EXIT } from './errors';
import { assertIsolated, createIsolatedTarget, removeTarget, restoreInto } from './isolated-target';
import { OrderWriter } from './orders';
import { psqlExec } from './psql';
import { repoInfo } from './repository';
import { backupNow } from './service';
import { docker, mustDocker, sleep } from './sh';
import { startStandalone, type Standalone } from './testing/standalone';

jest.setTimeout(240_000);

const ROOT = join(__dirname, '..', '..');
let s: Standalone;
let env: BackupEnv;
let work: string;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      join(ROOT, 'node_modules', '.bin', 'tsx'),
      [join(__dirname, 'cli.ts'), ...args],
      { timeout: 180_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}
const at = () => ['--backup-container', s.backupContainer, '--pg-container', s.pgContainer];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'backup-e2e-'));
  // The lab's configuration (stack.backup.yml): WAL streamed by the backup service, and
  // archived at least every 60 s.
  s = await startStandalone({ walStream: true, archiveTimeout: '60s' });
  env = await discover({ backupContainer: s.backupContainer, pgContainers: [s.pgContainer] });
  const r = await backupNow(env, 'full', 'all');
  expect(r.repos.map((x) => x.ok)).toEqual([true, true]);
});

afterAll(async () => {
  await s?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

test('the drill restores, under continuous writes, every order acknowledged before the recovery point', async () => {
  const lines: string[] = [];
  const r = await drill({
    env,
    repo: 1,
    warmupMs: 8000,
    writeIntervalMs: 40,
    restoreTimeoutMs: 120_000,
    keep: false,
    record: true,
    say: (l) => lines.push(l),
  });
  expect(r.mismatches).toBe(0);
  expect(r.ordersVerified).toBeGreaterThan(20);
  // Streamed WAL: the newest restored commit is at most a few seconds before T (archiving
  // alone, every 60 s, would lose up to a minute), never after it.
  expect(r.rpoSeconds).toBeGreaterThanOrEqual(0);
  expect(r.rpoSeconds).toBeLessThan(3);
  expect(r.rtoSeconds).toBeLessThan(120);
  expect(r.target).toMatch(/^isolated container dhakacart-restore-[0-9a-f]{8} on internal network/);
  // The throwaway container and network are gone.
  const name = /dhakacart-restore-[0-9a-f]{8}/.exec(r.target)![0];
  expect((await docker(['inspect', name])).code).not.toBe(0);
  expect((await docker(['network', 'inspect', name])).code).not.toBe(0);
  // The result reached the exporter Prometheus scrapes.
  const metrics = await mustDocker([
    'exec',
    s.backupContainer,
    'python3',
    '-c',
    'import urllib.request;print(urllib.request.urlopen("http://127.0.0.1:9854/metrics").read().decode())',
  ]);
  expect(metrics).toMatch(/^dhakacart_restore_drill_success 1$/m);
  expect(metrics).toMatch(
    /^dhakacart_backup_last_success_timestamp_seconds\{repo="2",type="full"\} \d+/m,
  );
  expect(metrics).toMatch(/^dhakacart_wal_archive_failing\{leader="pg1"\} 0$/m);
});

test('restore --to an earlier time holds the orders acknowledged before it and none created after', async () => {
  const history = join(work, 'pitr.jsonl');
  const writer = new OrderWriter({
    leader: async () => s.pgContainer,
    historyFile: history,
    intervalMs: 40,
    maxDurationMs: 60_000,
  });
  await writer.prepare();
  writer.start();
  await sleep(4000);
  const to = new Date();
  await sleep(4000);
  await writer.stop();
  // The segment holding the target is streamed (archived only within 60 s): the restore uses
  // the stream's partial segment.
  await sleep(2000);
  const r = await cli([
    'restore',
    '--to',
    to.toISOString(),
    '--history',
    history,
    '--json',
    ...at(),
  ]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(EXIT.ok);
  const out = JSON.parse(r.stdout) as Record<string, number | string>;
  expect(out.mismatches).toBe(0);
  expect(out.ordersAfterTarget).toBe(0);
  expect(out.ordersVerified).toBeGreaterThan(20);
  expect(Date.parse(out.newestOrder as string)).toBeLessThanOrEqual(to.getTime());
  expect(to.getTime() - Date.parse(out.newestOrder as string)).toBeLessThan(1000);
});

test('a restore never targets the live cluster', async () => {
  const before = await psqlExec(s.pgContainer, 'SELECT count(*) FROM orders');
  // The live member itself, by name: refused before anything is written.
  await expect(
    restoreInto({ container: s.pgContainer, network: s.network }, 'k', 10_000),
  ).rejects.toMatchObject({
    kind: 'liveTargetRefused',
  });
  // A container that claims isolation but shares the live network, or belongs to a stack.
  const fake = `${s.id}-fake-target`;
  await mustDocker([
    'create',
    '--name',
    fake,
    '--network',
    s.network,
    '--label',
    'dhakacart.backup.isolated=1',
    env.restoreImage,
  ]);
  const stacked = `${s.id}-stacked-target`;
  await mustDocker([
    'create',
    '--name',
    stacked,
    '--label',
    'dhakacart.backup.isolated=1',
    '--label',
    'com.docker.stack.namespace=dhakacart',
    env.restoreImage,
  ]);
  try {
    await expect(assertIsolated(fake)).rejects.toThrow(/not one throwaway network/);
    await expect(assertIsolated(stacked)).rejects.toThrow(/belongs to a stack/);
  } finally {
    await docker(['rm', '-f', fake, stacked]);
  }
  // A real target passes, and becomes refusable once it has started (no second restore).
  const key = await cipherFromService(env);
  const t = await createIsolatedTarget({
    image: env.restoreImage,
    volume: env.repoVolumes[1],
    repo: 1,
    stanza: 'dhakacart',
    key,
    args: [],
  });
  try {
    await assertIsolated(t.container);
    await restoreInto(t, key, 120_000);
    await expect(assertIsolated(t.container)).rejects.toThrow(/is running, not freshly created/);
  } finally {
    await removeTarget(t);
  }
  expect((await docker(['inspect', '-f', '{{.State.Running}}', s.pgContainer])).stdout.trim()).toBe(
    'true',
  );
  expect(await psqlExec(s.pgContainer, 'SELECT count(*) FROM orders')).toEqual(before);
});

describe('bad input gets a one-line error and its own exit code', () => {
  const cases: [string, string[], number][] = [
    ['an unparseable time', ['restore', '--to', 'yesterday-ish'], EXIT.badTime],
    ['a time without a zone', ['restore', '--to', '2026-05-01T10:00:00'], EXIT.badTime],
    ['a time in the future', ['restore', '--to', '2099-01-01T00:00:00Z'], EXIT.timeInFuture],
    [
      'a time before the oldest backup',
      ['restore', '--to', '2020-01-01T00:00:00Z'],
      EXIT.beforeOldestBackup,
    ],
    ['an unknown option', ['restore', '--to', '2020-01-01T00:00:00Z', '--frobnicate'], EXIT.usage],
    [
      'restore-live without confirmation',
      ['restore-live', '--to', 'latest'],
      EXIT.confirmationRequired,
    ],
  ];
  test.each(cases)('%s', async (_what, args, code) => {
    const r = await cli([...args, '--json', ...at()]);
    expect(r.code).toBe(code);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^backup: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { exitCode: code } });
  });

  test('a wrong encryption key', async () => {
    const keyFile = join(work, 'wrong.key');
    writeFileSync(keyFile, 'not-the-key-but-long-enough-to-try\n', { mode: 0o600 });
    const r = await cli(['restore', '--to', 'latest', '--key-file', keyFile, ...at()]);
    expect([r.code, r.stderr]).toEqual([
      EXIT.wrongKey,
      expect.stringMatching(/^backup: the encryption key does not open the repository/),
    ]);
  });

  test('a missing repository', async () => {
    const keyFile = join(work, 'some.key');
    writeFileSync(keyFile, 'a-key-for-a-repository-that-is-not-there\n', { mode: 0o600 });
    // The etcd container has no repository volume mounted.
    const r = await cli([
      'restore',
      '--to',
      'latest',
      '--backup-container',
      s.etcdContainer,
      '--pg-container',
      s.pgContainer,
      '--key-file',
      keyFile,
    ]);
    expect([r.code, r.stderr]).toEqual([
      EXIT.repoMissing,
      expect.stringMatching(/^backup: repository 1 is missing/),
    ]);
    const empty = `${s.id}-empty-repo`;
    await mustDocker(['volume', 'create', empty]);
    try {
      await expect(
        repoInfo({
          image: env.restoreImage,
          volume: empty,
          repo: 2,
          stanza: 'dhakacart',
          key: await cipherFromService(env),
        }),
      ).rejects.toMatchObject({ kind: 'repoMissing' });
    } finally {
      await docker(['volume', 'rm', empty]);
    }
  });

  test('a corrupt repository', async () => {
    const copy = `${s.id}-corrupt-repo`;
    await mustDocker(['volume', 'create', copy]);
    try {
      await mustDocker([
        'run',
        '--rm',
        '--network',
        'none',
        '--user',
        'root',
        '-v',
        `${env.repoVolumes[1]}:/src:ro`,
        '-v',
        `${copy}:/dst`,
        '--entrypoint',
        'bash',
        env.restoreImage,
        '-c',
        'cp -a /src/. /dst/ && for f in /dst/backup/dhakacart/backup.info /dst/backup/dhakacart/backup.info.copy; do head -c 512 /dev/urandom > "$f"; done',
      ]);
      const err = await repoInfo({
        image: env.restoreImage,
        volume: copy,
        repo: 1,
        stanza: 'dhakacart',
        key: await cipherFromService(env),
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BackupError);
      expect((err as BackupError).exitCode).toBe(EXIT.repoCorrupt);
    } finally {
      await docker(['volume', 'rm', copy]);
    }
  });

  test('a drill while the lab is down', async () => {
    const r = await cli(['drill', '--json', '--stack', `absent-${s.id}`]);
    expect(r.code).toBe(EXIT.labDown);
    expect(r.stderr).toMatch(/^backup: the lab is down: no running backup service/);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { kind: 'labDown' } });
  });
});
