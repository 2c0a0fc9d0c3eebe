// axe-core accessibility audit of the page as the browser rendered it. The engine is injected
// over the DevTools protocol, which the page's CSP does not govern, so the store's real CSP stays on.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface A11yViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

export async function a11yViolations(page: Page): Promise<A11yViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    type AxeResult = {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: string[] }[];
      }[];
    };
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResult> } }
    ).axe;
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
}

/** Serious and critical WCAG 2.1 A/AA problems only; minor ones are printed, not failed. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const all = await a11yViolations(page);
  const minor = all.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
  if (minor.length) console.warn(`a11y (${label}), minor: ${JSON.stringify(minor)}`);
  const blocking = all.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect({ page: label, violations: blocking }).toEqual({ page: label, violations: [] });
}
