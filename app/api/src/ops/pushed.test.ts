import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LOAD_SERIES, PUSHED_QUERIES } from './pushed';

// The load runner pushes from inside its run loop; this keeps the names the board reads equal to
// the ones it pushes. (chaos/src/gameday/board-series.test.ts does the same for the game day.)
test('the load runner pushes every series the load-run tile reads, under its job and testid', () => {
  const runner = readFileSync(
    join(dirname(require.resolve('@dhakacart/loadtests/package.json')), 'src/run/runner.ts'),
    'utf8',
  );
  const { job, ...series } = LOAD_SERIES;
  for (const name of Object.values(series))
    expect([name, runner.includes(`'${name}'`)]).toEqual([name, true]);
  expect(runner).toMatch(new RegExp(`push\\(o\\.pushgatewayUrl, '${job}', \\{ testid \\}`));
  for (const q of Object.values(PUSHED_QUERIES).filter((x) => x.includes('loadtest')))
    expect(q).toContain(`job="${job}"`);
});
