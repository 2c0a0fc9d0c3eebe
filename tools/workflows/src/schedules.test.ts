// nightly.yml and backup-drill.yml: what runs, on which schedule, and that results and outcomes
// leave the run.
import fs from 'node:fs';
import path from 'node:path';
import { job, runs, stepById, stepIndex, uses, workflow } from './testing';
import { REPO_ROOT } from './workflows';

describe('nightly.yml', () => {
  it('runs every night and on demand', () => {
    const on = workflow('nightly.yml').workflow.on as { schedule: { cron: string }[] };
    expect(on.schedule).toHaveLength(1);
    expect(Object.keys(on)).toContain('workflow_dispatch');
  });

  it('runs the 100k TestRun with every runner and the generated peak script, then the gate', () => {
    const peak = job('nightly.yml', 'peak');
    expect(stepById(peak, 'k6').run).toMatch(
      /k6-testrun\.sh "peak-100k-\$\{GITHUB_RUN_ID\}" peak-100k\.js all /,
    );
    expect(fs.existsSync(path.join(REPO_ROOT, 'loadtests/generated/k6/peak-100k.js'))).toBe(true);
    expect(fs.existsSync(path.join(REPO_ROOT, 'loadtests/generated/k6/smoke.js'))).toBe(true);
    expect(stepById(peak, 'gate').if).toBe("always() && steps.live.outcome == 'success'");
  });

  it("runs the stack's chaos Workflow on staging, after the peak, and judges it with the gate", () => {
    const chaos = job('nightly.yml', 'chaos');
    expect(chaos.needs).toBe('peak');
    expect(chaos.environment).toBe('staging');
    expect(stepById(chaos, 'workflow').run).toMatch(
      /get schedule "\$CHAOS_SCHEDULE" -o json \|\s+npx --no-install tsx tools\/workflows\/src\/cli\.ts render workflow/,
    );
    expect(stepById(chaos, 'workflow').run).toMatch(/apply --dry-run=server/);
    expect(stepById(chaos, 'gate').run).toMatch(/gate-in-cluster\.sh staging /);
  });

  it('publishes the results of both and announces the outcome', () => {
    for (const id of ['peak', 'chaos']) {
      const upload = (job('nightly.yml', id).steps ?? []).find(uses('actions/upload-artifact'))!;
      expect(upload.if).toBe('always()');
      expect(upload.with).toMatchObject({ path: 'results/' });
    }
    const n = job('nightly.yml', 'notify');
    expect([n.uses, n.if, n.needs]).toEqual([
      './.github/workflows/notify.yml',
      'always()',
      ['peak', 'chaos'],
    ]);
  });
});

describe('backup-drill.yml', () => {
  it('runs weekly', () => {
    const on = workflow('backup-drill.yml').workflow.on as { schedule: { cron: string }[] };
    const fields = on.schedule[0]!.cron.split(' ');
    expect(fields[4]).toMatch(/^[0-6]$/); // one day of the week
  });

  it("runs the lab drill with the project's command and the GKE drill CronJob, and announces both", () => {
    expect(
      stepIndex(job('backup-drill.yml', 'lab'), runs(/npm run --silent backup -- drill --json/)),
    ).toBeGreaterThan(-1);
    expect(stepById(job('backup-drill.yml', 'gke'), 'drill').run).toMatch(
      /create job "\$job" --from="cronjob\/\$DRILL_CRONJOB"/,
    );
    const n = job('backup-drill.yml', 'notify');
    expect([n.uses, n.if, n.needs]).toEqual([
      './.github/workflows/notify.yml',
      'always()',
      ['lab', 'gke'],
    ]);
  });
});

describe('notify.yml', () => {
  it('sends to the chat webhook and by email, with values reaching the shell only through env', () => {
    const n = job('notify.yml', 'notify');
    const step = (n.steps ?? [])[0]!;
    expect(step.run).toMatch(/curl -fsS .*"\$CHAT_WEBHOOK_URL"/);
    expect(step.run).toMatch(/--mail-from "\$MAIL_FROM" --mail-rcpt "\$MAIL_TO"/);
    expect(step.run).toMatch(/--ssl-reqd/);
    expect(step.env).toMatchObject({
      OUTCOME: '${{ inputs.outcome }}',
      CHAT_WEBHOOK_URL: '${{ secrets.CHAT_WEBHOOK_URL }}',
    });
  });
});

describe('the scripts the workflows call', () => {
  it('exist and are executable', () => {
    const texts = ['deploy.yml', 'nightly.yml', 'backup-drill.yml']
      .map((f) => workflow(f).text)
      .join('\n');
    const scripts = new Set(
      [...texts.matchAll(/tools\/workflows\/scripts\/([\w-]+\.sh)/g)].map((m) => m[1]!),
    );
    expect([...scripts].sort()).toEqual(['gate-in-cluster.sh', 'k6-testrun.sh', 'live-images.sh']);
    for (const s of scripts) {
      const st = fs.statSync(path.join(REPO_ROOT, 'tools/workflows/scripts', s));
      expect(st.mode & 0o111).not.toBe(0);
    }
  });
});
