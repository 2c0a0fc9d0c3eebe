import { readFileSync } from 'node:fs';
import { SEARCH_TERMS } from '../model/journeys';
import { browseMixPaths, writePathsFile } from './browse-mix';

const slugs = ['groceries', 'fashion', 'electronics', 'home'];

test('the browse mix spreads over every product given, all 20 search terms and every category', () => {
  const paths = browseMixPaths(101, 500, slugs);
  expect(paths.length).toBeGreaterThanOrEqual(990);
  const products = new Set(paths.filter((p) => /^\/api\/products\/\d+$/.test(p)));
  const searches = new Set(paths.map((p) => /[?&]q=([a-z]+)/.exec(p)?.[1]).filter(Boolean));
  const categories = new Set(paths.map((p) => /category=([a-z]+)/.exec(p)?.[1]).filter(Boolean));
  expect(products.size).toBe(500);
  expect([...searches].sort()).toEqual([...SEARCH_TERMS].sort());
  expect([...categories].sort()).toEqual([...slugs].sort());
  for (const p of products) {
    const id = Number(p.split('/').pop());
    expect(id).toBeGreaterThanOrEqual(101);
    expect(id).toBeLessThan(601);
  }
});

test('half product pages, three in ten listings, two in ten searches', () => {
  const paths = browseMixPaths(1, 1000, slugs);
  const share = (re: RegExp) => paths.filter((p) => re.test(p)).length / paths.length;
  expect(share(/^\/api\/products\/\d+$/)).toBeCloseTo(0.5, 2);
  expect(share(/category=/)).toBeCloseTo(0.3, 2);
  expect(share(/[?&]q=/)).toBeCloseTo(0.2, 2);
});

test('the paths file that wrk reads holds the same paths, one per line', () => {
  const paths = browseMixPaths(1, 50, slugs);
  const lines = readFileSync(writePathsFile(paths), 'utf8').trim().split('\n');
  expect(lines).toEqual(paths);
});
