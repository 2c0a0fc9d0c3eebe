// Pulumi unit-test harness: records every resource the program registers and answers with
// plausible computed outputs (IPs, CA certs, generated secrets) so outputs resolve offline.
import * as pulumi from '@pulumi/pulumi';

export interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** Values that stand in for generated secrets; none may appear in plain-text outputs. */
export const MOCK_SECRETS = { random: 'MOCK-RANDOM-SECRET', redisAuth: 'MOCK-REDIS-AUTH-STRING' };

function computed(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  switch (type) {
    case 'random:index/randomPassword:RandomPassword':
      return { result: `${MOCK_SECRETS.random}-${name}` };
    case 'gcp:redis/instance:Instance':
      return {
        host: '10.64.1.4',
        port: 6378,
        authString: MOCK_SECRETS.redisAuth,
        serverCaCerts: [{ cert: 'REDIS-CA' }],
      };
    case 'gcp:sql/databaseInstance:DatabaseInstance':
      return { privateIpAddress: '10.64.0.3', serverCaCerts: [{ cert: 'SQL-CA' }] };
    case 'gcp:container/cluster:Cluster':
      return {
        endpoint: '172.16.0.2',
        masterAuth: { clusterCaCertificate: 'Q0E=' },
        location: inputs.location,
      };
    case 'gcp:certificatemanager/dnsAuthorization:DnsAuthorization':
      return {
        dnsResourceRecords: [
          {
            name: '_acme-challenge.example.',
            type: 'CNAME',
            data: 'x.authorize.certificatemanager.goog.',
          },
        ],
      };
    case 'gcp:compute/globalAddress:GlobalAddress':
      return { address: inputs.address ?? '203.0.113.10' };
    case 'gcp:artifactregistry/repository:Repository':
      return { project: 'dhakacart-prod' };
    default:
      return {};
  }
}

export function installMocks(project: string, stack: string): Recorded[] {
  const recorded: Recorded[] = [];
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
        return {
          id: `${args.name}-id`,
          state: {
            ...args.inputs,
            name: args.inputs.name ?? args.name,
            ...computed(args.type, args.name, args.inputs),
          },
        };
      },
      call(args) {
        return args.inputs;
      },
    },
    project,
    stack,
    false,
  );
  return recorded;
}

export function promiseOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

/** Resolves every Output inside a plain object tree. */
export async function resolveAll(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value))
    return resolveAll(await promiseOf(value as pulumi.Output<unknown>));
  if (Array.isArray(value)) return Promise.all(value.map(resolveAll));
  if (value && typeof value === 'object') {
    const entries = await Promise.all(
      Object.entries(value).map(async ([k, v]) => [k, await resolveAll(v)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

/** Waits until no new resource registrations arrive (mocks register asynchronously). */
export async function settle(recorded: Recorded[]): Promise<void> {
  let last = -1;
  while (recorded.length !== last) {
    last = recorded.length;
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const ofType = (recorded: Recorded[], type: string) =>
  recorded.filter((r) => r.type === type);
