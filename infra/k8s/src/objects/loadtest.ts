// The 100k-visitor rehearsal on GKE: k6-operator runs the loadtests workspace's generated k6
// script on the tainted load-test node pool, one runner per node (`separate: true`), so the
// runners never steal CPU from the store they measure. Results go to the in-cluster Prometheus by
// remote write, labelled with the run's test id. Staging runs it nightly from a CronJob; anyone
// with the rights can start the same TestRun by hand (docs/adr/0503-k6-runner-sizing.md).
//
// The runner plan is checked before anything renders (docs/adr/0503-k6-runner-sizing.md): the
// runners fit the pool, together they hold the script's maxVUs, and each one's memory covers its
// virtual users at k6's documented memory per VU plus the ADR's margin.
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import YAML from 'yaml';
import type { WorkloadSettings } from '../settings';
import { prometheusUrl } from './monitoring';
import { scriptMaxVus, type K6Scripts } from './k6-scripts';

export const LOADTEST_POOL_LABEL = 'dhakacart.io/pool';
export const LOADTEST_POOL_VALUE = 'loadtest';
/** The loadtests workspace's k6 scripts, as files of this ConfigMap. */
export const K6_SCRIPTS_CONFIGMAP = 'k6-scripts';
/** The peak TestRun as a manifest: what the nightly CronJob (or a person) creates. */
export const PEAK_TESTRUN_CONFIGMAP = 'peak-100k-testrun';
export const PEAK_TESTRUN_NAME = 'peak-100k';
export const PEAK_SCRIPT = 'peak-100k.js';
import { EMBEDDED_MANIFEST_LABEL } from './embedded';
/** What the runner pods carry, so network policies can tell them from the operator's pods. */
export const K6_RUNNER_LABEL = { key: 'app.kubernetes.io/name', value: 'k6-runner' } as const;
/** The runners' own uid in the grafana/k6 image. */
export const K6_UID = 12345;
const NIGHTLY = 'nightly-load';

/**
 * k6's memory per virtual user for a small script: about 2.7-3 MB (the k6 maintainers, GitHub
 * grafana/k6#1543). The upper end, since the shopper journey keeps cookies and bodies.
 */
export const K6_MEMORY_PER_VU_MIB = 3;
/** The ADR's margin over that figure (garbage-collector headroom, metric buffers, TLS). */
export const K6_MEMORY_MARGIN = 1.25;
/** The k6 process itself, with the Prometheus remote-write output's buffers. */
export const K6_BASE_MEMORY_MIB = 512;
/** One k6 instance handles 30,000-40,000 VUs (k6 docs, "Running large tests"): the lower end. */
export const K6_MAX_VUS_PER_INSTANCE = 30_000;

/** System tags kept as Prometheus labels: bounded cardinality (no url, no name of each URL). */
export const K6_SYSTEM_TAGS = ['status', 'method', 'scenario', 'expected_response', 'error_code'];

export interface K6TestRun {
  apiVersion: 'k6.io/v1alpha1';
  kind: 'TestRun';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: Record<string, unknown> & {
    parallelism: number;
    separate: boolean;
    script: { configMap: { name: string; file: string } };
    runner: Record<string, unknown> & {
      image: string;
      resources: { requests: Record<string, string>; limits: Record<string, string> };
    };
  };
}

export class LoadTestPlanError extends Error {
  readonly code = 'LOADTEST_PLAN_INVALID';
  constructor(readonly problems: string[]) {
    super(`the peak TestRun cannot run as planned: ${problems.join('; ')}`);
  }
}

/** A Kubernetes memory quantity in MiB (Ki, Mi, Gi, Ti, k, M, G, T or bytes). */
export function memoryMiB(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!m) throw new LoadTestPlanError([`${quantity} is not a memory quantity`]);
  const factor: Record<string, number> = {
    Ki: 1 / 1024,
    Mi: 1,
    Gi: 1024,
    Ti: 1024 * 1024,
    k: 1000 / 1048576,
    M: 1e6 / 1048576,
    G: 1e9 / 1048576,
    T: 1e12 / 1048576,
    '': 1 / 1048576,
  };
  return Number(m[1]) * factor[m[2] ?? '']!;
}

/** The memory one runner needs for its virtual users (ADR 0503). */
export function runnerMemoryNeededMiB(vusPerRunner: number): number {
  return Math.ceil(K6_BASE_MEMORY_MIB + vusPerRunner * K6_MEMORY_PER_VU_MIB * K6_MEMORY_MARGIN);
}

export interface RunnerPlan {
  runners: number;
  vusPerRunner: number;
  poolMaxNodes: number;
  separate: boolean;
  memoryRequest: string;
  memoryLimit: string;
}

/** Every reason the plan would leave runners Pending, VUs missing or runners OOM-killed. */
export function runnerPlanProblems(plan: RunnerPlan, scriptVus: number): string[] {
  const problems: string[] = [];
  if (plan.separate && plan.runners > plan.poolMaxNodes)
    problems.push(
      `${plan.runners} runners with separate: true need ${plan.runners} load-test nodes, the pool grows to ${plan.poolMaxNodes}: the rest would stay Pending`,
    );
  if (plan.runners * plan.vusPerRunner < scriptVus)
    problems.push(
      `${plan.runners} runners x ${plan.vusPerRunner} VUs = ${plan.runners * plan.vusPerRunner} < the script's maxVUs ${scriptVus}`,
    );
  const perRunner = Math.ceil(scriptVus / plan.runners);
  if (perRunner > K6_MAX_VUS_PER_INSTANCE)
    problems.push(
      `each runner would hold ${perRunner} VUs, above the ${K6_MAX_VUS_PER_INSTANCE} one k6 instance handles`,
    );
  const needed = runnerMemoryNeededMiB(Math.max(plan.vusPerRunner, perRunner));
  for (const [what, q] of [
    ['limit', plan.memoryLimit],
    ['request', plan.memoryRequest],
  ] as const)
    if (memoryMiB(q) < needed)
      problems.push(
        `a runner's memory ${what} ${q} is below the ${needed} MiB its ${Math.max(plan.vusPerRunner, perRunner)} VUs need (${K6_MEMORY_PER_VU_MIB} MiB/VU x ${K6_MEMORY_MARGIN} + ${K6_BASE_MEMORY_MIB} MiB)`,
      );
  return problems;
}

const labels = (component: string) => ({
  'app.kubernetes.io/name': component,
  'app.kubernetes.io/part-of': 'dhakacart',
});

/** The generated scripts, one file each (the TestRun names its file). */
export function k6ScriptsConfigMap(s: WorkloadSettings, scripts: K6Scripts): IConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: K6_SCRIPTS_CONFIGMAP,
      namespace: s.loadtestNamespace,
      labels: labels('k6-scripts'),
    },
    data: { ...scripts },
  };
}

/**
 * The peak TestRun. Its test id is the TestRun's name; the nightly CronJob gives each run its own
 * (`peak-100k-<UTC stamp>`), so Prometheus keeps every night's series apart.
 */
export function peakTestRun(s: WorkloadSettings, scripts: K6Scripts, testId = PEAK_TESTRUN_NAME) {
  const l = s.loadtest;
  const scriptVus = scriptMaxVus(scripts[PEAK_SCRIPT]);
  const problems = runnerPlanProblems(
    {
      runners: l.runners,
      vusPerRunner: l.vusPerRunner,
      poolMaxNodes: l.poolMaxNodes,
      separate: true,
      memoryRequest: l.runnerResources.memoryRequest,
      memoryLimit: l.runnerResources.memoryLimit,
    },
    scriptVus,
  );
  if (problems.length) throw new LoadTestPlanError(problems);
  const onPool = {
    nodeSelector: { [LOADTEST_POOL_LABEL]: LOADTEST_POOL_VALUE },
    tolerations: [
      {
        key: LOADTEST_POOL_LABEL,
        operator: 'Equal',
        value: LOADTEST_POOL_VALUE,
        effect: 'NoSchedule',
      },
    ],
  };
  const hardened = {
    securityContext: {
      runAsNonRoot: true,
      runAsUser: K6_UID,
      runAsGroup: K6_UID,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containerSecurityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    // A string in k6-operator's CRD: the runners need no Kubernetes API token.
    automountServiceAccountToken: 'false',
  };
  const run: K6TestRun = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: {
      name: testId,
      namespace: s.loadtestNamespace,
      labels: { ...labels('k6'), 'dhakacart.io/testid': testId },
    },
    spec: {
      parallelism: l.runners,
      separate: true,
      cleanup: 'post',
      arguments: [
        '--out experimental-prometheus-rw',
        `--tag testid=${testId}`,
        `--system-tags=${K6_SYSTEM_TAGS.join(',')}`,
      ].join(' '),
      script: { configMap: { name: K6_SCRIPTS_CONFIGMAP, file: PEAK_SCRIPT } },
      // The initializer runs `k6 inspect` on the script: the same pinned image.
      initializer: { image: s.toolImages.k6, ...hardened },
      runner: {
        image: s.toolImages.k6,
        metadata: {
          labels: { [K6_RUNNER_LABEL.key]: K6_RUNNER_LABEL.value, 'dhakacart.io/testid': testId },
        },
        env: [
          { name: 'BASE_URL', value: `https://${s.domain}` },
          {
            name: 'K6_PROMETHEUS_RW_SERVER_URL',
            value: `${prometheusUrl(s)}/api/v1/write`,
          },
          { name: 'K6_PROMETHEUS_RW_TREND_STATS', value: 'p(50),p(95),p(99),max' },
          { name: 'K6_PROMETHEUS_RW_PUSH_INTERVAL', value: '10s' },
        ],
        ...onPool,
        resources: {
          requests: {
            cpu: l.runnerResources.cpuRequest,
            memory: l.runnerResources.memoryRequest,
          },
          limits: { cpu: l.runnerResources.cpuLimit, memory: l.runnerResources.memoryLimit },
        },
        ...hardened,
      },
    },
  };
  return run;
}

/** The TestRun as a manifest inside a ConfigMap, for the CronJob and for a run by hand. */
export function peakTestRunConfigMap(s: WorkloadSettings, scripts: K6Scripts): IConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: PEAK_TESTRUN_CONFIGMAP,
      namespace: s.loadtestNamespace,
      labels: { ...labels('k6'), [EMBEDDED_MANIFEST_LABEL]: 'true' },
    },
    data: { 'testrun.yaml': YAML.stringify(peakTestRun(s, scripts), { lineWidth: 0 }) },
  };
}

/**
 * The nightly start: replace any previous peak TestRun (k6-operator keeps a finished one) with a
 * fresh one whose name and test id carry the UTC start time. MANIFEST is set only by its test.
 */
export const NIGHTLY_SCRIPT = `set -eu
testid="${PEAK_TESTRUN_NAME}-$(date -u +%Y%m%dt%H%M)"
kubectl delete testrun -l app.kubernetes.io/name=k6 --ignore-not-found --wait=true --timeout=300s
sed -e "s/ ${PEAK_TESTRUN_NAME}$/ $testid/" -e "s/testid=${PEAK_TESTRUN_NAME} /testid=$testid /" \\
  "\${MANIFEST:-/manifests/testrun.yaml}" | kubectl create -f -
echo "started TestRun $testid"
`;

export function nightlyLoadObjects(
  s: WorkloadSettings,
): (IServiceAccount | IRole | IRoleBinding | ICronJob)[] {
  if (!s.loadtest.nightly.enabled) return [];
  const ns = s.loadtestNamespace;
  const meta = { name: NIGHTLY, namespace: ns, labels: labels(NIGHTLY) };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta,
      rules: [
        {
          apiGroups: ['k6.io'],
          resources: ['testruns'],
          verbs: ['get', 'list', 'watch', 'create', 'delete'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: NIGHTLY },
      subjects: [{ kind: 'ServiceAccount', name: NIGHTLY, namespace: ns }],
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta,
      spec: {
        schedule: s.loadtest.nightly.schedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 1,
            activeDeadlineSeconds: 900,
            template: {
              metadata: { labels: labels(NIGHTLY) },
              spec: {
                serviceAccountName: NIGHTLY,
                restartPolicy: 'Never',
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: 65534,
                  runAsGroup: 65534,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                containers: [
                  {
                    name: 'start',
                    image: s.toolImages.kubectl,
                    command: ['/bin/sh', '-c', NIGHTLY_SCRIPT],
                    resources: {
                      requests: { cpu: '50m', memory: '64Mi' },
                      limits: { cpu: '200m', memory: '128Mi' },
                    },
                    securityContext: {
                      allowPrivilegeEscalation: false,
                      readOnlyRootFilesystem: true,
                      capabilities: { drop: ['ALL'] },
                    },
                    volumeMounts: [{ name: 'testrun', mountPath: '/manifests', readOnly: true }],
                  },
                ],
                volumes: [{ name: 'testrun', configMap: { name: PEAK_TESTRUN_CONFIGMAP } }],
              },
            },
          },
        },
      },
    },
  ];
}

export function loadtestObjects(s: WorkloadSettings, scripts: K6Scripts) {
  return [
    k6ScriptsConfigMap(s, scripts),
    peakTestRunConfigMap(s, scripts),
    ...nightlyLoadObjects(s),
  ];
}
