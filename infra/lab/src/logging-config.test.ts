import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOGGING_IMAGES, logsStackEnv } from './logging';
import { LAB_ROOT } from './paths';

test('every variable stack.logging.yml interpolates is set by logsStackEnv', () => {
  const file = readFileSync(join(LAB_ROOT, 'stack.logging.yml'), 'utf8');
  const used = new Set([...file.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!));
  const refs = Object.fromEntries(LOGGING_IMAGES.map((i) => [i, `dhakacart/${i}:test`]));
  expect(new Set(Object.keys(logsStackEnv(refs)))).toEqual(used);
  expect(() => logsStackEnv({})).toThrow(/victoria-logs/);
});
