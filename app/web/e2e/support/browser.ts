// Debian's Chromium driven by playwright-core: no browser download, no sandbox (we run as root
// in CI), and nothing phoning home.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launch(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/** The lab's edge uses a local CA: certificate errors are accepted for loopback stores only. */
export function isLoopback(url: string): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);
}

/** Problems a shopper would hit: uncaught errors and anything the CSP blocked. */
export interface PageProblems {
  errors: string[];
}

export async function newShopper(
  browser: Browser,
  baseURL: string,
  viewport = { width: 1280, height: 900 },
) {
  const context: BrowserContext = await browser.newContext({
    ignoreHTTPSErrors: isLoopback(baseURL),
    baseURL,
    viewport,
    locale: 'en-GB',
    timezoneId: 'Asia/Dhaka',
  });
  context.setDefaultTimeout(15000);
  const problems: PageProblems = { errors: [] };
  const page: Page = await context.newPage();
  page.on('pageerror', (e) => problems.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    const text = m.text();
    if (m.type() === 'error' && /Content Security Policy|unhandled rejection/i.test(text))
      problems.errors.push(`console: ${text}`);
  });
  return { context, page, problems };
}

export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
