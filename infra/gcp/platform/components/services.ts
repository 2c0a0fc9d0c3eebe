import * as pulumi from '@pulumi/pulumi';
import * as projects from '@pulumi/gcp/projects';

/** Google APIs the platform uses; enabling is idempotent and never disabled on destroy. */
export const REQUIRED_APIS = [
  'compute.googleapis.com',
  'container.googleapis.com',
  'sqladmin.googleapis.com',
  'redis.googleapis.com',
  'servicenetworking.googleapis.com',
  'secretmanager.googleapis.com',
  'artifactregistry.googleapis.com',
  'containerscanning.googleapis.com',
  'certificatemanager.googleapis.com',
  'iam.googleapis.com',
  'iamcredentials.googleapis.com',
  'sts.googleapis.com',
  'cloudresourcemanager.googleapis.com',
  'logging.googleapis.com',
  'monitoring.googleapis.com',
  'cloudkms.googleapis.com',
  'binaryauthorization.googleapis.com',
  'containeranalysis.googleapis.com',
  // Fleet membership and Connect Gateway: the way to the private control plane.
  'gkehub.googleapis.com',
  'connectgateway.googleapis.com',
  'gkeconnect.googleapis.com',
];

export class ProjectServices extends pulumi.ComponentResource {
  readonly services: projects.Service[];

  constructor(name: string, args: { project: string }, opts?: pulumi.ComponentResourceOptions) {
    super('dhakacart:platform:ProjectServices', name, {}, opts);
    this.services = REQUIRED_APIS.map(
      (api) =>
        new projects.Service(
          `${name}-${api.split('.')[0]}`,
          { project: args.project, service: api, disableOnDestroy: false },
          { parent: this },
        ),
    );
    this.registerOutputs({});
  }
}
