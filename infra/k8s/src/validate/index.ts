// Offline validation of every object: kubernetes-models first, then the real CRDs.
import path from 'node:path';
import YAML from 'yaml';
import { EMBEDDED_MANIFEST_LABEL } from '../objects/embedded';
import { CrdValidator } from './crd-validator';
import { ModelValidator } from './model-validator';
import { objectRef, type ObjectReport } from './finding';

export type { Finding, ObjectReport } from './finding';
export { CrdValidator } from './crd-validator';
export { toJsonSchema, loadCrdSchemas } from './crd-schema';

/** ../shared/crds relative to the repository root; DHAKACART_CRDS_DIR overrides it. */
export function defaultCrdDir(repoRoot: string): string {
  return process.env.DHAKACART_CRDS_DIR ?? path.resolve(repoRoot, '..', 'shared', 'crds');
}

/**
 * CRDs of GKE kinds that kubernetes-models does not know yet (GCPHTTPFilter), written from
 * Google's documentation: replace each with the cluster's own when one is at hand.
 */
export function localCrdDir(): string {
  return path.resolve(__dirname, '..', '..', 'crds');
}

export class ObjectValidator {
  private readonly models = new ModelValidator();
  constructor(private readonly crds: CrdValidator) {}

  async validate(obj: unknown): Promise<ObjectReport> {
    const o = obj as { apiVersion?: unknown; kind?: unknown };
    const ref = objectRef(obj as Parameters<typeof objectRef>[0]);
    if (typeof o?.apiVersion !== 'string' || typeof o.kind !== 'string') {
      return {
        ref,
        validator: 'none',
        findings: [{ path: '/', message: 'apiVersion and kind must be strings' }],
      };
    }
    const typed = o as { apiVersion: string; kind: string };
    if (await this.models.knows(typed.apiVersion, typed.kind)) {
      return { ref, validator: 'kubernetes-models', findings: await this.models.validate(typed) };
    }
    if (this.crds.knows(typed.apiVersion, typed.kind)) {
      return { ref, validator: 'crd', findings: this.crds.validate(typed) };
    }
    return {
      ref,
      validator: 'none',
      findings: [{ path: '/', message: `no schema for ${typed.apiVersion} ${typed.kind}` }],
    };
  }
}

/**
 * The manifests carried inside ConfigMaps labelled `dhakacart.io/embedded-manifest: "true"` (a
 * TestRun the nightly CronJob creates, the Velero Restore the drill creates): validated like the
 * objects applied directly, since the API server will see them just the same.
 */
export function embeddedManifests(objects: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const o of objects as {
    kind?: string;
    metadata?: { labels?: Record<string, string> };
    data?: Record<string, string>;
  }[]) {
    if (o?.kind !== 'ConfigMap' || o.metadata?.labels?.[EMBEDDED_MANIFEST_LABEL] !== 'true')
      continue;
    for (const text of Object.values(o.data ?? {}))
      for (const doc of YAML.parseAllDocuments(text)) out.push(doc.toJS());
  }
  return out;
}
