import { spawnSync } from 'node:child_process';
import path from 'node:path';

const CLI = path.join(__dirname, 'cli.ts');

test.each(['0x10', '1e2', ' 150', '150.0'])(
  'gameday --visitors %j is refused with exit 2 before anything runs',
  (visitors) => {
    // Number(text) read each as a visitor count; the flag is checked before the lab is touched.
    const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--visitors', visitors], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ code: r.status, err: r.stderr.split('\n')[0] }).toEqual({
      code: 2,
      err: expect.stringMatching(/^gameday: --visitors must be a whole number from 1 to [0-9,]+$/),
    });
  },
);
