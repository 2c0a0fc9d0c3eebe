/**
 * @jest-environment node
 */
// The storefront's seven journeys in a real browser (Debian's Chromium via playwright-core),
// against a running store: the web image (or `vite preview`) in front of the real API, Postgres
// and Redis. E2E_BASE_URL names the store; without it this file skips loudly (see README).
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { formatBDT } from '../src/lib/money';
import { expectAccessible } from './support/axe';
import { launch, newShopper, screenshot, type PageProblems } from './support/browser';
import { readE2eConfig } from './support/config';

const SHOTS = join(__dirname, '..', '..', '..', 'test-artifacts', 'screenshots');
const cfg = readE2eConfig(process.env, SHOTS);

if (!cfg) {
  console.warn(
    [
      '',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '!! web e2e: E2E_BASE_URL is not set, so the 7 browser journeys are SKIPPED.              !!',
      '!! Start the store (web + API + Postgres + Redis) and set E2E_BASE_URL to run them.      !!',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '',
    ].join('\n'),
  );
}

const d = cfg ? describe : describe.skip;
jest.setTimeout(120000);

interface ApiProduct {
  id: number;
  name: string;
  sku: string;
  pricePaisa: number;
  stock: number;
  category: string;
}

function expectNoProblems(p: PageProblems) {
  expect(p.errors).toEqual([]);
}

async function inStockProducts(page: Page, q: string, n: number): Promise<ApiProduct[]> {
  const r = await page.request.get(`/api/products?q=${encodeURIComponent(q)}&pageSize=50`);
  expect(r.status()).toBe(200);
  const items = ((await r.json()) as { items: ApiProduct[] }).items.filter((p) => p.stock >= 10);
  expect(items.length).toBeGreaterThanOrEqual(n);
  return items.slice(0, n);
}

d('storefront journeys in Chromium', () => {
  let browser: Browser;
  const c = cfg!;
  // Shared between journeys 3, 4 and 6: the customer who registered.
  const customer = {
    email: `e2e-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.test`,
    password: 'correct horse battery',
    name: 'Nusrat Jahan',
  };
  let customerShopper: Awaited<ReturnType<typeof newShopper>>;
  let orderId = '';

  beforeAll(async () => {
    browser = await launch(c.chromiumPath);
    customerShopper = await newShopper(browser, c.baseUrl);
  });

  afterAll(async () => {
    await customerShopper?.context.close();
    await browser?.close();
  });

  test('1. browse a category and search', async () => {
    const { page, problems, context } = await newShopper(browser, c.baseUrl);
    await page.goto('/');
    await expect(
      page.getByRole('heading', { name: 'Featured products' }).isVisible(),
    ).resolves.toBe(true);
    const categories = page.getByRole('region', { name: 'Categories' }).getByRole('link');
    await categories.first().waitFor();
    expect(await categories.count()).toBeGreaterThanOrEqual(10);
    await page.locator('.product-card').first().waitFor();
    // Prices are BDT with Bangladeshi grouping.
    expect(await page.locator('.product-card .price').first().textContent()).toMatch(
      /^৳[\d,]+\.\d\d$/,
    );
    await screenshot(page, c.screenshotDir, '01-home');
    await expectAccessible(page, 'home');

    const firstCategory = (await categories.first().textContent())!.trim();
    await categories.first().click();
    await page.getByRole('heading', { level: 1, name: firstCategory }).waitFor();
    await page.locator('.product-card').first().waitFor();
    expect(await page.locator('.product-card').count()).toBe(24);
    const pagination = page.getByRole('navigation', { name: 'Pagination' });
    expect(await pagination.getByText(/Page 1 of \d+/).isVisible()).toBe(true);
    const firstOnPage1 = await page.locator('.product-name').first().textContent();
    await pagination.getByRole('link', { name: 'Next page' }).click();
    await pagination.getByText(/Page 2 of \d+/).waitFor();
    await page.locator('.product-card').first().waitFor();
    expect(await page.locator('.product-name').first().textContent()).not.toBe(firstOnPage1);
    // Images have explicit dimensions and load lazily below the fold.
    const img = page.locator('.product-card img').nth(10);
    expect(await img.getAttribute('width')).toBeTruthy();
    expect(await img.getAttribute('height')).toBeTruthy();
    expect(await img.getAttribute('loading')).toBe('lazy');
    await screenshot(page, c.screenshotDir, '02-category-page-2');
    await expectAccessible(page, 'category');

    const search = page.getByRole('searchbox', { name: 'Search' });
    await search.fill('rice');
    await search.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Search results for “rice”' }).waitFor();
    await page.locator('.product-card').first().waitFor();
    const names = await page.locator('.product-name').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => /rice/i.test(n)).length).toBeGreaterThanOrEqual(
      Math.ceil(names.length / 2),
    );
    await screenshot(page, c.screenshotDir, '03-search-rice');
    await expectAccessible(page, 'search');

    // The same home page on a phone-sized screen.
    const phone = await newShopper(browser, c.baseUrl, { width: 390, height: 844 });
    await phone.page.goto('/');
    await phone.page.locator('.product-card').first().waitFor();
    await screenshot(phone.page, c.screenshotDir, '01b-home-phone');
    expectNoProblems(phone.problems);
    await phone.context.close();

    expectNoProblems(problems);
    await context.close();
  });

  test('2. add two products and change a quantity', async () => {
    const { page, problems } = customerShopper;
    const [a, b] = await inStockProducts(page, 'tea', 2);
    await page.goto(`/p/${a!.id}`);
    await page.getByRole('heading', { level: 1, name: a!.name }).waitFor();
    expect(await page.getByText(formatBDT(a!.pricePaisa)).first().isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByText('Added to your cart.').waitFor();
    await screenshot(page, c.screenshotDir, '04-product-added');
    await expectAccessible(page, 'product');

    await page.goto(`/p/${b!.id}`);
    await page.getByRole('heading', { level: 1, name: b!.name }).waitFor();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByText('Added to your cart.').waitFor();

    await page.getByRole('link', { name: /^Cart \(2\)$/ }).click();
    await page.getByRole('heading', { name: 'Your cart' }).waitFor();
    expect(await page.locator('.cart-table tbody tr').count()).toBe(2);
    await page.getByRole('button', { name: `Increase quantity of ${a!.name}` }).click();
    await page
      .getByText(`3 items · Total: ${formatBDT(a!.pricePaisa * 2 + b!.pricePaisa)}`)
      .waitFor();
    expect(
      await page.getByRole('spinbutton', { name: `Quantity of ${a!.name}` }).inputValue(),
    ).toBe('2');
    await page.getByRole('link', { name: /^Cart \(3\)$/ }).waitFor();
    await screenshot(page, c.screenshotDir, '05-cart');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, c.screenshotDir, '05b-cart-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await expectAccessible(page, 'cart');
    expectNoProblems(problems);
  });

  test('3. register and check out (keyboard only, Enter pressed twice)', async () => {
    const { page, problems } = customerShopper;
    await page.getByRole('button', { name: 'Checkout' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await expectAccessible(page, 'register');
    await page.getByLabel('Name').fill(customer.name);
    await page.getByLabel('Email').fill(customer.email);
    await page.getByLabel('Password').fill(customer.password);
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    // The guest cart followed the customer into their new account.
    await page.getByText(/^3 items, total/).waitFor();

    // Keyboard only from here: Tab between fields, Space picks the payment method, Enter submits.
    await page.getByLabel('Name').focus();
    expect(await page.getByLabel('Name').inputValue()).toBe(customer.name);
    await page.keyboard.press('Tab');
    await page.keyboard.type('01712345678');
    await page.keyboard.press('Tab');
    await page.keyboard.type('House 7, Road 2, Dhanmondi');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Dhaka');
    await page.keyboard.press('Tab');
    await page.keyboard.type('1205');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.getByLabel('bKash').isChecked()).toBe(true);
    await screenshot(page, c.screenshotDir, '06-checkout-filled');
    await expectAccessible(page, 'checkout');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Place order');
    // A double submit must still make one order (checked in journey 4).
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Order confirmed' }).waitFor({ timeout: 30000 });
    const status = await page
      .getByRole('status')
      .filter({ hasText: 'has been placed' })
      .textContent();
    orderId = /#([0-9a-f-]{36})/.exec(status ?? '')?.[1] ?? '';
    expect(orderId).not.toBe('');
    await page.getByRole('link', { name: /^Cart \(0\)$/ }).waitFor();
    await screenshot(page, c.screenshotDir, '07-order-confirmed');
    await expectAccessible(page, 'order confirmation');
    expectNoProblems(problems);
  });

  test('4. see the order under "My orders"', async () => {
    const { page, problems } = customerShopper;
    await page.getByRole('link', { name: 'My orders', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'My orders' }).waitFor();
    const rows = page.locator('.order-table tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1); // Enter pressed twice, one order
    expect(await rows.first().textContent()).toContain(`#${orderId}`);
    await screenshot(page, c.screenshotDir, '08-my-orders');
    await expectAccessible(page, 'my orders');
    await page.getByRole('link', { name: `#${orderId}` }).click();
    await page.getByRole('heading', { name: `Order #${orderId}` }).waitFor();
    expectNoProblems(problems);
  });

  test('extra: a page chunk missing during a rolling deploy reloads once and the page recovers', async () => {
    const { page, problems, context } = await newShopper(browser, c.baseUrl);
    let served404 = 0;
    // The first request for the category page's chunk answers 404, as an old pod would.
    await page.route(/\/assets\/CategoryPage-[^/]*\.js$/, (route) =>
      served404++ === 0 ? route.fulfill({ status: 404, body: 'not found' }) : route.continue(),
    );
    const loads: string[] = [];
    page.on('load', () => loads.push(new URL(page.url()).pathname));
    await page.goto('/');
    const first = page.getByRole('region', { name: 'Categories' }).getByRole('link').first();
    await first.waitFor();
    const href = await first.getAttribute('href');
    const name = (await first.textContent())!.trim();
    await first.click();
    // The category page itself, not the home page's product cards, which stay on screen while
    // the navigation waits for the chunk (a React transition keeps the old page).
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await page.locator('.result-count').waitFor();
    expect(served404).toBeGreaterThanOrEqual(2);
    expect(loads).toEqual(['/', href]);
    expectNoProblems(problems);
    await context.close();
  });

  const adminTest = cfg?.admin ? test : test.skip;
  adminTest('5. log in as admin and change a product stock; the storefront shows it', async () => {
    const { page, problems, context } = await newShopper(browser, c.baseUrl);
    const [target] = await inStockProducts(page, 'soap', 1);
    await page.goto('/login');
    await page.getByLabel('Email').fill(c.admin!.email);
    await page.getByLabel('Password').fill(c.admin!.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { level: 1, name: 'Products' }).waitFor();
    await page.getByLabel('Find products').fill(target!.name);
    await page.getByRole('button', { name: 'Find' }).click();
    const stock = page.getByLabel(`Stock for ${target!.name}`);
    await stock.waitFor();
    const newStock = 2 + Math.floor(Math.random() * 3); // 2..4 shows as "Only N left"
    await stock.fill(String(newStock));
    await page.getByRole('button', { name: `Save ${target!.name}` }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await screenshot(page, c.screenshotDir, '09-admin-products');
    await expectAccessible(page, 'admin products');

    const shopper = await newShopper(browser, c.baseUrl);
    await shopper.page.goto(`/p/${target!.id}`);
    await shopper.page.getByText(`Only ${newStock} left`).waitFor();
    await screenshot(shopper.page, c.screenshotDir, '10-product-new-stock');
    expectNoProblems(shopper.problems);
    await shopper.context.close();

    // Put the seed's stock back so reruns and other tests see the catalogue as seeded.
    const r = await page.request.patch(`/api/admin/products/${target!.id}`, {
      data: { stock: target!.stock },
      headers: { Origin: c.origin },
    });
    expect(r.status()).toBe(200);
    expectNoProblems(problems);
    await context.close();
  });

  test('6. a customer who opens an admin URL is refused', async () => {
    const { page, problems } = customerShopper;
    if ((await page.request.get('/api/auth/me')).status() === 401) {
      // Run on its own (jest -t), journey 3 did not register anyone: make a customer here.
      const r = await page.request.post('/api/auth/register', {
        data: customer,
        headers: { Origin: c.origin },
      });
      expect(r.status()).toBe(201);
    }
    await page.goto('/admin/products');
    await page.getByRole('heading', { name: 'Access denied' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Products' }).count()).toBe(0);
    await screenshot(page, c.screenshotDir, '11-admin-refused');
    await expectAccessible(page, 'access denied');
    await page.goto('/admin/orders');
    await page.getByRole('heading', { name: 'Access denied' }).waitFor();
    // The API refuses too: the page is only a convenience.
    expect((await page.request.get('/api/admin/orders')).status()).toBe(403);

    // And log out: the session is gone on the server too.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Log in' }).waitFor();
    expect((await page.request.get('/api/auth/me')).status()).toBe(401);
    expectNoProblems(problems);
  });

  const outageTest = cfg?.apiStop && cfg.apiStart ? test : test.skip;
  if (cfg && !(cfg.apiStop && cfg.apiStart)) {
    console.warn(
      'web e2e: E2E_API_STOP_CMD / E2E_API_START_CMD not set: journey 7 (API stopped) is SKIPPED.',
    );
  }
  outageTest(
    '7. with the API stopped the page shows the error state; after it restarts, retry works',
    async () => {
      // Two shoppers. One is at checkout: a failed "Place order" never retries by itself, so its
      // Retry button is the deterministic proof that retry works. The other is browsing and
      // touches nothing: its page must say the API is down and then recover on its own.
      const buyer = await newShopper(browser, c.baseUrl);
      const browsing = await newShopper(browser, c.baseUrl);
      const headers = { Origin: c.origin };
      const email = `e2e-outage-${Date.now()}@example.test`;
      const reg = await buyer.page.request.post('/api/auth/register', {
        data: { email, password: 'correct horse battery', name: 'Rafiq Islam' },
        headers,
      });
      expect(reg.status()).toBe(201);
      const [item] = await inStockProducts(buyer.page, 'juice', 1);
      const put = await buyer.page.request.put(`/api/cart/items/${item!.id}`, {
        data: { quantity: 1 },
        headers,
      });
      expect(put.status()).toBe(200);
      await buyer.page.goto('/checkout');
      await buyer.page.getByLabel('Phone').fill('01812345678');
      await buyer.page.getByLabel('Address').fill('Flat 3B, 12 Agrabad Road');
      await buyer.page.getByLabel('City').fill('Chattogram');
      await buyer.page.getByLabel('Postal code').fill('4100');
      await buyer.page.getByLabel('Cash on delivery').check();

      const categoryLinks = browsing.page
        .getByRole('region', { name: 'Categories' })
        .getByRole('link');
      await browsing.page.goto('/');
      await categoryLinks.nth(1).waitFor();
      const name = (await categoryLinks.nth(1).textContent())!.trim();

      // The edge has one backend per journey, each checking the replicas on its own, so one
      // journey may go, or come back, a few checks after another (on a loaded machine, seconds).
      // A replica that is stopping drains: it still serves a backend that has not yet seen it
      // go, so a "Place order" sent as soon as the catalogue is gone can still succeed. Each
      // journey below is answered by the api (2xx, or 4xx for an order without a body) while a
      // replica serves it, and by the edge (503) when none does; the test waits for every one,
      // going and coming back.
      const journeys: [string, () => Promise<number>][] = [
        [
          'the catalogue',
          () =>
            buyer.page.request.get('/api/categories', { timeout: 3000 }).then((r) => r.status()),
        ],
        [
          'checkout',
          () =>
            buyer.page.request
              .post('/api/orders', { data: {}, headers, timeout: 3000 })
              .then((r) => r.status()),
        ],
        [
          'the cart',
          () => buyer.page.request.get('/api/cart', { timeout: 3000 }).then((r) => r.status()),
        ],
        [
          'orders and accounts',
          () => buyer.page.request.get('/api/orders', { timeout: 3000 }).then((r) => r.status()),
        ],
      ];
      // Going, one round in which every journey is refused is enough. Coming back, the replicas
      // join one at a time and each backend checks them on its own: a lone first replica, still
      // warming up on a busy machine, can fail a backend's checks and leave that journey without
      // a server for a few seconds (seen in CI: the order was placed, and the next GET
      // /api/orders met the edge's 503). So the test waits for three rounds in a row, a second
      // apart, in which every journey is served, before it retries and hands the lab on.
      const waitForEveryJourney = async (up: boolean, timeoutMs: number, rounds = 1) => {
        const deadline = Date.now() + timeoutMs;
        for (let inARow = 0; ;) {
          let allAsWanted = true;
          const last: string[] = [];
          for (const [journey, answer] of journeys) {
            const status = await answer().catch(() => 0);
            const served = status >= 200 && status < 500;
            last.push(`${journey} ${status}`);
            if (served !== up) allAsWanted = false;
          }
          inARow = allAsWanted ? inARow + 1 : 0;
          if (inARow >= rounds) return;
          if (Date.now() > deadline)
            throw new Error(
              `the journeys did not ${up ? 'come back' : 'go'} within ${timeoutMs / 1000} s ` +
                `(${rounds} round(s) in a row wanted; last answers: ${last.join(', ')})`,
            );
          await buyer.page.waitForTimeout(allAsWanted ? 1000 : 500);
        }
      };

      let stopped = false;
      try {
        execSync(c.apiStop!, { stdio: 'inherit', timeout: 120000 });
        stopped = true;
        await waitForEveryJourney(false, 90000);

        // Browsing: the app is loaded, but the next page needs the API, which is gone.
        await categoryLinks.filter({ hasText: name }).first().click();
        await browsing.page.getByRole('heading', { level: 1, name }).waitFor();
        await browsing.page.getByRole('button', { name: 'Retry' }).waitFor({ timeout: 30000 });
        await browsing.page.getByText('The store is having trouble right now.').waitFor();
        await screenshot(browsing.page, c.screenshotDir, '12-api-down-browsing');

        // Checkout: the order cannot be placed; the page says so and offers a safe retry.
        await buyer.page.getByRole('button', { name: 'Place order' }).click();
        await buyer.page
          .getByRole('alert')
          .filter({ hasText: 'Retrying is safe' })
          .waitFor({ timeout: 30000 });
        await buyer.page.getByText('The store is having trouble right now.').waitFor();
        await screenshot(buyer.page, c.screenshotDir, '12-api-down-checkout');
        await expectAccessible(buyer.page, 'checkout, API down');
      } finally {
        if (stopped) execSync(c.apiStart!, { stdio: 'inherit', timeout: 180000 });
      }
      await waitForEveryJourney(true, 180000, 3);
      await buyer.page.getByRole('button', { name: 'Retry' }).click();
      await buyer.page
        .getByRole('heading', { name: 'Order confirmed' })
        .waitFor({ timeout: 30000 });
      await screenshot(buyer.page, c.screenshotDir, '13-retry-order-confirmed');
      const mine = (await (await buyer.page.request.get('/api/orders')).json()) as {
        total: number;
      };
      expect(mine.total).toBe(1);

      // The browsing page recovers with no click (the probe backs off to at most 10 s).
      await browsing.page.locator('.product-card').first().waitFor({ timeout: 30000 });
      await browsing.page
        .getByText('The store is having trouble right now.')
        .waitFor({ state: 'detached', timeout: 30000 });
      await screenshot(browsing.page, c.screenshotDir, '13-api-recovered-browsing');
      expectNoProblems(buyer.problems);
      expectNoProblems(browsing.problems);
      await buyer.context.close();
      await browsing.context.close();
    },
  );
});
