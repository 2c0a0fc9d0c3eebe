/**
 * `npm run bench:backup`: the backup benchmark on a standalone setup (one Patroni member with
 * its etcd, and the real backup service; not the lab). Generates at least 1 GB of orders, takes
 * a full backup to both repositories, then compares the two ways of shipping WAL under the same
 * order load (archive_timeout 5 s vs pg_receivewal streaming, docs/adr/0302-lab-backups.md),
 * runs the restore drill in each mode, and writes bench/results/backup.json.
 *
 * Options and exit codes: `--help` (./args.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { discover } from '../environment';
import { drill, type DrillResult } from '../drill';
import { OrderWriter } from '../orders';
import { psqlExec } from '../psql';
import { backupNow, status } from '../service';
import { docker, mustDocker, sleep } from '../sh';
import { startStandalone, type Standalone } from '../testing/standalone';
import { HELP, parseBenchArgs } from './args';
import { diff, usage, type Usage } from './cost';

const ROOT = join(__dirname, '..', '..', '..');
const say = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

/** Orders in bulk (the api's schema), 100k per transaction, until the database reaches `bytes`. */
async function generate(
  s: Standalone,
  bytes: number,
): Promise<{ sizeBytes: number; orders: number }> {
  await psqlExec(
    s.pgContainer,
    `INSERT INTO users (email, password_hash, name)
     SELECT 'bench-' || n || '@example.com', 'not-a-login', 'Bench customer ' || n FROM generate_series(1, 20000) n;
     INSERT INTO categories (slug, name) VALUES ('bench', 'Bench');
     INSERT INTO products (sku, name, category_id, price_paisa, stock)
     SELECT 'BENCH-' || n, 'Bench product ' || n, (SELECT id FROM categories WHERE slug = 'bench'), 100 * n, 1000000
     FROM generate_series(1, 500) n;`,
  );
  let size = 0;
  for (let batch = 0; batch < 200; batch++) {
    await psqlExec(
      s.pgContainer,
      `WITH u AS (SELECT array_agg(id) ids FROM users),
       o AS (INSERT INTO orders (user_id, idempotency_key, request_hash, status, payment_method, total_paisa, shipping_address, created_at)
         SELECT u.ids[1 + (n % 20000)], 'bench-${batch}-' || n, md5('${batch}-' || n), 'confirmed', 'cod', 0,
           jsonb_build_object('name', 'Customer ' || n, 'phone', '017' || lpad((n % 100000000)::text, 8, '0'),
             'line1', 'House ' || n || ', Road ' || (n % 97), 'city', 'Dhaka', 'postalCode', '1205'),
           now() - interval '30 days' + (n || ' ms')::interval
         FROM generate_series(1, 100000) n, u RETURNING id, total_paisa)
       INSERT INTO order_items (order_id, product_id, name, quantity, price_paisa)
       SELECT o.id, p.id, p.name, 1 + k, p.price_paisa FROM o, generate_series(0, 1) k,
         LATERAL (SELECT id, name, price_paisa FROM products WHERE sku = 'BENCH-' || (1 + (abs(hashtext(o.id::text)) + k) % 500)) p`,
    );
    size = Number((await psqlExec(s.pgContainer, "SELECT pg_database_size('dhakacart')"))[0]);
    say(`  generated batch ${batch + 1}: database ${(size / 2 ** 30).toFixed(2)} GiB`);
    if (size >= bytes) break;
  }
  const [orders] = await psqlExec(s.pgContainer, 'SELECT count(*) FROM orders');
  return { sizeBytes: size, orders: Number(orders) };
}

interface Window {
  seconds: number;
  pg: Usage;
  backup: Usage;
  walBytes: number;
  segmentsArchived: number;
  repoGrowthBytes: number;
  streamBytes: number;
  ordersWritten: number;
}

async function counters(s: Standalone) {
  const [row] = await psqlExec(
    s.pgContainer,
    "SELECT (SELECT wal_bytes FROM pg_stat_wal) || ' ' || (SELECT archived_count FROM pg_stat_archiver)",
    'postgres',
  );
  const [wal, archived] = row!.split(' ').map(Number);
  const du = await docker([
    'exec',
    s.backupContainer,
    'du',
    '-sb',
    '/var/lib/pgbackrest/repo1',
    '/var/lib/pgbackrest/repo2',
    '/var/lib/pgbackrest/walstream',
  ]);
  const sizes = du.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => Number(l.split('\t')[0]));
  return { wal: wal!, archived: archived!, repos: sizes[0]! + sizes[1]!, stream: sizes[2]! };
}

/** The same order load for `seconds`, with the cost of WAL shipping measured around it. */
async function measureWindow(s: Standalone, seconds: number): Promise<Window> {
  const work = mkdtempSync(join(tmpdir(), 'bench-window-'));
  const writer = new OrderWriter({
    leader: async () => s.pgContainer,
    historyFile: join(work, 'orders.jsonl'),
    // 5 orders a second in every window: the same load, so the differences are the shipping's.
    intervalMs: 200,
    maxDurationMs: seconds * 1000,
  });
  await writer.prepare();
  const [c0, pg0, b0] = await Promise.all([
    counters(s),
    usage(s.pgContainer),
    usage(s.backupContainer),
  ]);
  const t0 = Date.now();
  writer.start();
  await sleep(seconds * 1000);
  await writer.stop();
  // Let the last archive_timeout switch ship before reading the counters.
  await sleep(6000);
  const [c1, pg1, b1] = await Promise.all([
    counters(s),
    usage(s.pgContainer),
    usage(s.backupContainer),
  ]);
  rmSync(work, { recursive: true, force: true });
  return {
    seconds: Math.round((Date.now() - t0) / 1000),
    pg: diff(pg0, pg1),
    backup: diff(b0, b1),
    walBytes: c1.wal - c0.wal,
    segmentsArchived: c1.archived - c0.archived,
    repoGrowthBytes: c1.repos - c0.repos,
    streamBytes: c1.stream - c0.stream,
    ordersWritten: writer.acked,
  };
}

const perMinute = (w: Window) => {
  const f = 60 / w.seconds;
  const r = (n: number) => Math.round(n * f);
  return {
    windowSeconds: w.seconds,
    ordersPerMinute: r(w.ordersWritten),
    cpuCoresPg: +(w.pg.cpuSeconds / w.seconds).toFixed(4),
    cpuCoresBackupService: +(w.backup.cpuSeconds / w.seconds).toFixed(4),
    diskWriteBytesPerMinutePg: r(w.pg.writeBytes),
    diskWriteBytesPerMinuteBackupService: r(w.backup.writeBytes),
    walGeneratedBytesPerMinute: r(w.walBytes),
    segmentsArchivedPerMinute: +(w.segmentsArchived * f).toFixed(1),
    repoGrowthBytesPerMinute: r(w.repoGrowthBytes),
    streamGrowthBytesPerMinute: r(w.streamBytes),
  };
};

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseBenchArgs(argv);
  } catch (e) {
    process.stderr.write(`bench:backup: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const { gb, windowS } = args;
  const started = Date.now();
  say(`standalone setup (one Patroni member + etcd + backup service)`);
  const s = await startStandalone({ sharedBuffers: '256MB' });
  // Ctrl-C (or a TERM) removes the setup before exiting; `finally` alone does not run on a signal.
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    say('stopping: removing the standalone setup');
    void s.cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const env = await discover({
      backupContainer: s.backupContainer,
      pgContainers: [s.pgContainer],
    });
    say(`generating ≥ ${gb} GiB of orders`);
    const t0 = Date.now();
    const data = await generate(s, gb * 2 ** 30);
    const generateSeconds = (Date.now() - t0) / 1000;
    say('full backup to both repositories');
    const full = await backupNow(env, 'full', 'all');
    const st = await status(env);

    say(
      `WAL shipping baseline: archive_timeout off (a segment ships only when full), ${windowS} s of orders`,
    );
    await psqlExec(
      s.pgContainer,
      'ALTER SYSTEM SET archive_timeout = 0; SELECT pg_reload_conf();',
      'postgres',
    );
    const base = await measureWindow(s, windowS);
    await psqlExec(
      s.pgContainer,
      'ALTER SYSTEM RESET archive_timeout; SELECT pg_reload_conf();',
      'postgres',
    );
    say(`WAL shipping A: archive_timeout 5 s, ${windowS} s of orders`);
    const a = await measureWindow(s, windowS);
    say('drill A (archive_timeout 5 s)');
    const drillOpts = {
      env,
      repo: 1 as const,
      warmupMs: 15_000,
      writeIntervalMs: 50,
      restoreTimeoutMs: 900_000,
      keep: false,
      record: true,
      say,
    };
    const drillA: DrillResult = await drill(drillOpts);
    say(
      `  RTO ${drillA.rtoSeconds} s, RPO ${drillA.rpoSeconds} s, ${drillA.ordersVerified} orders verified`,
    );

    say(
      `WAL shipping B: pg_receivewal streaming (archive_timeout 60 s as a backstop), ${windowS} s of orders`,
    );
    await psqlExec(
      s.pgContainer,
      "ALTER SYSTEM SET archive_timeout = '60s'; SELECT pg_reload_conf();",
      'postgres',
    );
    // The same command as the service's WAL_STREAM=on (images/pgbackrest), started by hand so
    // that the earlier windows run without it.
    const recv = `PGPASSFILE=/run/pgbackrest/pgpass; export PGPASSFILE
      echo $$ >/tmp/pg_receivewal.pid
      exec pg_receivewal -h pg1 -p 5432 -U replicator -w -D /var/lib/pgbackrest/walstream --no-loop --status-interval=1 --synchronous`;
    await mustDocker(['exec', '-d', s.backupContainer, 'bash', '-c', recv]);
    await sleep(3000);
    const b = await measureWindow(s, windowS);
    say('drill B (streaming)');
    const drillB: DrillResult = await drill(drillOpts);
    say(
      `  RTO ${drillB.rtoSeconds} s, RPO ${drillB.rpoSeconds} s, ${drillB.ordersVerified} orders verified`,
    );
    await docker(['exec', s.backupContainer, 'bash', '-c', 'kill "$(cat /tmp/pg_receivewal.pid)"']);

    const result = {
      command: `npm run bench:backup -- --gb ${gb} --window ${windowS}`,
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) },
      setup:
        'standalone: one Patroni member (patroni image, PostgreSQL 15) + etcd + the backup service (pgbackrest image), on a throwaway network; not the lab stack',
      data: {
        sizeBytes: data.sizeBytes,
        sizeGiB: +(data.sizeBytes / 2 ** 30).toFixed(3),
        orders: data.orders,
        generateSeconds,
      },
      fullBackup: {
        seconds: Object.fromEntries(full.repos.map((r) => [`repo${r.repo}`, r.seconds])),
        repoSizeBytes: Object.fromEntries(st.repos.map((r) => [`repo${r.repo}`, r.sizeBytes])),
      },
      // The lab's configuration (docs/adr/0302-lab-backups.md): streamed WAL, archived every 60 s.
      drill: {
        rtoSeconds: drillB.rtoSeconds,
        rpoSeconds: drillB.rpoSeconds,
        ordersVerified: drillB.ordersVerified,
        mismatches: drillB.mismatches,
        target: drillB.target,
        gapOrders: drillB.gapOrders,
        goalsMet: drillB.goalsMet,
        walShipping: 'pg_receivewal + archive_timeout 60s',
      },
      drillArchiveTimeout5s: {
        rtoSeconds: drillA.rtoSeconds,
        rpoSeconds: drillA.rpoSeconds,
        ordersVerified: drillA.ordersVerified,
        mismatches: drillA.mismatches,
        gapOrders: drillA.gapOrders,
        goalsMet: drillA.goalsMet,
        walShipping: 'archive_timeout 5s',
      },
      goals: { rtoSeconds: 300, rpoSeconds: 5 },
      walShippingCost: {
        note: 'the same paced load (5 orders/s) in each window; the baseline ships a segment only when it is full (RPO unbounded), so each mode minus the baseline is its cost',
        baseline: perMinute(base),
        archiveTimeout5s: perMinute(a),
        streaming: perMinute(b),
      },
      totalSeconds: Math.round((Date.now() - started) / 1000),
    };
    writeFileSync(
      join(ROOT, 'bench', 'results', 'backup.json'),
      JSON.stringify(result, null, 2) + '\n',
    );
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return 0;
  } finally {
    if (!stopping) await s.cleanup();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench:backup: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
