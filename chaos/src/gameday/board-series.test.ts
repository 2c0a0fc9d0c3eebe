import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GAMEDAY_SERIES } from '@dhakacart/api/src/ops/pushed';

// publish() (run.ts) pushes at the end of a game day; the ops board's game-day tile reads the
// same names under the same job (app/api/src/ops/pushed.ts).
test('publish() pushes every series the ops board reads, under the job it reads', () => {
  const run = readFileSync(join(__dirname, 'run.ts'), 'utf8');
  const publish = run.slice(run.indexOf('async function publish('));
  const { job, ...series } = GAMEDAY_SERIES;
  for (const name of Object.values(series))
    expect([name, publish.includes(`'${name}'`)]).toEqual([name, true]);
  expect(publish).toContain(`await push(url, '${job}', {}, samples);`);
});
