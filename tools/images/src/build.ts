import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  rmSync,
  writeFileSync,
  existsSync,
  readdirSync,
  readFileSync,
} from 'node:fs';
import { join, dirname } from 'node:path';
import { images as defaultImages, type GoTool, type ImageSpec } from './manifest';
import { hashInputs, listInputFiles } from './hash';
import { imageExists, imageSizeBytes, runWithProgress, tagImage } from './docker';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
const CACHE = join(REPO_ROOT, '.cache');

export interface ResolvedImage {
  name: string;
  ref: string;
  hash: string;
  spec: ImageSpec;
  files: string[];
}

/** Computes every image's content-addressed reference without building anything. */
export function resolveImages(
  specs: ImageSpec[] = defaultImages,
  root = REPO_ROOT,
): ResolvedImage[] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const done = new Map<string, ResolvedImage>();
  const resolve = (name: string, path: string[]): ResolvedImage => {
    const have = done.get(name);
    if (have) return have;
    if (path.includes(name)) throw new Error(`image base cycle: ${[...path, name].join(' -> ')}`);
    const spec = byName.get(name);
    if (!spec) throw new Error(`unknown image "${name}"`);
    const base = spec.base ? resolve(spec.base, [...path, name]) : undefined;
    // Prepared outputs (e.g. a web build) are hashed through their sources, listed in inputs.
    const files = listInputFiles(root, spec.inputs);
    const hash = hashInputs(root, files, [
      `base:${base?.ref ?? 'none'}`,
      `npm:${(spec.npmPackages ?? []).join(',')}`,
      `prepare:${(spec.prepare ?? []).join(' ')}`,
      // Only when present, so that adding the field left every other image's tag unchanged.
      ...(spec.goTools?.length ? [`go:${spec.goTools.map((t) => t.pkg).join(',')}`] : []),
    ]);
    const r: ResolvedImage = { name, ref: `dhakacart/${name}:${hash}`, hash, spec, files };
    done.set(name, r);
    return r;
  };
  return specs.map((s) => resolve(s.name, []));
}

/** The named images and, before them, everything they are built on. */
export function withBases(all: ResolvedImage[], names: string[]): ResolvedImage[] {
  const byName = new Map(all.map((r) => [r.name, r]));
  const order: ResolvedImage[] = [];
  const visit = (n: string) => {
    const r = byName.get(n);
    if (!r) throw new Error(`unknown image "${n}" (known: ${all.map((a) => a.name).join(', ')})`);
    if (r.spec.base) visit(r.spec.base);
    if (!order.includes(r)) order.push(r);
  };
  names.forEach(visit);
  return order;
}

function stageContext(img: ResolvedImage): string {
  const ctx = join(CACHE, 'contexts', img.name);
  rmSync(ctx, { recursive: true, force: true });
  mkdirSync(ctx, { recursive: true });
  for (const f of [...img.files, ...(img.spec.prepared ?? [])]) {
    const dest = join(ctx, f);
    mkdirSync(dirname(dest), { recursive: true });
    cpSync(join(REPO_ROOT, f), dest, { recursive: true });
  }
  for (const tool of img.spec.goTools ?? []) {
    mkdirSync(join(ctx, 'bin'), { recursive: true });
    cpSync(goToolBinary(tool), join(ctx, 'bin', tool.name));
  }
  if (img.spec.buildCa) {
    const ca = hostNpmCaFile();
    if (ca) cpSync(ca, join(ctx, 'images', 'build-ca', 'extra.crt'));
  }
  if (img.spec.npmPackages?.length) {
    // npm checks each tarball against the registry's integrity hash.
    const vendor = join(ctx, 'vendor');
    mkdirSync(vendor, { recursive: true });
    const dl = join(CACHE, 'downloads');
    mkdirSync(dl, { recursive: true });
    for (const pkg of img.spec.npmPackages) {
      const file = `${pkg.replace(/^@/, '').replace('/', '-').replace('@', '-')}.tgz`;
      if (!existsSync(join(dl, file))) {
        process.stderr.write(`    fetching ${pkg} from the npm registry\n`);
        execFileSync('npm', ['pack', pkg, '--pack-destination', dl, '--silent'], {
          stdio: 'ignore',
        });
      }
      cpSync(join(dl, file), join(vendor, file));
    }
  }
  return ctx;
}

/**
 * The pinned binary in .cache/bin, built by scripts/lib.sh's `ensure_go_tool` (the one place
 * that runs `go install`; `bootstrap` calls it before the images, this covers a direct build).
 */
export function goToolBinary(tool: GoTool, root = REPO_ROOT): string {
  const bin = join(root, '.cache', 'bin', tool.name);
  const stamp = join(root, '.cache', 'bin', `.${tool.name}.version`);
  const current = () =>
    existsSync(bin) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === tool.pkg;
  if (!current()) {
    execFileSync(
      'bash',
      ['-c', 'source "$0/scripts/lib.sh" && ensure_go_tool "$1" "$2"', root, tool.name, tool.pkg],
      // Its progress goes to stderr: a caller's stdout may be JSON (`release --json`).
      { stdio: ['ignore', 2, 'inherit'] },
    );
  }
  if (!current()) throw new Error(`${tool.name} is not built at ${tool.pkg} (see above)`);
  return bin;
}

/** The CA file the host's npm trusts, when one is configured (a TLS-intercepting proxy). */
function hostNpmCaFile(): string | null {
  const fromEnv = process.env.NODE_EXTRA_CA_CERTS;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  try {
    const f = execFileSync('npm', ['config', 'get', 'cafile'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return f && f !== 'null' && f !== 'undefined' && existsSync(f) ? f : null;
  } catch {
    return null;
  }
}

export interface BuildReport {
  name: string;
  ref: string;
  built: boolean;
  seconds: number;
  sizeBytes: number;
}

export async function buildImages(names?: string[], log = true): Promise<BuildReport[]> {
  const all = resolveImages();
  const todo = withBases(all, names?.length ? names : all.map((a) => a.name));
  const reports: BuildReport[] = [];
  const say = (s: string) => log && process.stderr.write(`${s}\n`);
  for (const [i, img] of todo.entries()) {
    const t0 = Date.now();
    let built = false;
    if (!imageExists(img.ref)) {
      say(`==> [${i + 1}/${todo.length}] building ${img.ref}`);
      built = true;
      if (img.spec.prepare) {
        const [cmd, ...args] = img.spec.prepare;
        await runWithProgress(cmd!, args, { cwd: REPO_ROOT, prefix: `    ${img.name}: ` });
      }
      if (img.spec.script) {
        await runWithProgress('bash', [join(REPO_ROOT, img.spec.script), img.ref], {
          prefix: `    ${img.name}: `,
          showAll: true,
        });
      } else {
        const ctx = stageContext(img);
        const base = img.spec.base ? all.find((a) => a.name === img.spec.base)!.ref : undefined;
        const args = ['build', '-f', join(ctx, img.spec.dockerfile!), '-t', img.ref];
        if (base) args.push('--build-arg', `BASE_IMAGE=${base}`);
        args.push('--label', `org.opencontainers.image.revision=${img.hash}`, ctx);
        await runWithProgress('docker', args, {
          prefix: `    ${img.name}: `,
          env: { ...process.env, DOCKER_BUILDKIT: '0' },
        });
      }
    }
    // A moving `:lab` tag lets humans type a short name; tools use the hashed ref.
    tagImage(img.ref, `dhakacart/${img.name}:lab`);
    const sizeBytes = imageSizeBytes(img.ref);
    const seconds = (Date.now() - t0) / 1000;
    say(
      `    ${built ? 'built ' : 'exists'} ${img.ref.padEnd(30)} ${(sizeBytes / 1e6).toFixed(1).padStart(7)} MB` +
        (built ? `  in ${seconds.toFixed(0)} s` : ''),
    );
    reports.push({ name: img.name, ref: img.ref, built, seconds, sizeBytes });
  }
  writeManifest();
  return reports;
}

/** `.cache/images.json`: name -> ref, for scripts that are not TypeScript. */
function writeManifest(): void {
  const refs = Object.fromEntries(resolveImages().map((r) => [r.name, r.ref]));
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(join(CACHE, 'images.json'), JSON.stringify(refs, null, 2) + '\n');
}

/** Removes stale staged contexts (kept only for debugging a failed build). */
export function cleanContexts(): void {
  const dir = join(CACHE, 'contexts');
  if (existsSync(dir)) for (const d of readdirSync(dir)) rmSync(join(dir, d), { recursive: true });
}
