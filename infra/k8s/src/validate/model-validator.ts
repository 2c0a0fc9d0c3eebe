// Core, prometheus-operator, Gateway API, External Secrets and GKE objects validate with the
// kubernetes-models packages (JSON schemas generated from the upstream OpenAPI/CRDs).
import { loadModelGroup, type ModelCtor } from './load-models';
import type { Finding } from './finding';

/** apiVersion -> the package that models it. Core (`v1`) lives at the package root. */
const MODEL_PACKAGES: Record<string, string> = {
  v1: 'kubernetes-models',
  'apps/v1': 'kubernetes-models',
  'batch/v1': 'kubernetes-models',
  'policy/v1': 'kubernetes-models',
  'autoscaling/v2': 'kubernetes-models',
  'networking.k8s.io/v1': 'kubernetes-models',
  'rbac.authorization.k8s.io/v1': 'kubernetes-models',
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator',
  'gateway.networking.k8s.io/v1': '@kubernetes-models/gateway-api',
  'external-secrets.io/v1': '@kubernetes-models/external-secrets',
  'networking.gke.io/v1': '@kubernetes-models/gke',
};

interface ValidationErrorLike {
  message?: string;
  errors?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[];
}

export class ModelValidator {
  private readonly groups = new Map<string, Record<string, ModelCtor>>();

  async knows(apiVersion: string, kind: string): Promise<boolean> {
    return (await this.model(apiVersion, kind)) !== undefined;
  }

  private async model(apiVersion: string, kind: string): Promise<ModelCtor | undefined> {
    const pkg = MODEL_PACKAGES[apiVersion];
    if (!pkg) return undefined;
    let group = this.groups.get(apiVersion);
    if (!group) {
      group = await loadModelGroup(pkg, apiVersion);
      this.groups.set(apiVersion, group);
    }
    return group[kind];
  }

  async validate(obj: { apiVersion: string; kind: string }): Promise<Finding[]> {
    const Model = await this.model(obj.apiVersion, obj.kind);
    if (!Model) return [{ path: '', message: `no model for ${obj.apiVersion} ${obj.kind}` }];
    try {
      new Model(obj).validate();
      return [];
    } catch (e) {
      const err = e as ValidationErrorLike;
      if (Array.isArray(err.errors) && err.errors.length > 0) {
        return err.errors.map((x) => ({
          path: x.instancePath || '/',
          message: `${x.message ?? 'invalid'}${x.params?.additionalProperty ? `: ${String(x.params.additionalProperty)}` : ''}`,
        }));
      }
      return [{ path: '/', message: err.message ?? String(e) }];
    }
  }
}
