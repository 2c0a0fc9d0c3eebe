import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gitleaks, type Finding } from './gitleaks';

const run = promisify(execFile);

/**
 * Directories of the image's files that are not scanned: what Debian's packages and npm's own
 * install put there (tens of MB of docs, locales and libraries gitleaks takes minutes over), and
 * the kernel's pseudo file systems. Everything else is: /app, /etc, /root, /home, /tmp, /run,
 * /var (but its package caches), /usr/local (but npm itself), /opt, /srv. gitleaks itself also
 * skips node_modules, lock files and binaries over 5 MB.
 */
export const SKIPPED_DIRS = [
  'bin',
  'sbin',
  'lib',
  'lib32',
  'lib64',
  'libx32',
  'usr/bin',
  'usr/sbin',
  'usr/lib',
  'usr/lib32',
  'usr/lib64',
  'usr/libexec',
  'usr/libx32',
  'usr/include',
  'usr/share',
  'usr/local/lib/node_modules',
  'usr/local/include',
  'var/lib/dpkg',
  'var/lib/apt',
  'var/cache',
  'dev',
  'proc',
  'sys',
];

export type Source = 'history' | 'env' | 'labels' | 'files';
export interface ImageFinding extends Finding {
  source: Source;
}
export interface ImageScan {
  image: string;
  ok: boolean;
  findings: ImageFinding[];
  seconds: number;
}

/** The image's filesystem, from a created (never started) container, without SKIPPED_DIRS. */
async function exportFiles(image: string, into: string): Promise<void> {
  // Created, never started; the command only satisfies `docker create` for an image without one.
  const { stdout } = await run('docker', ['create', image, 'never-started']);
  const id = stdout.trim();
  try {
    await new Promise<void>((resolve, reject) => {
      const exp = spawn('docker', ['export', id], { stdio: ['ignore', 'pipe', 'pipe'] });
      const tar = spawn(
        'tar',
        [
          '-x',
          '-C',
          into,
          '--no-same-owner',
          '--no-same-permissions',
          '--delay-directory-restore',
          // Anchored: `lib` is /lib only, never /app/lib or a package's lib/.
          '--anchored',
          ...SKIPPED_DIRS.flatMap((d) => ['--exclude', d, '--exclude', `./${d}`]),
        ],
        { stdio: ['pipe', 'ignore', 'pipe'] },
      );
      let err = '';
      exp.stderr.on('data', (b: Buffer) => (err += b.toString()));
      tar.stderr.on('data', (b: Buffer) => (err += b.toString()));
      // If tar fails early, its exit code rejects below; the broken pipe must not crash us.
      tar.stdin.on('error', () => undefined);
      exp.stdout.pipe(tar.stdin);
      let left = 2;
      const done = (what: string) => (code: number | null) => {
        if (code !== 0)
          return reject(new Error(`${what} of ${image} failed (${code}): ${err.slice(0, 400)}`));
        if (--left === 0) resolve();
      };
      exp.on('close', done('docker export'));
      tar.on('close', done('tar'));
    });
  } finally {
    await run('docker', ['rm', '-f', id]).catch(() => undefined);
  }
}

/**
 * Scans one local image for secrets in its build history (`docker history --no-trunc`: every
 * RUN, ENV, ARG and LABEL line), its configured environment and labels, and its files.
 */
export async function scanImage(image: string): Promise<ImageScan> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'image-secrets-'));
  try {
    const meta = join(dir, 'meta');
    const files = join(dir, 'files');
    mkdirSync(meta);
    mkdirSync(files);
    const history = execFileSync('docker', [
      'history',
      '--no-trunc',
      '--format',
      '{{.CreatedBy}}',
      image,
    ]).toString('utf8');
    const [config] = JSON.parse(
      execFileSync('docker', ['image', 'inspect', image]).toString('utf8'),
    ) as [{ Config: { Env?: string[] | null; Labels?: Record<string, string> | null } }];
    writeFileSync(join(meta, 'history'), history);
    writeFileSync(join(meta, 'env'), (config.Config.Env ?? []).join('\n') + '\n');
    writeFileSync(
      join(meta, 'labels'),
      Object.entries(config.Config.Labels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') + '\n',
    );
    await exportFiles(image, files);
    const found = await gitleaks('dir', dir);
    const findings = found.map((f): ImageFinding => {
      const rel = f.where.replace(`${dir}/`, '');
      if (rel.startsWith('meta/')) {
        const source = rel.slice('meta/'.length) as Source;
        return {
          ...f,
          source,
          where: `docker ${source === 'history' ? 'history' : `config ${source}`}`,
        };
      }
      return { ...f, source: 'files', where: `/${rel.replace(/^files\//, '')}` };
    });
    return {
      image,
      ok: !findings.length,
      findings,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function imageExists(image: string): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', image], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
