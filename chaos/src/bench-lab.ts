/**
 * `npm run bench:lab`: the lab's figures, measured on this machine and written with the command
 * that produced them to bench/results/lab.json. A benchmark reports; it asserts nothing.
 *   - bring-up time from built images (always) and from nothing (--from-nothing: no images,
 *     no volumes, no secrets; rebuilds the debootstrap base);
 *   - idle RAM of the whole stack;
 *   - recovery, rollback and failover times from the failure scenarios.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, run, sleep, STACK } from '@dhakacart/lab-client';
import { down, labStatus, up } from '@dhakacart/lab';
import { brokenRelease, killApiReplica, restoreApiImage, rollingUpdate } from './scenarios';

const HELP = `Usage: npm run bench:lab -- [--from-nothing] [--skip-scenarios] [--json]

Measures the lab: bring-up time (from built images; with --from-nothing also from no images at
all), idle RAM, and the self-healing, rolling-update and rollback times under load.
It takes the lab down and up again. Writes bench/results/lab.json.
`;

async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = Date.now();
  const value = await fn();
  return { seconds: Math.round((Date.now() - t0) / 100) / 10, value };
}

async function main() {
  const { values } = parseArgs({
    options: {
      'from-nothing': { type: 'boolean' },
      'skip-scenarios': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void process.stdout.write(HELP);
  const say = (s: string) => process.stderr.write(`${s}\n`);
  const quiet = () => undefined;
  const figures: Record<string, unknown> = {};

  if (values['from-nothing']) {
    say('==> from nothing: removing the stack, volumes, secrets and every project image');
    await down(true, quiet);
    const imgs = (await run('docker', ['images', '-q', '--filter', 'reference=dhakacart/*'])).stdout
      .split('\n')
      .filter(Boolean);
    if (imgs.length) await run('docker', ['rmi', '-f', ...new Set(imgs)]);
    await run('docker', ['builder', 'prune', '-af']);
    figures.bringUpFromNothingSeconds = (await timed(() => up(say))).seconds;
  }
  say('==> from built images: removing the stack, volumes and secrets (images kept)');
  await down(true, quiet);
  figures.bringUpFromImagesSeconds = (await timed(() => up(say))).seconds;

  say('==> idle RAM (after 30 s of quiet)');
  await sleep(30_000);
  const status = await labStatus();
  figures.idleMemoryMiB = status.services.reduce((a, s) => a + s.memoryMiB, 0);
  figures.idleMemoryByServiceMiB = Object.fromEntries(
    status.services.map((s) => [s.name, s.memoryMiB]),
  );

  if (!values['skip-scenarios']) {
    say('==> self-healing: docker kill one api replica under load');
    const heal = await killApiReplica();
    figures.selfHealing = {
      replacementHealthyMs: heal.ms,
      requests: heal.load.sent,
      failed: heal.load.failures.length,
    };
    say('==> rolling update under load');
    const roll = await rollingUpdate();
    figures.rollingUpdate = {
      rolloutMs: roll.ms,
      requests: roll.load.sent,
      failed: roll.load.failures.length,
    };
    say('==> broken release: automatic rollback under load');
    const rb = await brokenRelease();
    figures.automaticRollback = {
      rollbackCompletedMs: rb.ms,
      requests: rb.load.sent,
      failed: rb.load.failures.length,
    };
    await restoreApiImage(roll.original);
  }

  const report = {
    command: `npm run bench:lab --${values['from-nothing'] ? ' --from-nothing' : ''}${values['skip-scenarios'] ? ' --skip-scenarios' : ''}`,
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) },
    stack: STACK,
    figures,
  };
  const dir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'lab.json'), JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(
    values.json
      ? JSON.stringify(report, null, 2) + '\n'
      : `${JSON.stringify(figures, null, 2)}\nwrote bench/results/lab.json\n`,
  );
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`bench:lab: ${e.message}\n`);
    process.exit(1);
  },
);
