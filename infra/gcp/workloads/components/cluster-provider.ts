import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';

/**
 * A kubeconfig for the platform's cluster that authenticates with gke-gcloud-auth-plugin
 * (the operator's or CI's Google identity), so no token or key is stored in state. The control
 * plane has no public endpoint: the server is the fleet membership's Connect Gateway URL, which
 * serves a publicly trusted certificate (no cluster CA needed) and authorises by IAM.
 */
export function kubeconfig(cluster: {
  name: pulumi.Input<string>;
  gatewayUrl: pulumi.Input<string>;
}): pulumi.Output<string> {
  return pulumi.all([cluster.name, cluster.gatewayUrl]).apply(([name, server]) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name, cluster: { server } }],
      contexts: [{ name, context: { cluster: name, user: name } }],
      'current-context': name,
      users: [
        {
          name,
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: 'gke-gcloud-auth-plugin',
              provideClusterInfo: true,
              interactiveMode: 'Never',
            },
          },
        },
      ],
    }),
  );
}

export function clusterProvider(name: string, config: pulumi.Output<string>): k8s.Provider {
  return new k8s.Provider(name, { kubeconfig: config, enableServerSideApply: true });
}
