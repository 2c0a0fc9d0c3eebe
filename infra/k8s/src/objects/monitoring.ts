// Prometheus Operator objects: the API ServiceMonitor, PrometheusRules built from the SLO
// workspace's rule files, and Grafana dashboard ConfigMaps picked up by the sidecar.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { WorkloadSettings } from '../settings';
import { commonLabels, selectorLabels } from './labels';

/**
 * kube-prometheus-stack is installed with `fullnameOverride: KPS_FULLNAME`, which makes its
 * Prometheus Service `<fullname>-prometheus` on 9090 in the monitoring namespace.
 */
export const KPS_FULLNAME = 'kps';
export const PROMETHEUS_PORT = 9090;

/** The in-cluster Prometheus the api's ops status board queries (PROMETHEUS_URL). */
export function prometheusUrl(s: WorkloadSettings): string {
  return `http://${KPS_FULLNAME}-prometheus.${s.monitoringNamespace}.svc.cluster.local:${PROMETHEUS_PORT}`;
}

/**
 * Alertmanager's receiver credentials, from Secret Manager through External Secrets. The
 * kube-prometheus-stack release mounts it (alertmanagerSpec.secrets) at ALERTMANAGER_SECRET_DIR.
 */
export const ALERTMANAGER_SECRET = 'alertmanager-receivers';
export const ALERTMANAGER_SECRET_DIR = `/etc/alertmanager/secrets/${ALERTMANAGER_SECRET}`;
const ALERT_KEYS = {
  slackWebhookUrl: 'slack-webhook-url',
  smsToken: 'sms-token',
  smtpPassword: 'smtp-password',
} as const;

export function alertmanagerExternalSecret(s: WorkloadSettings): IExternalSecret {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name: ALERTMANAGER_SECRET,
      namespace: s.monitoringNamespace,
      labels: { 'app.kubernetes.io/part-of': 'dhakacart' },
    },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'gcp-secret-manager' },
      target: { name: ALERTMANAGER_SECRET, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: (Object.keys(ALERT_KEYS) as (keyof typeof ALERT_KEYS)[]).map((k) => ({
        secretKey: ALERT_KEYS[k],
        remoteRef: { key: s.alerting.secretIds[k] },
      })),
    },
  };
}

/**
 * Where Alertmanager on GKE sends pages and tickets: the same receivers as the lab (chat + SMS
 * for pages, email for tickets, slo/src/alertmanager/config.ts), with credentials as files
 * from ALERTMANAGER_SECRET and a real relay that must use STARTTLS.
 */
export function alertmanagerReceivers(s: WorkloadSettings) {
  return {
    slackApiUrlFile: `${ALERTMANAGER_SECRET_DIR}/${ALERT_KEYS.slackWebhookUrl}`,
    slackChannel: s.alerting.slackChannel,
    smsWebhookUrl: s.alerting.smsWebhookUrl,
    smsTokenFile: `${ALERTMANAGER_SECRET_DIR}/${ALERT_KEYS.smsToken}`,
    emailTo: s.alerting.emailTo,
    emailFrom: s.alerting.emailFrom,
    smarthost: s.alerting.smarthost,
    smtpUser: s.alerting.smtpUser,
    smtpPasswordFile: `${ALERTMANAGER_SECRET_DIR}/${ALERT_KEYS.smtpPassword}`,
    smtpRequireTls: true,
  };
}

export function apiServiceMonitor(s: WorkloadSettings): IServiceMonitor {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: 'api', namespace: s.namespace, labels: commonLabels(s, 'api') },
    spec: {
      selector: { matchLabels: selectorLabels('api') },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '15s', scrapeTimeout: '10s' }],
    },
  };
}

export class RuleFileError extends Error {
  readonly code = 'INVALID_RULE_FILE';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/**
 * The rule files the SLO workspace commits, relative to the repository root. The SLO rules are
 * the GKE rendering of the specs: availability measured at the Google Cloud load balancer
 * (the lab's slo-rules.yaml reads HAProxy, which GKE does not run; ADR 0202).
 */
export const SLO_RULE_FILES = [
  { name: 'dhakacart-slo', file: 'slo/generated/slo-rules.gke.yaml' },
  { name: 'dhakacart-infra-alerts', file: 'slo/rules/infra-alerts.yaml' },
] as const;
export const DASHBOARD_DIR = 'slo/dashboards/generated';

type RuleGroups = IPrometheusRule['spec']['groups'];

/** Parses a Prometheus rule file (`groups:` at the top) into PrometheusRule groups. */
export function parseRuleFile(file: string, text: string): NonNullable<RuleGroups> {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new RuleFileError(file, `not YAML: ${(e as Error).message}`);
  }
  const groups = (doc as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(groups) || groups.length === 0)
    throw new RuleFileError(file, 'expected a non-empty `groups:` list');
  for (const [i, g] of groups.entries()) {
    const group = g as { name?: unknown; rules?: unknown };
    if (typeof group.name !== 'string' || !Array.isArray(group.rules)) {
      throw new RuleFileError(file, `group ${i} needs a string name and a rules list`);
    }
  }
  return groups as NonNullable<RuleGroups>;
}

export interface SloSources {
  ruleFiles: { name: string; file: string; text: string }[];
  dashboards: { file: string; text: string }[];
  missing: string[];
}

/** Reads the SLO workspace's outputs; files not committed yet are reported, not invented. */
export function readSloSources(repoRoot: string): SloSources {
  const missing: string[] = [];
  const ruleFiles = SLO_RULE_FILES.flatMap(({ name, file }) => {
    const abs = path.join(repoRoot, file);
    if (!fs.existsSync(abs)) {
      missing.push(file);
      return [];
    }
    return [{ name, file, text: fs.readFileSync(abs, 'utf8') }];
  });
  const dashDir = path.join(repoRoot, DASHBOARD_DIR);
  const dashboards = fs.existsSync(dashDir)
    ? fs
        .readdirSync(dashDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => ({
          file: `${DASHBOARD_DIR}/${f}`,
          text: fs.readFileSync(path.join(dashDir, f), 'utf8'),
        }))
    : [];
  if (dashboards.length === 0) missing.push(`${DASHBOARD_DIR}/*.json`);
  return { ruleFiles, dashboards, missing };
}

export function prometheusRules(s: WorkloadSettings, sources: SloSources): IPrometheusRule[] {
  return sources.ruleFiles.map(({ name, file, text }) => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name,
      namespace: s.monitoringNamespace,
      labels: {
        'app.kubernetes.io/part-of': 'dhakacart',
        'dhakacart.io/source': file.replace(/\//g, '_'),
      },
    },
    spec: { groups: parseRuleFile(file, text) },
  }));
}

export function dashboardConfigMaps(s: WorkloadSettings, sources: SloSources): IConfigMap[] {
  return sources.dashboards.map(({ file, text }) => {
    try {
      JSON.parse(text);
    } catch (e) {
      throw new RuleFileError(file, `dashboard is not JSON: ${(e as Error).message}`);
    }
    const base = path.basename(file, '.json');
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: `dashboard-${base}`
          .toLowerCase()
          .replace(/[^a-z0-9-]/g, '-')
          .slice(0, 63),
        namespace: s.monitoringNamespace,
        // kube-prometheus-stack's Grafana sidecar loads every ConfigMap with this label.
        labels: { grafana_dashboard: '1', 'app.kubernetes.io/part-of': 'dhakacart' },
      },
      data: { [`${base}.json`]: text },
    };
  });
}
