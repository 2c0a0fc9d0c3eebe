import { actionlint } from './actionlint';
import { repoWorkflows, workflow } from './testing';

describe('actionlint on the workflows', () => {
  it('finds nothing in any workflow of the repository', async () => {
    const files = repoWorkflows();
    expect(files.map((f) => f.file)).toEqual(
      expect.arrayContaining(
        ['ci', 'deploy', 'nightly', 'backup-drill', 'notify'].map(
          (n) => `.github/workflows/${n}.yml`,
        ),
      ),
    );
    expect(await actionlint(files)).toEqual([]);
  });

  it('catches a step output that does not exist and a job that is not there', async () => {
    const f = workflow('deploy.yml');
    const broken = f.text
      .replace('${{ steps.refs.outputs.api }}', '${{ steps.refz.outputs.api }}')
      .replace('needs: [build, staging]', 'needs: [build, stagin]');
    const found = await actionlint([{ file: f.file, text: broken }]);
    expect(found.map((x) => x.rule)).toEqual(
      expect.arrayContaining(['actionlint/expression', 'actionlint/job-needs']),
    );
  });

  it('catches an invalid schedule and an unknown event', async () => {
    const text = [
      'on:',
      '  schedule:',
      "    - cron: '61 * * * *'",
      '  pushh:',
      'permissions: {}',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-24.04',
      '    permissions: {}',
      '    steps:',
      '      - run: echo hi',
      '',
    ].join('\n');
    const rules = (await actionlint([{ file: 'x.yml', text }])).map((x) => x.rule);
    expect(rules).toEqual(expect.arrayContaining(['actionlint/events']));
    expect(rules.length).toBeGreaterThanOrEqual(2);
  });
});
