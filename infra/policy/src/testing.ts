// Runs one policy against a fixture the way the engine would, collecting violation messages
// (the pulumi/compliance-policies testing style: valid fixture, then one broken field per test).
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from '@pulumi/policy';
import type { Props } from './policies/types';

const notApplicable = (reason?: string): never => {
  throw new Error(`not applicable: ${reason ?? ''}`);
};

function resourceArgs(
  type: string,
  props: Props,
  name = 'fixture',
): ResourceValidationArgs & PolicyResource {
  const isType = (cls: { __pulumiType?: string }) => cls.__pulumiType === type;
  return {
    type,
    props,
    name,
    urn: `urn:pulumi:test::dhakacart::${type}::${name}`,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    stackTags: new Map(),
    dependencies: [],
    propertyDependencies: {},
    isType: isType as ResourceValidationArgs['isType'],
    asType: ((cls: { __pulumiType?: string }) =>
      isType(cls) ? props : undefined) as ResourceValidationArgs['asType'],
    getConfig: <T extends object>() => ({}) as T,
    notApplicable,
  };
}

export async function resourceViolations(
  policy: ResourceValidationPolicy,
  type: string,
  props: Props,
): Promise<string[]> {
  const found: string[] = [];
  const report: ReportViolation = (message) => found.push(message);
  const v0 = policy.validateResource;
  const validate = v0 === undefined ? [] : Array.isArray(v0) ? v0 : [v0];
  for (const v of validate) await v(resourceArgs(type, props), report);
  return found;
}

export async function stackViolations(
  policy: StackValidationPolicy,
  resources: { type: string; props: Props; name: string }[],
): Promise<string[]> {
  const found: string[] = [];
  await policy.validateStack(
    {
      resources: resources.map((r) => resourceArgs(r.type, r.props, r.name)),
      stackTags: new Map(),
      getConfig: <T extends object>() => ({}) as T,
      notApplicable,
    },
    (message) => found.push(message),
  );
  return found;
}

/** The Pulumi type token the Kubernetes provider registers an object under. */
export function kubernetesType(apiVersion: string, kind: string): string {
  return `kubernetes:${apiVersion.includes('/') ? apiVersion : `core/${apiVersion}`}:${kind}`;
}
