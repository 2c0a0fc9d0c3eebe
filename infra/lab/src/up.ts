import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildImages } from '@dhakacart/images';
import { runJob } from './jobs';
import {
  dnsReport,
  probeUnknownName,
  readConfiguredDnsOpts,
  userlandProxyWarning,
} from './engine-dns';
import { existsSync } from 'node:fs';
import {
  DB_SERVICE_HOST,
  LAB_ROOT,
  STACK,
  STACK_FILES,
  STORE_URL,
  CA_CERT,
  OPS_CREDENTIALS,
} from './paths';
import {
  ADMIN_EMAIL,
  ensureAdminSecret,
  ensureEdgeTlsSecret,
  ensureGeneratedSecrets,
} from './secrets';
import { docker, removeResidue, run, sleep, stackContainerIds } from '@dhakacart/lab-client';
import { ensureSwarm, labStatus } from './status';
import { ensureLabTls } from './tls';
import { MONITORING_IMAGES, monitoringStackEnv } from './monitoring';
import { ensureMonitoringSecrets } from './monitoring-secrets';
import { DATA_IMAGES, dataStackEnv, waitForDatabase } from './data-tier';
import { LOGGING_IMAGES, logsStackEnv } from './logging';
import { ensureReaderRole } from './reader-role';
import { BACKUP_IMAGES, backupStackEnv, CIPHER_ESCROW_FILE, ensureBackupSecrets } from './backup';
import { ensureOpsSecret, pruneOpsSecrets } from './ops-credentials';
import { installOpsFirewall, OPS_PORTS, removeOpsFirewall } from './ops-firewall';

export const LAB_IMAGES = [
  ...new Set([
    'api',
    'web',
    'postgres',
    'redis',
    'haproxy',
    ...DATA_IMAGES,
    ...MONITORING_IMAGES,
    ...LOGGING_IMAGES,
    ...BACKUP_IMAGES,
  ] as const),
];

type Say = (step: string) => void;

/**
 * The environment `docker stack deploy` interpolates: image refs, content-named configs, and the
 * content-named secrets of the edge (its certificate, the operators' userlist).
 */
export async function stackEnv(
  refs: Record<string, string>,
  edgeTlsSecret: string,
  opsUsersSecret: string,
) {
  const cfgHash = createHash('sha256')
    .update(readFileSync(join(LAB_ROOT, 'haproxy', 'edge.cfg')))
    .digest('hex')
    .slice(0, 12);
  return {
    ...process.env,
    API_IMAGE: refs.api!,
    WEB_IMAGE: refs.web!,
    POSTGRES_IMAGE: refs.postgres!,
    REDIS_IMAGE: refs.redis!,
    HAPROXY_IMAGE: refs.haproxy!,
    EDGE_CFG_HASH: cfgHash,
    EDGE_TLS_SECRET: edgeTlsSecret,
    OPS_USERS_SECRET: opsUsersSecret,
    ...dataStackEnv(refs),
    ...monitoringStackEnv(refs),
    ...logsStackEnv(refs),
    ...backupStackEnv(refs),
  };
}

/**
 * Waits until every service of the stack (or only those named) has all its replicas running
 * and healthy.
 */
export async function waitHealthy(timeoutMs: number, say: Say, only?: string[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const s = await labStatus({ withStats: false });
    const watched = s.services.filter((x) => !only || only.includes(x.name));
    // Equal, not just enough: a rolling update (start-first) briefly runs extra replicas.
    const pending = watched.filter((x) => x.healthy !== x.desired || x.running !== x.desired);
    if (watched.length && (!only || watched.length === only.length) && !pending.length) return;
    const line = pending.map((p) => `${p.name} ${p.healthy}/${p.desired}`).join(', ');
    if (line !== last) say(`    waiting for: ${line}`);
    last = line;
    if (Date.now() > deadline) throw new Error(`services not healthy in time: ${line}`);
    await sleep(2000);
  }
}

/** Waits until the store answers through the edge over TLS (the user's view). */
export async function waitForEdge(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await run('curl', [
      '-sS',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '--max-time',
      '3',
      '--cacert',
      CA_CERT,
      `${STORE_URL}/api/categories`,
    ]);
    if (r.stdout.trim() === '200') return;
    if (Date.now() > deadline)
      throw new Error(`the store did not answer through the edge (last: ${r.stdout || r.stderr})`);
    await sleep(1000);
  }
}

export async function up(say: Say): Promise<void> {
  const total = 7;
  let n = 0;
  const step = (s: string) => say(`[${++n}/${total}] ${s}`);

  step('Building images (only those whose inputs changed)');
  const reports = await buildImages([...LAB_IMAGES]);
  const refs = Object.fromEntries(reports.map((r) => [r.name, r.ref]));

  step('Docker Swarm');
  say(
    (await ensureSwarm())
      ? '    initialised a one-node swarm on 127.0.0.1'
      : '    swarm already active',
  );

  step('Secrets (generated with a CSPRNG, stored only as Swarm secrets)');
  const created = await ensureGeneratedSecrets();
  created.push(...(await ensureMonitoringSecrets()));
  const backupSecrets = await ensureBackupSecrets();
  created.push(...backupSecrets);
  if (backupSecrets.includes('dhakacart_backup_cipher_pass'))
    say(
      `    NEW backup encryption key: escrow ${CIPHER_ESCROW_FILE} outside the lab, then delete it (docs/adr/0302-lab-backups.md)`,
    );
  const tls = await ensureLabTls();
  const edgeTls = await ensureEdgeTlsSecret(tls.pem, tls.fingerprint);
  const admin = await ensureAdminSecret();
  const ops = await ensureOpsSecret();
  say(
    `    ${created.length ? `created ${created.join(', ')}` : 'all present'}; lab CA at ${CA_CERT}`,
  );
  say(
    `    operator credentials ${ops.created ? 'made' : 'kept'}: ${OPS_CREDENTIALS} (0600) for Prometheus, Alertmanager, the Pushgateway and the logs`,
  );

  step('Deploying the stack');
  if (await networksDrifted()) {
    say(
      '    a stack network exists with other options (e.g. internal): recreating the stack, data kept',
    );
    await down(false, say);
  }
  // Before the ports exist: the operator ports never answer from the network, even briefly.
  const fw = await installOpsFirewall();
  say(
    `    ports ${OPS_PORTS.join(', ')} answer on loopback only (DOCKER-USER${fw.added ? `: ${fw.added} rules installed` : ' rules in place'})`,
  );
  const env = await stackEnv(refs, edgeTls, ops.secret);
  const files = STACK_FILES.filter((f) => existsSync(f)).flatMap((f) => ['-c', f]);
  await docker(['stack', 'deploy', '--prune', '--resolve-image', 'never', ...files, STACK], {
    env,
  });
  say(dnsReport(await probeUnknownName(refs['redis-ha']!), readConfiguredDnsOpts()));

  step('Migrations, catalogue seed and admin account (one-shot jobs)');
  // Strict synchronous replication: writes wait for a standby, so wait for one first.
  const leader = await waitForDatabase(240_000, say);
  say(`    database leader: ${leader}`);
  // The jobs reach the leader through the router; after an engine restart it may still be
  // starting, and a name with no running task does not resolve at all.
  await waitHealthy(120_000, say, ['pgrouter']);
  const dbJob = {
    image: refs.api!,
    env: { DB_HOST: DB_SERVICE_HOST, DB_PASSWORD_FILE: '/run/secrets/db_password' },
    networks: [`${STACK}_data`],
  };
  // The database may still be starting, or its members restarting after a change to their
  // services (a leader election): each job retries for up to two minutes.
  const retry = (cmd: string) => [
    'bash',
    '-c',
    `for i in $(seq 60); do ${cmd} && exit 0; sleep 2; done; exit 1`,
  ];
  await runJob({
    ...dbJob,
    name: 'migrate',
    secrets: ['dhakacart_db_password:db_password'],
    command: retry('node dist/cli/migrate.js up'),
  });
  await runJob({
    ...dbJob,
    name: 'seed',
    secrets: ['dhakacart_db_password:db_password'],
    // Transactional and idempotent: safe to retry while the database fails over or restarts.
    command: retry('node dist/cli/seed.js'),
  });
  // Idempotent (create or reset): the account always matches the credentials file.
  await runJob({
    ...dbJob,
    name: 'create-admin',
    secrets: ['dhakacart_db_password:db_password', `${admin.secret}:admin_password`],
    command: retry(
      `node dist/cli/create-admin.js --email ${ADMIN_EMAIL} --password-file /run/secrets/admin_password`,
    ),
  });
  say(
    `    admin account ${admin.rotated ? 'created with a new password' : 'checked'}; credentials in .lab/admin.json (0600)`,
  );
  // The invariants checker's read-only role (chaos/); after the migrations, so it can read them.
  await ensureReaderRole((await waitForDatabase(120_000, say)) || leader);
  say(
    '    read-only role for the invariants checker checked; credentials in .lab/reader.json (0600)',
  );

  step('Waiting for every replica to be healthy');
  await waitHealthy(240_000, say);
  const pruned = await pruneOpsSecrets(ops.secret);
  if (pruned.length) say(`    removed old operator userlists: ${pruned.join(', ')}`);

  step('Checking the store through the TLS edge');
  await waitForEdge(60_000);
  const ps = await run('ps', ['-eo', 'args']);
  say(
    userlandProxyWarning(ps.stdout) ??
      '    published ports go through the kernel (no docker-proxy on the path)',
  );
  await removeFaultResidue(say);
}

/**
 * Faults a killed chaos run left in the lab (netem qdiscs, CPU burners, paused containers, the
 * payment setting) are removed at every bring-up (docs/chaos/game-day.md, "Aborting").
 */
export async function removeFaultResidue(say: Say): Promise<void> {
  const removed = await removeResidue();
  if (removed.length)
    say(
      `    removed faults a chaos run left behind: ${removed.map((r) => `${r.kind} in ${r.where}`).join(', ')}`,
    );
}

/** Networks must be internal exactly where the stack says so; Swarm never changes an existing one. */
export const NETWORK_INTERNAL: Record<string, boolean> = {
  edge: false,
  data: true,
  monitoring: true,
  backup: true,
};

async function networksDrifted(): Promise<boolean> {
  for (const [name, internal] of Object.entries(NETWORK_INTERNAL)) {
    const r = await run('docker', [
      'network',
      'inspect',
      `${STACK}_${name}`,
      '--format',
      '{{.Internal}}',
    ]);
    if (r.code === 0 && (r.stdout.trim() === 'true') !== internal) return true;
  }
  return false;
}

export async function down(removeData: boolean, say: Say): Promise<void> {
  say('removing the stack');
  await run('docker', ['stack', 'rm', STACK]);
  // Networks and volumes are released only after the tasks are gone.
  for (let i = 0; i < 60; i++) {
    if (!(await stackContainerIds({ all: true })).length) break;
    await sleep(1000);
  }
  // After the ports are gone: the rules `up` installed, and nothing else of the host's.
  const rules = await removeOpsFirewall();
  if (rules) say(`removed the ${rules} loopback-only rules of the operator ports`);
  const secrets = (
    await run('docker', ['secret', 'ls', '--format', '{{.Name}}', '--filter', `name=${STACK}_`])
  ).stdout
    .split('\n')
    .filter(Boolean);
  if (removeData) {
    for (let i = 0; i < 30; i++) {
      const vols = (
        await run('docker', [
          'volume',
          'ls',
          '-q',
          '--filter',
          `label=com.docker.stack.namespace=${STACK}`,
        ])
      ).stdout
        .split('\n')
        .filter(Boolean)
        // The backup repositories and their key outlive the lab: they are what brings it back.
        .filter((v) => !v.startsWith(`${STACK}_backup-`));
      if (!vols.length) break;
      const r = await run('docker', ['volume', 'rm', ...vols]);
      if (r.code === 0) break;
      await sleep(1000);
    }
    for (const s of secrets.filter((n) => !n.startsWith(`${STACK}_backup_`)))
      await run('docker', ['secret', 'rm', s]);
    say(
      "removed data volumes and secrets (kept the backup repositories and their key: the next up's new cluster is adopted by them, earlier backups kept; docker volume rm / secret rm them by hand to lose them too)",
    );
  }
}
