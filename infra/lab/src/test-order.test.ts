import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './paths';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Sequencer = require('../../../scripts/jest-sequencer.cjs') as {
  new (): { sort(tests: { path: string }[]): { path: string }[] };
  LAB_ORDER: string[];
};

/** Every test file under the folders whose tests run against the lab (part 2 of `npm test`). */
function labTestFiles(): string[] {
  const dirs = ['infra/lab/src', 'app/web/e2e', 'tools/swarm-exporter/lab'];
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? walk(join(dir, e.name))
        : /\.test\.tsx?$/.test(e.name)
          ? [join(dir, e.name)]
          : [],
    );
  return dirs.flatMap((d) => walk(join(REPO_ROOT, d))).map((f) => relative(REPO_ROOT, f));
}

test('every lab test file has its place in the order, and every place names a file', () => {
  const files = labTestFiles().sort();
  expect([...Sequencer.LAB_ORDER].sort()).toEqual(files);
});

test('the lab tests run in the fixed order, the alert end-to-end test last', () => {
  const s = new Sequencer();
  const lab = Sequencer.LAB_ORDER.map((f) => ({ path: join(REPO_ROOT, f) }));
  const shuffled = [...lab].reverse();
  const sorted = s.sort(shuffled).map((t) => relative(REPO_ROOT, t.path));
  expect(sorted).toEqual(Sequencer.LAB_ORDER);
  expect(sorted.at(-1)).toBe('infra/lab/src/monitoring-alerts.test.ts');
});
