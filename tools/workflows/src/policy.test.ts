import {
  leastPrivilege,
  noLongLivedKeys,
  noScriptInjection,
  pinnedActions,
  policyFindings,
} from './policy';
import { PINS } from './pins';
import { fromText, repoWorkflows } from './testing';

const CHECKOUT = PINS['actions/checkout']!;
const AUTH = PINS['google-github-actions/auth']!;

/** A one-job workflow with these steps (YAML lines, indented for `steps:`). */
const wf = (
  steps: string[],
  jobExtra: string[] = ['    permissions: {}'],
  top = 'permissions: {}',
) =>
  fromText(
    [
      'on: push',
      top,
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-24.04',
      '    timeout-minutes: 5',
      ...jobExtra,
      '    steps:',
      ...steps,
      '',
    ].join('\n'),
  );

describe("the project's workflow rules", () => {
  it('find nothing in the repository', () => {
    expect(policyFindings(repoWorkflows())).toEqual([]);
  });

  it('list every `uses:` of the repository among the verified pins', () => {
    const used = new Set(
      repoWorkflows().flatMap((f) =>
        [...f.text.matchAll(/uses:\s*([\w.-]+\/[\w.-]+)@/g)].map((m) => m[1]),
      ),
    );
    expect([...used].sort()).toEqual(Object.keys(PINS).sort());
  });

  describe('pins', () => {
    it('accept the verified commit with its tag', () => {
      expect(
        pinnedActions(wf([`      - uses: actions/checkout@${CHECKOUT.sha} # ${CHECKOUT.version}`])),
      ).toEqual([]);
    });

    it.each([
      ['a tag', 'actions/checkout@v4', 'pin/sha'],
      ['a branch', 'actions/checkout@main', 'pin/sha'],
      ['a short SHA', `actions/checkout@${CHECKOUT.sha.slice(0, 7)}`, 'pin/sha'],
      ['a SHA without its tag', `actions/checkout@${CHECKOUT.sha}`, 'pin/comment'],
      [
        'another SHA than the verified one',
        `actions/checkout@${'1'.repeat(40)} # ${CHECKOUT.version}`,
        'pin/mismatch',
      ],
      [
        'the verified SHA under another tag',
        `actions/checkout@${CHECKOUT.sha} # v1.0.0`,
        'pin/mismatch',
      ],
      ['an action nobody verified', `someone/action@${'2'.repeat(40)} # v1.0.0`, 'pin/unknown'],
      ['a container by tag', 'docker://alpine:3', 'pin/docker-digest'],
    ])('refuse %s', (_label, ref, rule) => {
      expect(pinnedActions(wf([`      - uses: ${ref}`])).map((f) => f.rule)).toEqual([rule]);
    });
  });

  describe('credentials', () => {
    const auth = (extra: string[]) => [
      `      - uses: google-github-actions/auth@${AUTH.sha} # ${AUTH.version}`,
      '        with:',
      ...extra,
    ];

    it('accept Workload Identity Federation with id-token: write', () => {
      const f = wf(
        auth(['          workload_identity_provider: x', '          service_account: y']),
        ['    permissions:', '      id-token: write'],
      );
      expect(noLongLivedKeys(f)).toEqual([]);
    });

    it('refuse a service-account key, as an input or as a secret', () => {
      const rules = noLongLivedKeys(
        wf(auth(['          credentials_json: ${{ secrets.GCP_SA_KEY }}']), [
          '    permissions:',
          '      id-token: write',
        ]),
      ).map((f) => f.rule);
      expect(rules).toEqual(
        expect.arrayContaining(['creds/key-input', 'creds/wif', 'creds/key-secret']),
      );
    });

    it('refuse federation without id-token: write on the job', () => {
      const f = wf(
        auth(['          workload_identity_provider: x', '          service_account: y']),
      );
      expect(noLongLivedKeys(f).map((x) => x.rule)).toEqual(['creds/id-token']);
    });
  });

  describe('least privilege', () => {
    it('refuse write-all defaults, a job without permissions and a job without a timeout', () => {
      const f = fromText(
        [
          'on: push',
          'permissions: write-all',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-24.04',
          '    steps:',
          '      - run: "true"',
          '',
        ].join('\n'),
      );
      expect(
        leastPrivilege(f)
          .map((x) => x.rule)
          .sort(),
      ).toEqual(['job/timeout', 'perm/default', 'perm/job']);
    });

    it('refuse write access as the workflow default', () => {
      const f = wf(
        ['      - run: "true"'],
        ['    permissions: {}'],
        'permissions:\n  contents: write',
      );
      expect(leastPrivilege(f).map((x) => x.rule)).toEqual(['perm/default']);
    });
  });

  it('refuse an event field or an input expanded inside a shell script', () => {
    const f = wf(['      - run: echo "${{ github.event.pull_request.title }}"']);
    expect(noScriptInjection(f).map((x) => x.rule)).toEqual(['shell/injection']);
    expect(noScriptInjection(wf(['      - run: echo "$TITLE"']))).toEqual([]);
  });
});
