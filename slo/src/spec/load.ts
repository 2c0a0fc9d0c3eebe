import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { formatPath, SpecValidationError, type SpecIssue } from './errors';
import { fromK8s, isK8sDocument, k8sField } from './k8s';
import {
  EDGE_AVAILABILITY_PLUGIN,
  EDGE_JOURNEYS,
  edgeAvailabilityQueries,
  isEdgeJourney,
  type EdgeJourney,
  type Platform,
} from './edge-sources';
import { hasWindowTemplate, promqlSyntaxError, renderWindow } from './promql';
import { specSchema, type SloSpec, type SloSpecFile } from './schema';

/** The only Sloth SLO plugin with an effect here: it copies page/ticket `for` onto the alerts. */
export const ALERT_FOR_PLUGIN = 'sloth.dev/contrib/alert_for/v1';
const K8S_SPEC_LABEL = 'sloth.slok.dev/v1';
/** Sloth plugins that never change the generated rules (logging, placeholders). */
export const NO_OP_PLUGINS = ['sloth.dev/core/debug/v1', 'sloth.dev/core/noop/v1'];

export interface AlertModel {
  disable: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  for?: string;
}

export type SliModel =
  | { kind: 'events'; errorQuery: string; totalQuery: string }
  | { kind: 'raw'; errorRatioQuery: string };

/** One SLO, validated and normalised: what the compiler needs and nothing else. */
export interface SloModel {
  file: string;
  /** Which Sloth format the SLO came from (`sloth_spec` label). */
  specVersion?: string;
  service: string;
  name: string;
  id: string;
  objective: number;
  description?: string;
  /** Spec-level labels overlaid with SLO-level labels, as Sloth does. */
  labels: Record<string, string>;
  sli: SliModel;
  /** Set when the SLI came from the edge-availability plugin: rendered for `platform`. */
  edge?: { journey: EdgeJourney; platform: Platform };
  alertName?: string;
  alertLabels: Record<string, string>;
  alertAnnotations: Record<string, string>;
  page: AlertModel;
  ticket: AlertModel;
  interval: { slierror?: string; metadata?: string; alert?: string };
}

function zodIssues(file: string, error: z.ZodError, base: PropertyKey[]): SpecIssue[] {
  return error.issues.map((issue) => {
    const at = [...base, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return {
        file,
        field: formatPath([...at, issue.keys[0] ?? '?']),
        reason: `unknown field(s): ${issue.keys.join(', ')}`,
      };
    }
    return { file, field: formatPath(at), reason: issue.message };
  });
}

function checkQuery(
  file: string,
  field: string,
  query: string,
  issues: SpecIssue[],
  needsWindow: boolean,
): void {
  if (needsWindow && !hasWindowTemplate(query)) {
    issues.push({ file, field, reason: 'missing the {{.window}} template variable' });
    return;
  }
  const syntax = promqlSyntaxError(renderWindow(query, '5m'));
  if (syntax) issues.push({ file, field, reason: syntax });
}

function pluginIds(chain: { chain: { id: string }[] } | undefined): string[] {
  return chain?.chain.map((p) => p.id) ?? [];
}

/** The built-in SLI plugin: an availability SLI at the edge, rendered through EDGE_SOURCES. */
function edgeSli(
  file: string,
  at: string,
  plugin: { id: string; options?: Record<string, string> },
  platform: Platform,
  issues: SpecIssue[],
): { sli: SliModel; journey: EdgeJourney } | undefined {
  const options = plugin.options ?? {};
  const extra = Object.keys(options).filter((k) => k !== 'journey');
  if (extra.length) {
    issues.push({
      file,
      field: `${at}.sli.plugin.options`,
      reason: `unknown option(s): ${extra.join(', ')} (only journey)`,
    });
    return undefined;
  }
  const journey = options.journey ?? '';
  if (!isEdgeJourney(journey)) {
    issues.push({
      file,
      field: `${at}.sli.plugin.options.journey`,
      reason: `must be one of ${EDGE_JOURNEYS.join(', ')}, got "${journey}"`,
    });
    return undefined;
  }
  const q = edgeAvailabilityQueries(platform, journey);
  return { sli: { kind: 'events', errorQuery: q.errorQuery, totalQuery: q.totalQuery }, journey };
}

function toModel(
  file: string,
  doc: SloSpecFile,
  slo: SloSpec,
  index: number,
  issues: SpecIssue[],
  platform: Platform,
): SloModel | undefined {
  const at = `slos[${index}]`;
  const before = issues.length;
  const plugins = [...pluginIds(doc.slo_plugins), ...pluginIds(slo.plugins)];
  for (const id of plugins) {
    if (id !== ALERT_FOR_PLUGIN && !NO_OP_PLUGINS.includes(id)) {
      issues.push({
        file,
        field: `${at}.plugins`,
        reason: `unsupported SLO plugin "${id}" (built in: ${[ALERT_FOR_PLUGIN, ...NO_OP_PLUGINS].join(', ')})`,
      });
    }
  }
  let sli: SliModel | undefined;
  let edge: SloModel['edge'];
  if (slo.sli.plugin?.id === EDGE_AVAILABILITY_PLUGIN) {
    const e = edgeSli(file, at, slo.sli.plugin, platform, issues);
    if (e) {
      sli = e.sli;
      edge = { journey: e.journey, platform };
    }
  } else if (slo.sli.plugin) {
    issues.push({
      file,
      field: `${at}.sli.plugin`,
      reason: `SLI plugins are Go code loaded by Sloth; "${slo.sli.plugin.id}" cannot be compiled here (built in: ${EDGE_AVAILABILITY_PLUGIN}). Use sli.events or sli.raw`,
    });
  } else if (slo.sli.events) {
    const { error_query, total_query } = slo.sli.events;
    checkQuery(file, `${at}.sli.events.error_query`, error_query, issues, true);
    checkQuery(file, `${at}.sli.events.total_query`, total_query, issues, true);
    sli = { kind: 'events', errorQuery: error_query, totalQuery: total_query };
  } else if (slo.sli.raw) {
    const q = slo.sli.raw.error_ratio_query;
    checkQuery(file, `${at}.sli.raw.error_ratio_query`, q, issues, true);
    sli = { kind: 'raw', errorRatioQuery: q };
  }
  const alerting = slo.alerting;
  const anyAlert = !alerting.page_alert.disable || !alerting.ticket_alert.disable;
  if (anyAlert && !alerting.name) {
    issues.push({
      file,
      field: `${at}.alerting.name`,
      reason: 'required unless both page_alert and ticket_alert are disabled',
    });
  }
  if (issues.length > before || !sli) return undefined;

  const applyFor = plugins.includes(ALERT_FOR_PLUGIN);
  const alertModel = (a: typeof alerting.page_alert): AlertModel => ({
    disable: a.disable,
    labels: a.labels,
    annotations: a.annotations,
    ...(applyFor && a.for ? { for: a.for } : {}),
  });
  const all = slo.interval?.all;
  return {
    file,
    service: doc.service,
    name: slo.name,
    id: `${doc.service}-${slo.name}`,
    objective: slo.objective,
    description: slo.description,
    labels: { ...doc.labels, ...slo.labels },
    sli,
    ...(edge ? { edge } : {}),
    alertName: alerting.name,
    alertLabels: alerting.labels,
    alertAnnotations: alerting.annotations,
    page: alertModel(alerting.page_alert),
    ticket: alertModel(alerting.ticket_alert),
    interval: {
      slierror: slo.interval?.slierror ?? all,
      metadata: slo.interval?.metadata ?? all,
      alert: slo.interval?.alert ?? all,
    },
  };
}

/**
 * Parses and validates one file's text (which may hold several YAML documents). Edge SLIs are
 * rendered for `platform` (the lab unless told otherwise).
 */
export function parseSpecText(
  file: string,
  text: string,
  issues: SpecIssue[],
  platform: Platform = 'lab',
): SloModel[] {
  const out: SloModel[] = [];
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) {
    issues.push({ file, field: '(root)', reason: 'not a YAML document stream' });
    return out;
  }
  docs.forEach((yamlDoc, docIndex) => {
    const base: PropertyKey[] = docs.length > 1 ? [`document[${docIndex}]`] : [];
    if (yamlDoc.errors.length > 0) {
      for (const e of yamlDoc.errors) {
        issues.push({ file, field: formatPath(base), reason: `YAML: ${e.message.split('\n')[0]}` });
      }
      return;
    }
    let raw: unknown = yamlDoc.toJS();
    if (raw === null || raw === undefined) return; // an empty document between `---` markers
    const k8s = isK8sDocument(raw);
    const where = (field: string): string => {
      const f = k8s ? k8sField(field) : field;
      return base.length ? `${formatPath(base)}.${f}` : f;
    };
    if (k8s) {
      const translated = fromK8s(raw as Record<string, unknown>);
      if (translated.problems.length) {
        issues.push(
          ...translated.problems.map((p) => ({
            file,
            field: base.length ? `${formatPath(base)}.${p.field}` : p.field,
            reason: p.reason,
          })),
        );
        return;
      }
      raw = translated.spec;
    }
    const parsed = specSchema.safeParse(raw);
    if (!parsed.success) {
      issues.push(
        ...zodIssues(file, parsed.error, []).map((i) => ({ ...i, field: where(i.field) })),
      );
      return;
    }
    const spec = k8s ? `${K8S_SPEC_LABEL}` : 'prometheus/v1';
    parsed.data.slos.forEach((slo, i) => {
      const scoped: SpecIssue[] = [];
      const model = toModel(file, parsed.data, slo, i, scoped, platform);
      issues.push(...scoped.map((s) => ({ ...s, field: where(s.field) })));
      if (model) out.push({ ...model, specVersion: spec });
    });
  });
  return out;
}

/** Spec files under `input`: the file itself, or every *.yaml / *.yml in the directory, sorted. */
export function listSpecFiles(input: string): string[] {
  const stat = fs.statSync(input);
  if (stat.isFile()) return [input];
  return fs
    .readdirSync(input)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(input, f));
}

/**
 * Loads every spec under `input`, edge SLIs rendered for `platform`; throws SpecValidationError
 * listing every problem found.
 */
export function loadSpecs(
  input: string,
  displayRoot = process.cwd(),
  platform: Platform = 'lab',
): SloModel[] {
  const issues: SpecIssue[] = [];
  let files: string[];
  try {
    files = listSpecFiles(input);
  } catch (e) {
    throw new SpecValidationError([
      { file: input, field: '(file)', reason: `cannot read: ${(e as Error).message}` },
    ]);
  }
  if (files.length === 0) {
    throw new SpecValidationError([
      { file: input, field: '(file)', reason: 'no *.yaml or *.yml spec files found' },
    ]);
  }
  const models: SloModel[] = [];
  for (const f of files) {
    const shown = path.relative(displayRoot, f) || f;
    models.push(...parseSpecText(shown, fs.readFileSync(f, 'utf8'), issues, platform));
  }
  const seen = new Map<string, string>();
  for (const m of models) {
    const prev = seen.get(m.id);
    if (prev) {
      issues.push({
        file: m.file,
        field: 'slos.name',
        reason: `duplicate SLO id "${m.id}" (also in ${prev})`,
      });
    }
    seen.set(m.id, m.file);
  }
  if (issues.length > 0) throw new SpecValidationError(issues);
  return models;
}
