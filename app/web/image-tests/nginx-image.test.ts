/**
 * @jest-environment node
 */
// The web image as it ships: run it read-only, as its own non-root user, and check what a browser
// gets (security headers, caching, gzip, SPA fallback, /healthz, no inline script).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const IMAGES_JSON = join(__dirname, '..', '..', '..', '.cache', 'images.json');

function imageRef(): string | null {
  if (process.env.WEB_IMAGE) return process.env.WEB_IMAGE;
  if (!existsSync(IMAGES_JSON)) return null;
  const refs = JSON.parse(readFileSync(IMAGES_JSON, 'utf8')) as Record<string, string>;
  return refs.web ?? null;
}

const ref = imageRef();
if (!ref) {
  console.warn(
    '\n!! web image test SKIPPED: no WEB_IMAGE and no "web" entry in .cache/images.json (build the images first).\n',
  );
}
const d = ref ? describe : describe.skip;
jest.setTimeout(60000);

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();

d('web image (nginx)', () => {
  let id = '';
  let base = '';

  beforeAll(async () => {
    id = docker('run', '-d', '--read-only', '--tmpfs', '/tmp', '-p', '127.0.0.1::8080', ref!);
    const port = docker('port', id, '8080/tcp').split('\n')[0]!.split(':').pop();
    base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 20000;
    for (;;) {
      const ok = await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline)
        throw new Error(`web image did not answer /healthz: ${docker('logs', id)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  afterAll(() => {
    if (id) docker('rm', '-f', id);
  });

  it('serves index.html with a strict CSP, the security headers and no caching', async () => {
    const r = await fetch(`${base}/`);
    expect(r.status).toBe(200);
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(r.headers.get('permissions-policy')).toContain('camera=()');
    expect(r.headers.get('cache-control')).toBe('no-cache');
    expect(r.headers.get('server')).toBe('nginx'); // no version
    const html = await r.text();
    // Every script is a file (the CSP forbids inline script, so an inline one would break the app).
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    scripts.forEach((s) => expect(s).toMatch(/\ssrc="\/assets\/[^"]+\.js"/));
  });

  it('caches hashed assets for a year, gzipped, and 404s a missing one', async () => {
    const html = await (await fetch(`${base}/`)).text();
    const js = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const r = await fetch(`${base}${js}`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(r.headers.get('content-encoding')).toBe('gzip');
    // A Content-Length on a gzipped answer means the pre-compressed .gz was sent (gzip_static);
    // on-the-fly gzip would be chunked.
    expect(Number(r.headers.get('content-length'))).toBeGreaterThan(0);
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${base}/assets/missing-abc123.js`)).status).toBe(404);
  });

  it('sends the home page no schema library: the shared number reader costs only its pattern', async () => {
    // The storefront reads ?page= and typed quantities with @dhakacart/numeric-text's
    // wholeNumberOf. Its zod-based readers must stay on the server: one import of them here adds
    // about 56 kB to the home page's JS (measured when this test was written).
    const html = await (await fetch(`${base}/`)).text();
    const js = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const body = await (await fetch(`${base}${js}`)).text();
    expect(body).toContain('^[0-9]{1,15}$');
    expect(body).not.toContain('ZodError');
  });

  it('answers client-side routes with the app shell, and /healthz with 200', async () => {
    for (const path of ['/p/1', '/c/groceries?page=2', '/admin/products', '/orders/abc']) {
      const r = await fetch(`${base}${path}`);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('<div id="root">');
      expect(r.headers.get('cache-control')).toBe('no-cache');
    }
    const h = await fetch(`${base}/healthz`);
    expect(h.status).toBe(200);
    expect(await h.text()).toBe('ok\n');
  });

  it('serves the product images the seed data names', async () => {
    const r = await fetch(`${base}/img/categories/groceries.svg`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('runs as uid 10001 with a healthcheck and OCI labels', () => {
    const cfg = JSON.parse(docker('inspect', '--format', '{{json .Config}}', ref!)) as {
      User: string;
      Healthcheck?: { Test: string[] };
      Labels: Record<string, string>;
      ExposedPorts: Record<string, unknown>;
    };
    expect(cfg.User).toBe('10001:10001');
    expect(cfg.Healthcheck?.Test.join(' ')).toContain('/healthz');
    expect(cfg.Labels['org.opencontainers.image.title']).toBe('dhakacart-web');
    expect(cfg.Labels['org.opencontainers.image.source']).toBeTruthy();
    expect(Object.keys(cfg.ExposedPorts)).toEqual(['8080/tcp']);
    expect(docker('exec', id, 'id', '-u')).toBe('10001');
  });

  it('becomes healthy by its own HEALTHCHECK', async () => {
    const deadline = Date.now() + 30000;
    let status = '';
    while (Date.now() < deadline) {
      status = docker('inspect', '--format', '{{.State.Health.Status}}', id);
      if (status === 'healthy') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(status).toBe('healthy');
  });
});
