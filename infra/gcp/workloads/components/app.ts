// DhakaCart's own objects: built by infra/k8s (the same code the offline render and
// validation run) and applied as one ConfigGroup after the add-ons that own their CRDs.
import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import type { KubeObject } from '@dhakacart/infra-k8s';

export interface AppArgs {
  provider: k8s.Provider;
  /** The `workloads` phase of infra/k8s's buildObjectPhases. */
  objects: pulumi.Output<KubeObject[]>;
  dependsOn: pulumi.Resource[];
}

export class App extends pulumi.ComponentResource {
  readonly objects: pulumi.Output<KubeObject[]>;
  readonly group: k8s.yaml.v2.ConfigGroup;

  constructor(name: string, a: AppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dhakacart:workloads:App', name, {}, opts);
    this.objects = a.objects;
    this.group = new k8s.yaml.v2.ConfigGroup(
      name,
      { objs: this.objects },
      { parent: this, provider: a.provider, dependsOn: a.dependsOn },
    );
    this.registerOutputs({});
  }
}
