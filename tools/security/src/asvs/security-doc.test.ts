import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../tools';
import { ASVS_L2_IDS, asvsRows, declaresTest, securityDocProblems } from './security-doc';

const DOC = readFileSync(join(REPO_ROOT, 'docs', 'security.md'), 'utf8');

test('docs/security.md maps every ASVS Level 2 requirement, and every test and file it names exists', () => {
  expect(ASVS_L2_IDS).toHaveLength(259);
  expect(asvsRows(DOC).map((r) => r.id)).toEqual(ASVS_L2_IDS);
  expect(securityDocProblems(DOC, REPO_ROOT)).toEqual([]);
});

test('a renamed test, a missing file, a missing requirement or a bare "Met" is reported', () => {
  const row = (id: string, status: string, evidence: string) =>
    `| ${id} | text | ${status} | ${evidence} |`;
  const good = ASVS_L2_IDS.map((id) => row(id, 'N/A', 'not applicable here, for a stated reason'));
  const broken = [
    ...good.slice(0, 2),
    row(
      ASVS_L2_IDS[2]!,
      'Met',
      '`app/api/src/http/auth.test.ts` › "logout ends the session, renamed"',
    ),
    row(ASVS_L2_IDS[3]!, 'Met', 'trust us, it is fine'),
    row(ASVS_L2_IDS[4]!, 'Partly', 'see `infra/lab/haproxy/nowhere.cfg`'),
    row(ASVS_L2_IDS[5]!, 'Done', 'an unknown status word here'),
    ...good.slice(7),
  ].join('\n');
  expect(securityDocProblems(broken, REPO_ROOT)).toEqual([
    `Level 2 requirements missing from the map: ${ASVS_L2_IDS[6]}`,
    `${ASVS_L2_IDS[3]}: Met but names no test and no file`,
    `${ASVS_L2_IDS[5]}: status "Done" is not one of Met, Partly, Gap, N/A`,
    'app/api/src/http/auth.test.ts has no test named "logout ends the session, renamed"',
    'infra/lab/haproxy/nowhere.cfg does not exist',
  ]);
});

test('a test name counts only as the name of a test or it call', () => {
  const src =
    "test('logs in', () => {});\nit(\n  \"logs out\", () => {});\nconst x = 'not a test';";
  expect(declaresTest(src, 'logs in')).toBe(true);
  expect(declaresTest(src, 'logs out')).toBe(true);
  expect(declaresTest(src, 'not a test')).toBe(false);
  expect(declaresTest(src, 'logs')).toBe(false);
});
