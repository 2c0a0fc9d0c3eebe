/**
 * @jest-environment node
 */
// The ops status board (/ops) in Chromium against the lab: an admin sees live tiles built from
// the lab's Prometheus, and a customer is refused by the page and by the API. Runs where the
// storefront journeys run (E2E_BASE_URL; scripts/test.sh part 2); skips loudly without it.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible } from './support/axe';
import { launch, newShopper, screenshot } from './support/browser';
import { readE2eConfig } from './support/config';

const SHOTS = join(__dirname, '..', '..', '..', 'test-artifacts', 'screenshots');
const cfg = readE2eConfig(process.env, SHOTS);
if (!cfg) console.warn('web e2e: E2E_BASE_URL is not set, so the ops board tests are SKIPPED.');
if (cfg && !cfg.admin) {
  console.warn(
    'web e2e: no admin credentials (E2E_ADMIN_CREDENTIALS_FILE): the ops board as admin is SKIPPED.',
  );
}

const d = cfg ? describe : describe.skip;
jest.setTimeout(120000);

interface Board {
  slos: { id: string; status: string }[];
  services: { name: string; status: string }[];
}

/** The lab's Prometheus may still be starting after a deploy: wait for a board from the API. */
async function waitForBoard(page: Page, timeoutMs = 90000): Promise<Board> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const r = await page.request.get('/api/ops/status', { timeout: 10000 }).catch((e: Error) => e);
    if (!(r instanceof Error) && r.status() === 200) return (await r.json()) as Board;
    last = r instanceof Error ? r.message : `${r.status()} ${await r.text()}`;
    if (Date.now() > deadline)
      throw new Error(`no ops board from the API in ${timeoutMs} ms: ${last}`);
    await page.waitForTimeout(2000);
  }
}

d('ops status board in Chromium', () => {
  let browser: Browser;
  const c = cfg!;

  beforeAll(async () => {
    browser = await launch(c.chromiumPath);
  });
  afterAll(async () => {
    await browser?.close();
  });

  const adminTest = cfg?.admin ? test : test.skip;
  adminTest(
    'an admin opens /ops and sees coloured SLO and service tiles from Prometheus',
    async () => {
      const { page, problems, context } = await newShopper(browser, c.baseUrl);
      await page.goto('/login?next=%2Fops');
      await page.getByLabel('Email').fill(c.admin!.email);
      await page.getByLabel('Password').fill(c.admin!.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page
        .getByRole('link', { name: 'Ops', exact: true })
        .waitFor()
        .catch(async (e: Error) => {
          // Say why (rate limit, wrong credentials, API down) rather than only "timeout".
          const said = await page.getByRole('alert').allTextContents();
          throw new Error(`admin login did not complete: ${said.join(' | ') || e.message}`);
        });
      const api = await waitForBoard(page);
      expect(api.slos.map((s) => s.id).sort()).toEqual([
        'dhakacart-browse-availability',
        'dhakacart-browse-latency',
        'dhakacart-cart-availability',
        'dhakacart-checkout-availability',
        'dhakacart-checkout-latency',
        'dhakacart-checkout-success',
      ]);
      expect(api.services.map((s) => s.name)).toContain('api');

      await page.getByRole('link', { name: 'Ops', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Ops status' }).waitFor();
      const slos = page.getByRole('list', { name: 'SLOs' }).locator(':scope > .ops-tile');
      await slos.first().waitFor();
      expect(await slos.count()).toBe(6);
      for (const cls of await slos.evaluateAll((els) => els.map((e) => e.className))) {
        expect(cls).toMatch(/\bstatus-(green|yellow|red|unknown)\b/);
      }
      const apiTile = page
        .getByRole('list', { name: 'Services' })
        .getByRole('listitem', { name: /^api: (OK|Warning|Critical|No data)$/ });
      await apiTile.waitFor();
      expect(await apiTile.getByText(/^\d+\/\d+ up/).isVisible()).toBe(true);
      // The load run, the last game day and the error lines: each coloured, or No data with why.
      const runs = page.getByRole('list', { name: 'Load, game day and logs' });
      for (const name of ['Load run', 'Game day', 'Logs'])
        await runs
          .getByRole('listitem', { name: new RegExp(`^${name}: (OK|Warning|Critical|No data)$`) })
          .waitFor();
      await page.getByRole('heading', { name: /^Firing alerts \(\d+\)$/ }).waitFor();
      await page.getByText(/^Updated .*refreshes every 15 s\.$/).waitFor();
      const file = await screenshot(page, c.screenshotDir, 'ops-board');
      console.log(`ops board screenshot: ${file}`);
      await expectAccessible(page, 'ops board');
      expect(problems.errors).toEqual([]);
      await context.close();
    },
  );

  test('a customer is refused /ops by the page and by the API', async () => {
    const { page, problems, context } = await newShopper(browser, c.baseUrl);
    const r = await page.request.post('/api/auth/register', {
      data: {
        email: `e2e-ops-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.test`,
        password: 'correct horse battery',
        name: 'Sadia Rahman',
      },
      headers: { Origin: c.origin },
    });
    expect(r.status()).toBe(201);
    await page.goto('/ops');
    await page.getByRole('heading', { name: 'Access denied' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Ops status' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Ops', exact: true }).count()).toBe(0);
    const api = await page.request.get('/api/ops/status');
    expect(api.status()).toBe(403);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    await screenshot(page, c.screenshotDir, 'ops-refused-customer');
    expect(problems.errors).toEqual([]);
    await context.close();
  });
});
