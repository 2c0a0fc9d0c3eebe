import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { CA_DIR, REPO_ROOT, serviceImage } from '@dhakacart/lab-client';
import { startReferences } from '../bench/references';
import { runWrk, type WrkResult } from '../bench/wrk';
import { callsPerBrowsePage } from '../model/journeys';
import { SCENARIOS, type Scenario } from '../model/scenarios';
import { pageViewsPerSecond } from '../model/visitor-model';
import { committedThresholds } from '../render/generate';
import { runScenario } from '../run/runner';
import { judgeStep, kneeOf, KNEE_LIMITS, nextVisitors, sentRps, type StepVerdict } from './knee';

export interface CapacityOptions {
  start: number;
  max: number;
  stepSeconds: number;
  maxSteps: number;
  referenceSeconds: number;
  pushgatewayUrl: string | null;
  pushHeaders?: Record<string, string>;
  say: (line: string) => void;
  signal?: AbortSignal;
  command: string;
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/**
 * `npm run load -- capacity`: the same-run references first (the machine's ceilings, so the
 * result compares across noisy runs), then the everyday mix (97% browsing, 3% buying) at a
 * ladder of visitor counts, each step a steady open-model run judged against the SLO thresholds,
 * until the knee is found. Writes bench/results/load.json.
 */
export async function runCapacity(o: CapacityOptions) {
  const cores = cpus().length;
  o.say(`==> same-run references (wrk -t1 -c100, ${o.referenceSeconds} s each)`);
  const refs = await startReferences({
    webImage: await serviceImage('web'),
    haproxyImage: await serviceImage('edge'),
    tlsPem:
      readFileSync(join(CA_DIR, 'server.crt'), 'utf8') +
      readFileSync(join(CA_DIR, 'server.key'), 'utf8'),
  });
  let references: Record<string, WrkResult>;
  try {
    references = {
      nginxStatic: await runWrk({ url: refs.urls.nginx, seconds: o.referenceSeconds }),
      haproxyTlsToNginx: await runWrk({ url: refs.urls.haproxyTls, seconds: o.referenceSeconds }),
      bareExpress: await runWrk({ url: refs.urls.express, seconds: o.referenceSeconds }),
    };
  } finally {
    await refs.stop();
  }
  for (const [k, w] of Object.entries(references))
    o.say(`    ${k.padEnd(18)} ${String(w.rps).padStart(7)} req/s  p99 ${w.p99Ms} ms`);

  const base = SCENARIOS.shopper!;
  const scenario: Scenario = {
    ...base,
    name: 'capacity',
    description: 'one step of the capacity search: the everyday mix, steady',
    phases: [{ seconds: o.stepSeconds, from: 1, to: 1 }],
    maxSeconds: 600,
  };
  const browseShare = base.mix.browse ?? 0;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const steps: StepVerdict[] = [];
  const testids: string[] = [];
  for (;;) {
    if (o.signal?.aborted) break;
    const visitors = nextVisitors(steps, {
      start: o.start,
      max: o.max,
      maxSteps: o.maxSteps,
    });
    if (visitors === null) break;
    const targetRps = round(
      pageViewsPerSecond(visitors * browseShare, base.thinkScale) * callsPerBrowsePage(),
      1,
    );
    o.say(
      `==> step ${steps.length + 1}: ${visitors} visitors (${targetRps} browse req/s), ${o.stepSeconds} s`,
    );
    const cpuBefore = process.cpuUsage();
    const r = await runScenario({
      scenario,
      visitors,
      seconds: o.stepSeconds,
      thresholds: committedThresholds(),
      pushgatewayUrl: o.pushgatewayUrl,
      pushHeaders: o.pushHeaders,
      testid: `capacity-${stamp}-${visitors}`,
      progress: () => undefined,
      signal: o.signal,
    });
    testids.push(r.testid);
    const own = process.cpuUsage(cpuBefore);
    const generatorCpuSeconds = r.generatorCpuSeconds + (own.user + own.system) / 1e6;
    const verdict = judgeStep({
      visitors,
      targetRps,
      achievedRps: sentRps(r.browseLoad),
      p99Ms: r.summary.p99Ms,
      errorRate: r.summary.failedRate,
      generatorCpuShare: round(generatorCpuSeconds / Math.max(1, r.seconds) / cores, 3),
    });
    steps.push(verdict);
    o.say(
      `    ${verdict.held ? 'held' : 'FAILED'}: ${verdict.achievedRps} req/s, p99 ${verdict.p99Ms} ms, errors ${round(verdict.errorRate * 100, 3)}%, generators ${round(verdict.generatorCpuShare * cores, 2)} cores${verdict.why.length ? ` (${verdict.why.join('; ')})` : ''}`,
    );
  }
  const knee = kneeOf(steps, cores);
  o.say(
    `==> the knee: ${knee.visitors} visitors within p99 ≤ ${KNEE_LIMITS.p99Ms} ms and errors ≤ ${KNEE_LIMITS.errorRate * 100}%; limited by ${knee.limitedBy}${knee.why ? `: ${knee.why}` : ''}`,
  );
  const report = {
    command: o.command,
    date: new Date().toISOString(),
    machine: { cpus: cores, memoryGiB: Math.round(totalmem() / 2 ** 30) },
    limits: KNEE_LIMITS,
    mix: base.mix,
    stepSeconds: o.stepSeconds,
    references,
    steps,
    knee: {
      visitors: knee.visitors,
      limitedBy: knee.limitedBy,
      why: knee.why,
      browseRps: knee.step?.achievedRps ?? 0,
      vsBareExpress: knee.step ? round(knee.step.achievedRps / references.bareExpress!.rps) : 0,
      moonshot: 100_000,
      shareOfMoonshot: round(knee.visitors / 100_000, 4),
    },
    testids,
    aborted: o.signal?.aborted ?? false,
  };
  const dir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'load.json');
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  return { report, file };
}
