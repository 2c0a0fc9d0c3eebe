import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './paths';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Sequencer = require(join(REPO_ROOT, 'scripts', 'jest-sequencer.cjs')) as {
  new (): { sort(tests: { path: string }[]): { path: string }[] };
  LAB_ORDER: string[];
};

const SKIP = new Set(['node_modules', '.git', '.cache', '.lab', 'dist', 'test-artifacts']);

/** Every test that runs against the lab (part 2 of `npm test`): *.lab.test.ts, and the e2e. */
function labTestFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? SKIP.has(e.name)
          ? []
          : walk(join(dir, e.name))
        : /\.test\.tsx?$/.test(e.name)
          ? [join(dir, e.name)]
          : [],
    );
  return walk(REPO_ROOT)
    .map((f) => relative(REPO_ROOT, f))
    .filter((f) => /\.lab\.test\.ts$/.test(f) || f.startsWith('app/web/e2e/'));
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
  expect(sorted.at(-1)).toBe('infra/lab/src/monitoring-alerts.lab.test.ts');
});
