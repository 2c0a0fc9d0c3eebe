// Pulumi unit-test harness: records every resource the program registers and answers with
// plausible computed outputs (IPs, CA certs, generated secrets) so outputs resolve offline.
import * as pulumi from '@pulumi/pulumi';

export interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** Filled in when the engine would learn them: the resource's URN and direct dependencies. */
  urn?: string;
  /** URNs of every resource this one waits for (explicit dependsOn and inputs' resources). */
  dependencies?: string[];
  /** The parent's URN: the SDK registers a child only once its parent is registered. */
  parent?: string;
}

/** The project number the mocked `gcp.organizations.getProject` answers. */
export const MOCK_PROJECT_NUMBER = '123456789012';

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
    case 'gcp:projects/iAMCustomRole:IAMCustomRole':
      return { name: `projects/${String(inputs.project)}/roles/${String(inputs.roleId)}` };
    case 'gcp:compute/address:Address':
      // A documentation address per reservation, told apart by the index in its name.
      return {
        address: `198.51.100.${10 + Number(/(\d+)$/.exec(name)?.[1] ?? 0)}`,
        selfLink: `https://www.googleapis.com/compute/v1/projects/mock/regions/r/addresses/${String(inputs.name)}`,
      };
    case 'gcp:compute/globalAddress:GlobalAddress':
      return { address: inputs.address ?? '203.0.113.10' };
    case 'gcp:artifactregistry/repository:Repository':
      return { project: 'dhakacart-prod' };
    case 'gcp:binaryauthorization/attestor:Attestor':
    case 'gcp:containeranalysis/note:Note':
      return { name: inputs.name };
    case 'gcp:serviceaccount/account:Account':
      return { email: `${String(inputs.accountId)}@mock-project.iam.gserviceaccount.com` };
    default:
      return {};
  }
}

/** Provider ids where something reads them: KMS ids carry their location, as GCP's do. */
function idOf(type: string, name: string, inputs: Record<string, unknown>, project: string) {
  switch (type) {
    case 'gcp:kms/keyRing:KeyRing':
      return `projects/${project}/locations/${String(inputs.location)}/keyRings/${String(inputs.name)}`;
    case 'gcp:kms/cryptoKey:CryptoKey':
      return `${String(inputs.keyRing)}/cryptoKeys/${String(inputs.name)}`;
    case 'gcp:binaryauthorization/attestor:Attestor':
      return `projects/${project}/attestors/${String(inputs.name)}`;
    case 'gcp:container/cluster:Cluster':
      return `projects/${project}/locations/${String(inputs.location)}/clusters/${String(inputs.name)}`;
    default:
      return `${name}-id`;
  }
}

function invoked(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (token) {
    case 'gcp:organizations/getProject:getProject':
      return { ...inputs, number: MOCK_PROJECT_NUMBER };
    case 'gcp:kms/getKMSCryptoKeyVersion:getKMSCryptoKeyVersion':
      return {
        ...inputs,
        id: `//cloudkms.googleapis.com/v1/${String(inputs.cryptoKey)}/cryptoKeyVersions/1`,
        publicKeys: [
          { algorithm: 'EC_SIGN_P256_SHA256', pem: '-----BEGIN PUBLIC KEY-----\nMOCK\n' },
        ],
      };
    default:
      return inputs;
  }
}

/**
 * Installs Pulumi's mocks and records every registration, including the dependencies the SDK
 * sends the engine (the mock monitor drops them, so its registerResource is wrapped).
 * `stackOutputs` answers StackReferences (the workloads stack reading the platform's outputs).
 */
export function installMocks(
  project: string,
  stack: string,
  stackOutputs?: Record<string, unknown>,
): Recorded[] {
  const recorded: Recorded[] = [];
  // The stack's gcp:project (set after the mocks, before any resource), else the platform's.
  const gcpProject = () =>
    new pulumi.Config('gcp').get('project') ?? String(stackOutputs?.projectId ?? 'mock-project');
  void pulumi.runtime.setMocks(
    {
      newResource(args) {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
        if (args.type === 'pulumi:pulumi:StackReference')
          return { id: `${args.name}-id`, state: { ...args.inputs, outputs: stackOutputs ?? {} } };
        return {
          id: idOf(args.type, args.name, args.inputs, gcpProject()),
          state: {
            ...args.inputs,
            name: args.inputs.name ?? args.name,
            ...computed(args.type, args.name, args.inputs),
          },
        };
      },
      call(args) {
        return invoked(args.token, args.inputs);
      },
    },
    project,
    stack,
    false,
  );
  recordDependencies(recorded);
  return recorded;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
}
interface RegisterResponse {
  getUrn(): string;
}
type Callback = (err: unknown, res?: RegisterResponse) => void;

function recordDependencies(recorded: Recorded[]): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, cb: Callback): Promise<void>;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) =>
    original(req, (err, res) => {
      const r = recorded.filter((x) => x.type === req.getType() && x.name === req.getName()).pop();
      if (r && res) {
        r.urn = res.getUrn();
        r.dependencies = req.getDependenciesList();
        r.parent = req.getParent() || undefined;
      }
      cb(err, res);
    });
}

/**
 * True when `from` is created only after `to`: it depends on it (dependsOn, or an input read
 * from it), directly or through what it depends on, or its parent component does (the SDK
 * registers a child only after its parent, and a component only after its dependsOn).
 */
export function waitsFor(recorded: Recorded[], from: Recorded, to: Recorded): boolean {
  const byUrn = new Map(recorded.filter((r) => r.urn).map((r) => [r.urn!, r]));
  const next = (r: Recorded | undefined) => [
    ...(r?.dependencies ?? []),
    ...(r?.parent ? [r.parent] : []),
  ];
  const seen = new Set<string>();
  const stack = next(from);
  while (stack.length) {
    const urn = stack.pop()!;
    if (urn === to.urn) return true;
    if (seen.has(urn)) continue;
    seen.add(urn);
    stack.push(...next(byUrn.get(urn)));
  }
  return false;
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
