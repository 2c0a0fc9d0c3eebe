// gate-in-cluster.sh against a stand-in kubectl (no cluster runs here): the bundling and the
// Job rendering are real; the stand-in records every call and answers with the pod's exit code
// and log that each test sets. What is proven: the gate's own code passes through, and anything
// short of a verdict fails closed with 2.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../workflows';

const SCRIPT = path.join(REPO_ROOT, 'tools/workflows/scripts/gate-in-cluster.sh');
const IMAGE = `asia-docker.pkg.dev/dhakacart-staging/dhakacart/api@sha256:${'cd'.repeat(32)}`;

const FAKE_KUBECTL = `#!/usr/bin/env bash
echo "$*" >> "$FAKE_DIR/calls"
case "$*" in
  *"--dry-run=client"*) echo "kind: ConfigMap" ;;
  "apply -f -") cat > /dev/null ;;
  "apply -f "*) cp "$3" "$FAKE_DIR/applied.json" ;;
  *"get pods"*) printf '%s' "\${FAKE_EXIT_CODE:-}" ;;
  *"logs job/"*) printf '%s\\n' "\${FAKE_LOG:-}" ;;
esac
exit 0
`;

function runGate(
  env: Record<string, string>,
  args = ['staging', 'gate-test', IMAGE, '--window', '5m'],
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(path.join(dir, 'bin/kubectl'), FAKE_KUBECTL, { mode: 0o755 });
  const r = spawnSync('bash', [SCRIPT, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...process.env,
      PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`,
      FAKE_DIR: dir,
      GATE_OUT: path.join(dir, 'verdict.json'),
      GATE_WAIT_TRIES: '2',
      GATE_WAIT_INTERVAL: '0',
      ...env,
    },
  });
  const read = (f: string) =>
    fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : '';
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    calls: read('calls'),
    applied: read('applied.json'),
    verdict: read('verdict.json'),
  };
}

const verdict = (v: string, code: number) =>
  JSON.stringify({ verdict: v, exitCode: code, slos: [], reasons: [] });

describe('gate-in-cluster.sh', () => {
  it("passes the gate's pass through, with its verdict, and cleans its ConfigMap up", () => {
    const r = runGate({ FAKE_EXIT_CODE: '0', FAKE_LOG: `starting\n${verdict('pass', 0)}` });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.verdict)).toMatchObject({ verdict: 'pass' });
    const job = JSON.parse(r.applied) as {
      metadata: { namespace: string };
      spec: { template: { spec: { containers: { image: string; command: string[] }[] } } };
    };
    expect(job.metadata.namespace).toBe('monitoring');
    expect(job.spec.template.spec.containers[0]!.image).toBe(IMAGE);
    expect(job.spec.template.spec.containers[0]!.command.slice(-2)).toEqual(['--window', '5m']);
    expect(r.calls).toMatch(/create configmap gate-test --from-file=gate\.cjs=/);
    expect(r.calls).toMatch(/delete configmap gate-test --ignore-not-found/);
  }, 120_000);

  it('passes a breach through as 1', () => {
    const r = runGate({ FAKE_EXIT_CODE: '1', FAKE_LOG: verdict('breach', 1) });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.verdict)).toMatchObject({ verdict: 'breach' });
  }, 120_000);

  it('fails closed (2) when the Job never ran', () => {
    const r = runGate({ FAKE_EXIT_CODE: '', FAKE_LOG: '' });
    expect(r.status).toBe(2);
    expect(JSON.parse(r.verdict)).toMatchObject({ verdict: 'undecidable', exitCode: 2 });
  }, 120_000);

  it('fails closed (2) when the pod exited 0 without a verdict', () => {
    const r = runGate({ FAKE_EXIT_CODE: '0', FAKE_LOG: 'Error: something else printed' });
    expect(r.status).toBe(2);
  }, 120_000);

  it('refuses missing arguments with a JSON error and 2', () => {
    const r = runGate({}, ['staging']);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: 'USAGE' });
    expect(r.calls).toBe('');
  });
});
