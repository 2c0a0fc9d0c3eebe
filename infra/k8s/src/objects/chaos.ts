// Chaos Mesh on GKE: the experiment catalogue (chaos/src/catalogue), defined once for the lab and
// the cluster, runs every night as one Workflow, one experiment after the other, each followed by
// its recovery budget. A continuous HTTP StatusCheck on the api's readiness aborts the whole run
// when the store stays unready longer than the strictest experiment's abort condition.
//
// Staging only unless `chaos.enabled` is set for production (a reviewed config change). The
// Workflow runs in its own namespace: Chaos Mesh starts Task pods (the Cloud SQL and Memorystore
// failovers) with that namespace's default service account, which Workload Identity binds to a
// Google identity that may fail the two instances over and do nothing else.
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { EXPERIMENTS } from '@dhakacart/chaos/src/catalogue/experiments';
import type {
  ChaosObject,
  Experiment,
  GkeChaosSettings,
} from '@dhakacart/chaos/src/catalogue/types';
import type { WorkloadSettings } from '../settings';
import { selectorLabels } from './labels';
import { API_PORT } from './api';

export const GAMEDAY_SCHEDULE = 'gameday-nightly';
export const WI_ANNOTATION = 'iam.gke.io/gcp-service-account';
/** Seconds between the StatusCheck's requests. */
export const STATUS_CHECK_INTERVAL_SECONDS = 5;
/** Slack on top of the experiments' own time, for Workflow bookkeeping between steps. */
const WORKFLOW_SLACK_SECONDS = 300;

export interface ChaosSchedule {
  apiVersion: 'chaos-mesh.org/v1alpha1';
  kind: 'Schedule';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    schedule: string;
    type: 'Workflow';
    historyLimit: number;
    concurrencyPolicy: 'Forbid';
    startingDeadlineSeconds: number;
    workflow: { entry: string; templates: WorkflowTemplate[] };
  };
}

export type WorkflowTemplate = Record<string, unknown> & {
  name: string;
  templateType: string;
  deadline?: string;
  children?: string[];
};

/** The catalogue's settings, from the workload settings (one source for names and labels). */
export function gkeChaosSettings(s: WorkloadSettings): GkeChaosSettings {
  return {
    namespace: s.namespace,
    chaosNamespace: s.chaos.experimentsNamespace,
    zones: s.zones,
    selectors: { api: selectorLabels('api'), web: selectorLabels('web') },
    project: s.gcpProject,
    region: s.region,
    databaseAddress: s.database.host,
    cloudSqlInstance: s.database.instance,
    memorystoreInstance: s.redis.instance,
    gcloudImage: s.toolImages.gcloud,
  };
}

/** '45s', '3m', '1h' (a Workflow deadline) in seconds. */
export function durationSeconds(d: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(d);
  if (!m) throw new Error(`unsupported duration ${d}: use <n>s, <n>m or <n>h`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
}

/** Chaos kinds whose spec a Workflow template carries under the lower-camel-case kind. */
const specField = (kind: string) => kind[0]!.toLowerCase() + kind.slice(1);

/**
 * One catalogue object as Workflow templates: a chaos object becomes one template whose deadline
 * is its duration (a kill, which has none, lasts `instantSeconds`); a Workflow's templates are
 * taken over with its name as a prefix, so two failovers never share a template name.
 */
export function objectTemplates(
  o: ChaosObject,
  instantSeconds: number,
): { entry: string; seconds: number; templates: WorkflowTemplate[] } {
  const name = o.metadata.name;
  if (o.kind !== 'Workflow') {
    const { duration, ...spec } = o.spec as { duration?: string };
    const deadline = duration ?? `${instantSeconds}s`;
    return {
      entry: name,
      seconds: durationSeconds(deadline),
      templates: [{ name, templateType: o.kind, deadline, [specField(o.kind)]: spec }],
    };
  }
  const wf = o.spec as { entry: string; templates: WorkflowTemplate[] };
  const rename = (t: string) => `${name}-${t}`;
  const templates = wf.templates.map((t) => ({
    ...t,
    name: rename(t.name),
    ...(t.children ? { children: t.children.map(rename) } : {}),
  }));
  const entry = templates.find((t) => t.name === rename(wf.entry));
  if (!entry) throw new Error(`workflow ${name} has no template named by its entry ${wf.entry}`);
  return {
    entry: entry.name,
    seconds: entry.deadline ? durationSeconds(entry.deadline) : instantSeconds,
    templates,
  };
}

/** One experiment: its fault(s), then a pause of its recovery budget before the next one. */
function experimentStep(e: Experiment, s: GkeChaosSettings) {
  const parts = e.gke(s).map((o) => objectTemplates(o, e.recoveryBudgetSeconds));
  if (!parts.length) return null;
  const fault =
    parts.length === 1
      ? { entry: parts[0]!.entry, templates: [] as WorkflowTemplate[] }
      : {
          entry: `${e.name}-faults`,
          templates: [
            {
              name: `${e.name}-faults`,
              templateType: 'Parallel',
              deadline: `${Math.max(...parts.map((p) => p.seconds))}s`,
              children: parts.map((p) => p.entry),
            },
          ],
        };
  const recover: WorkflowTemplate = {
    name: `${e.name}-recover`,
    templateType: 'Suspend',
    deadline: `${e.recoveryBudgetSeconds}s`,
  };
  const step: WorkflowTemplate = {
    name: `step-${e.name}`,
    templateType: 'Serial',
    children: [fault.entry, recover.name],
  };
  return {
    name: step.name,
    seconds: Math.max(...parts.map((p) => p.seconds)) + e.recoveryBudgetSeconds,
    templates: [step, ...fault.templates, ...parts.flatMap((p) => p.templates), recover],
  };
}

/** The store's readiness as the cluster sees it: the api Service's /readyz. */
export function storeHealthUrl(s: WorkloadSettings): string {
  return `http://api.${s.namespace}.svc.cluster.local/readyz`;
}

/** The nightly Workflow: a StatusCheck in parallel with every experiment, in catalogue order. */
export function gamedayWorkflow(
  s: WorkloadSettings,
  experiments: Experiment[] = EXPERIMENTS,
): ChaosSchedule['spec']['workflow'] {
  const settings = gkeChaosSettings(s);
  const steps = experiments.flatMap((e) => {
    const step = experimentStep(e, settings);
    return step ? [{ e, step }] : [];
  });
  if (!steps.length) throw new Error('no experiment of the catalogue renders for GKE');
  const total = steps.reduce((n, x) => n + x.step.seconds, 0) + WORKFLOW_SLACK_SECONDS;
  const abortAfter = Math.min(...steps.map((x) => x.e.abortAfterSeconds));
  return {
    entry: 'gameday',
    templates: [
      {
        name: 'gameday',
        templateType: 'Parallel',
        deadline: `${total}s`,
        children: ['store-ready', 'experiments'],
      },
      {
        name: 'store-ready',
        templateType: 'StatusCheck',
        deadline: `${total}s`,
        abortWithStatusCheck: true,
        statusCheck: {
          mode: 'Continuous',
          type: 'HTTP',
          intervalSeconds: STATUS_CHECK_INTERVAL_SECONDS,
          timeoutSeconds: 2,
          // Abort once the store has been unready as long as the strictest experiment allows.
          failureThreshold: Math.ceil(abortAfter / STATUS_CHECK_INTERVAL_SECONDS),
          successThreshold: 1,
          http: { url: storeHealthUrl(s), method: 'GET', criteria: { statusCode: '200' } },
        },
      },
      {
        name: 'experiments',
        templateType: 'Serial',
        deadline: `${total}s`,
        children: steps.map((x) => x.step.name),
      },
      ...steps.flatMap((x) => x.step.templates),
    ],
  };
}

/**
 * The experiments namespace's default service account: the identity Chaos Mesh gives Task pods.
 * It carries no Kubernetes token (Workload Identity does not need one).
 */
export function chaosTaskServiceAccount(s: WorkloadSettings): IServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: 'default',
      namespace: s.chaos.experimentsNamespace,
      annotations: { [WI_ANNOTATION]: s.chaos.failoverServiceAccount },
    },
    automountServiceAccountToken: false,
  };
}

export function gamedaySchedule(s: WorkloadSettings): ChaosSchedule {
  return {
    apiVersion: 'chaos-mesh.org/v1alpha1',
    kind: 'Schedule',
    metadata: {
      name: GAMEDAY_SCHEDULE,
      namespace: s.chaos.experimentsNamespace,
      labels: { 'app.kubernetes.io/part-of': 'dhakacart' },
    },
    spec: {
      schedule: s.chaos.schedule,
      type: 'Workflow',
      historyLimit: 7,
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 600,
      workflow: gamedayWorkflow(s),
    },
  };
}

/** Nothing when chaos is off for the environment (production by default). */
export function chaosObjects(s: WorkloadSettings): (IServiceAccount | ChaosSchedule)[] {
  if (!s.chaos.enabled) return [];
  return [chaosTaskServiceAccount(s), gamedaySchedule(s)];
}

/** The api's port the StatusCheck reaches (for the network policies). */
export const STATUS_CHECK_PORT = API_PORT;
