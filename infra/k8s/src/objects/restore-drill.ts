// The weekly restore drill on GKE (docs/adr/0304-cloud-sql-backups-off-region.md), two halves:
//
// 1. Velero: the latest backup of the app namespace is restored into a scratch namespace, with
//    every workload left out: restored api pods would start with the live Secrets and write to
//    the live Cloud SQL. The drill checks the restore completed without errors, that the state
//    is there (ConfigMaps, Services, network policies...), that no workload came back, and then
//    deletes the scratch namespace.
// 2. Cloud SQL: the live instance is cloned to a point in time a few minutes ago and the clone is
//    verified like the lab's drill: the count of orders created before that point and an md5
//    over their immutable columns (id, customer, items, total, creation time) must be the same
//    on the clone as on the live database (read in a read-only transaction). The clone is then
//    deleted; a clone left by a killed run is deleted by the next one.
//
// Nothing here can write to the live database or touch the live namespace: the clone scripts
// refuse any instance not named <source>-drill-*, and so does the drill identity's IAM
// condition (infra/gcp/platform/components/identities.ts).
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import YAML from 'yaml';
import type { WorkloadSettings } from '../settings';
import { API_SECRET_NAME, CA_CONFIGMAP_NAME } from './api';
import { EMBEDDED_MANIFEST_LABEL } from './embedded';
import type { KubeObject } from '.';

export const VELERO_DRILL = 'restore-drill';
export const DB_DRILL = 'db-drill';
export const RESTORE_TEMPLATE_NAME = 'dhakacart-restore-drill';
/** The Velero Schedule whose latest backup the drill restores (backups.ts). */
export const DRILL_BACKUP_SCHEDULE = 'dhakacart-hourly';

/**
 * Left out of the restore. Workloads, because restored pods would run with the live Secrets
 * against the live Cloud SQL; the Gateway and its policies, because a second Gateway would ask
 * for a second load balancer on the live address; ServiceMonitors and PrometheusRules, because
 * copies would double the alerts; ExternalSecrets, because External Secrets would start syncing
 * into the scratch namespace; and what Kubernetes makes on its own.
 */
export const RESTORE_EXCLUDED_RESOURCES = [
  'deployments.apps',
  'replicasets.apps',
  'statefulsets.apps',
  'daemonsets.apps',
  'pods',
  'jobs.batch',
  'cronjobs.batch',
  'horizontalpodautoscalers.autoscaling',
  'gateways.gateway.networking.k8s.io',
  'httproutes.gateway.networking.k8s.io',
  'gcpbackendpolicies.networking.gke.io',
  'gcpgatewaypolicies.networking.gke.io',
  'healthcheckpolicies.networking.gke.io',
  'gcphttpfilters.networking.gke.io',
  'servicemonitors.monitoring.coreos.com',
  'prometheusrules.monitoring.coreos.com',
  'externalsecrets.external-secrets.io',
  'endpoints',
  'endpointslices.discovery.k8s.io',
  'events',
  'events.events.k8s.io',
];

/** Workload kinds the drill insists are absent from the scratch namespace after the restore. */
export const WORKLOAD_KINDS = [
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'pods',
  'jobs',
  'cronjobs',
];

/** Kinds of the app namespace that the restore brings back and the drill expects to find. */
const RESTORED_KINDS: Record<string, string> = {
  ConfigMap: 'configmap',
  Service: 'service',
  ServiceAccount: 'serviceaccount',
  NetworkPolicy: 'networkpolicy',
  PodDisruptionBudget: 'poddisruptionbudget',
};

const labels = (name: string) => ({
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/part-of': 'dhakacart',
});

/** The Restore the drill creates (a fresh name per run): latest backup, into the scratch namespace. */
export function restoreDrillRestore(s: WorkloadSettings) {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Restore',
    metadata: {
      name: RESTORE_TEMPLATE_NAME,
      namespace: s.veleroNamespace,
      labels: labels(VELERO_DRILL),
    },
    spec: {
      scheduleName: DRILL_BACKUP_SCHEDULE,
      includedNamespaces: [s.namespace],
      namespaceMapping: { [s.namespace]: s.backups.drill.scratchNamespace },
      excludedResources: RESTORE_EXCLUDED_RESOURCES,
      includeClusterResources: false,
      restorePVs: false,
      existingResourcePolicy: 'none',
    },
  };
}

/** `kind/name` of every object the scratch namespace must hold after the restore. */
export function expectedRestoredObjects(s: WorkloadSettings, appObjects: KubeObject[]): string[] {
  return appObjects
    .filter((o) => o.metadata?.namespace === s.namespace && RESTORED_KINDS[o.kind])
    .map((o) => `${RESTORED_KINDS[o.kind]}/${o.metadata!.name}`)
    .sort();
}

export const VELERO_DRILL_SCRIPT = `set -eu
ns="$SCRATCH_NAMESPACE"
name="restore-drill-$(date -u +%Y%m%dt%H%M)"
fail() { echo "RESTORE DRILL FAILED: $*"; kubectl delete namespace "$ns" --ignore-not-found --wait=false; exit 1; }
# A scratch namespace left by a killed run goes first.
kubectl delete namespace "$ns" --ignore-not-found --wait=true --timeout=600s
sed -e "s/^  name: ${RESTORE_TEMPLATE_NAME}$/  name: $name/" "\${RESTORE_MANIFEST:-/drill/restore.yaml}" | kubectl create -f -
phase=""
i=0
while [ "$i" -lt "\${WAIT_STEPS:-180}" ]; do
  phase=$(kubectl -n "$VELERO_NAMESPACE" get restore "$name" -o jsonpath='{.status.phase}')
  case "$phase" in
    Completed) break ;;
    PartiallyFailed|Failed|FailedValidation) fail "restore $name ended $phase" ;;
  esac
  i=$((i + 1))
  sleep "\${WAIT_SECONDS:-10}"
done
[ "$phase" = Completed ] || fail "restore $name still $phase after the time allowed"
errors=$(kubectl -n "$VELERO_NAMESPACE" get restore "$name" -o jsonpath='{.status.errors}')
[ "\${errors:-0}" = 0 ] || fail "restore $name reported $errors errors"
for kind in $WORKLOAD_KINDS; do
  found=$(kubectl -n "$ns" get "$kind" -o name)
  [ -z "$found" ] || fail "a workload was restored: $found"
done
for want in $EXPECTED_OBJECTS; do
  kubectl -n "$ns" get "$want" -o name >/dev/null || fail "$want is missing from the restore"
done
kubectl delete namespace "$ns" --wait=false
echo "restore drill passed: $name restored $(echo $EXPECTED_OBJECTS | wc -w) expected objects, no workload"
`;

const restrictedContainer = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' as const },
};

function cronJob(
  name: string,
  namespace: string,
  schedule: string,
  podSpec: NonNullable<NonNullable<ICronJob['spec']>['jobTemplate']['spec']>['template']['spec'],
  deadlineSeconds: number,
): ICronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace, labels: labels(name) },
    spec: {
      schedule,
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        spec: {
          backoffLimit: 0,
          activeDeadlineSeconds: deadlineSeconds,
          template: { metadata: { labels: labels(name) }, spec: podSpec },
        },
      },
    },
  };
}

/** Velero half: the Restore template, the drill's rights and its weekly CronJob. */
export function veleroDrillObjects(
  s: WorkloadSettings,
  appObjects: KubeObject[],
): (
  | IConfigMap
  | IServiceAccount
  | IRole
  | IRoleBinding
  | IClusterRole
  | IClusterRoleBinding
  | ICronJob
)[] {
  const ns = s.veleroNamespace;
  const scratch = s.backups.drill.scratchNamespace;
  const meta = { name: VELERO_DRILL, namespace: ns, labels: labels(VELERO_DRILL) };
  const clusterMeta = { name: `dhakacart-${VELERO_DRILL}`, labels: labels(VELERO_DRILL) };
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: `${VELERO_DRILL}-restore`,
        namespace: ns,
        labels: { ...labels(VELERO_DRILL), [EMBEDDED_MANIFEST_LABEL]: 'true' },
      },
      data: { 'restore.yaml': YAML.stringify(restoreDrillRestore(s), { lineWidth: 0 }) },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta,
      rules: [
        { apiGroups: ['velero.io'], resources: ['restores'], verbs: ['get', 'list', 'create'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: VELERO_DRILL },
      subjects: [{ kind: 'ServiceAccount', name: VELERO_DRILL, namespace: ns }],
    },
    // Read the scratch namespace's objects (never Secrets) and delete that namespace only. A
    // ClusterRole because the namespace does not exist until Velero makes it.
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: clusterMeta,
      rules: [
        {
          apiGroups: ['', 'apps', 'batch', 'policy', 'networking.k8s.io'],
          resources: [
            ...WORKLOAD_KINDS,
            'configmaps',
            'services',
            'serviceaccounts',
            'networkpolicies',
            'poddisruptionbudgets',
          ],
          verbs: ['get', 'list'],
        },
        {
          apiGroups: [''],
          resources: ['namespaces'],
          resourceNames: [scratch],
          verbs: ['get', 'delete'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: clusterMeta,
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: clusterMeta.name,
      },
      subjects: [{ kind: 'ServiceAccount', name: VELERO_DRILL, namespace: ns }],
    },
    cronJob(
      VELERO_DRILL,
      ns,
      s.backups.drill.schedule,
      {
        serviceAccountName: VELERO_DRILL,
        restartPolicy: 'Never',
        securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 },
        containers: [
          {
            name: 'drill',
            image: s.toolImages.kubectl,
            command: ['/bin/sh', '-c', VELERO_DRILL_SCRIPT],
            env: [
              { name: 'SCRATCH_NAMESPACE', value: scratch },
              { name: 'VELERO_NAMESPACE', value: ns },
              { name: 'WORKLOAD_KINDS', value: WORKLOAD_KINDS.join(' ') },
              { name: 'EXPECTED_OBJECTS', value: expectedRestoredObjects(s, appObjects).join(' ') },
            ],
            resources: {
              requests: { cpu: '50m', memory: '64Mi' },
              limits: { cpu: '200m', memory: '128Mi' },
            },
            securityContext: restrictedContainer,
            volumeMounts: [{ name: 'restore', mountPath: '/drill', readOnly: true }],
          },
        ],
        volumes: [{ name: 'restore', configMap: { name: `${VELERO_DRILL}-restore` } }],
      },
      2 * 3600,
    ),
  ];
}

/**
 * The checksum of the lab's drill (backup/src/verify.ts) over a time window: per order an md5 of
 * its immutable columns, then an md5 over those sorted, with the count. `until` is a psql
 * variable; the session is read-only.
 */
export const ORDERS_CHECKSUM_SQL = `SET default_transaction_read_only = on;
SET TimeZone = 'UTC';
SELECT count(*) || ' ' || md5(coalesce(string_agg(s, E'\\n' ORDER BY s), ''))
FROM (
  SELECT md5(concat_ws('|', o.id, o.user_id, o.total_paisa,
    to_char(o.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.US'),
    (SELECT string_agg(concat_ws(':', i.product_id, i.name, i.quantity, i.price_paisa), ',' ORDER BY i.product_id)
       FROM order_items i WHERE i.order_id = o.id))) AS s
  FROM orders o
  WHERE o.created_at <= :'until'::timestamptz
) per_order;
`;

/** Step 1 (gcloud): remove a killed run's clones, then clone the live instance to T. */
export const CLONE_SCRIPT = `set -eu
case "$CLONE_PREFIX" in "$SOURCE_INSTANCE"-drill-) ;; *) echo "refusing: clone prefix $CLONE_PREFIX"; exit 2 ;; esac
g() { gcloud "$@" --project="$PROJECT" --quiet; }
for old in $(g sql instances list --filter="name:$CLONE_PREFIX*" --format="value(name)"); do
  case "$old" in "$CLONE_PREFIX"*) ;; *) continue ;; esac
  echo "removing the clone a killed run left: $old"
  g sql instances patch "$old" --no-deletion-protection
  g sql instances delete "$old"
done
now=$(date -u +%s)
t=$(date -u -d "@$((now - MINUTES_AGO * 60))" +%Y-%m-%dT%H:%M:%S.000Z)
# Orders still committing at T may land either side of it: compare only those a minute older.
until=$(date -u -d "@$((now - MINUTES_AGO * 60 - 60))" +%Y-%m-%dT%H:%M:%SZ)
clone="$CLONE_PREFIX$(date -u +%Y%m%d%H%M)"
[ "$clone" != "$SOURCE_INSTANCE" ] || { echo "refusing: the clone would be the live instance"; exit 2; }
g sql instances clone "$SOURCE_INSTANCE" "$clone" --point-in-time="$t"
g sql instances describe "$clone" --format="value(serverCaCert.cert)" > "$WORK/clone-ca.pem"
ip=$(g sql instances describe "$clone" --format="value(ipAddresses[0].ipAddress)")
printf '%s\\n%s\\n%s\\n%s\\n' "$clone" "$ip" "$t" "$until" > "$WORK/clone"
echo "cloned $SOURCE_INSTANCE at $t into $clone ($ip)"
`;

/**
 * Step 2 (psql): the same checksum on the live database and on the clone; never fails itself.
 * PGSSLMODE_DRILL and CLONE_PORT are set only by its test (a real PostgreSQL without TLS).
 */
export const VERIFY_SCRIPT = `set -u
clone=$(sed -n 1p "$WORK/clone"); ip=$(sed -n 2p "$WORK/clone"); until=$(sed -n 4p "$WORK/clone")
export PGPASSWORD="$(cat "$PASSWORD_FILE")"
sum() {
  psql "host=$1 port=$3 dbname=$DB_NAME user=$DB_USER sslmode=\${PGSSLMODE_DRILL:-verify-ca} sslrootcert=$2 connect_timeout=10" \\
    -X -q -At -v ON_ERROR_STOP=1 -v until="$until" -f "$CHECKSUM_SQL"
}
if ! live=$(sum "$DB_HOST" "$LIVE_CA" "$DB_PORT"); then
  echo "result=error the live database did not answer" > "$WORK/result"
elif ! copy=$(sum "$ip" "$WORK/clone-ca.pem" "\${CLONE_PORT:-$DB_PORT}"); then
  echo "result=error the clone $clone did not answer" > "$WORK/result"
elif [ "$live" = "$copy" ]; then
  echo "result=ok orders=\${live%% *} checksum=\${live#* } until=$until clone=$clone" > "$WORK/result"
else
  echo "result=mismatch until=$until live=[$live] clone=[$copy]" > "$WORK/result"
fi
cat "$WORK/result"
exit 0
`;

/** Step 3 (gcloud): delete the clone, whatever the verification said; then report it. */
export const CLEANUP_SCRIPT = `set -u
clone=$(sed -n 1p "$WORK/clone" 2>/dev/null || true)
case "$clone" in
  "") echo "no clone to delete" ;;
  "$CLONE_PREFIX"*)
    gcloud sql instances patch "$clone" --no-deletion-protection --project="$PROJECT" --quiet
    gcloud sql instances delete "$clone" --project="$PROJECT" --quiet ;;
  *) echo "refusing to delete $clone: not a drill clone"; exit 2 ;;
esac
result=$(cat "$WORK/result" 2>/dev/null || echo "result=error no verification ran")
echo "$result"
case "$result" in result=ok*) exit 0 ;; *) exit 1 ;; esac
`;

/** Cloud SQL half: the clone-and-verify CronJob in the app namespace under the drill identity. */
export function cloudSqlDrillObjects(
  s: WorkloadSettings,
): (IServiceAccount | IConfigMap | INetworkPolicy | ICronJob)[] {
  const ns = s.namespace;
  const env = [
    { name: 'PROJECT', value: s.gcpProject },
    { name: 'SOURCE_INSTANCE', value: s.database.instance },
    { name: 'CLONE_PREFIX', value: `${s.database.instance}-drill-` },
    { name: 'MINUTES_AGO', value: String(s.backups.drill.pointInTimeMinutesAgo) },
    { name: 'WORK', value: '/work' },
    { name: 'CLOUDSDK_CONFIG', value: '/work/gcloud' },
    { name: 'HOME', value: '/work' },
  ];
  const resources = {
    requests: { cpu: '100m', memory: '256Mi' },
    limits: { cpu: '500m', memory: '512Mi' },
  };
  const mounts = [
    { name: 'work', mountPath: '/work' },
    { name: 'scripts', mountPath: '/drill', readOnly: true },
  ];
  const gcloud = (name: string, script: string): IContainer => ({
    name,
    image: s.toolImages.gcloud,
    command: ['/bin/sh', `/drill/${script}`],
    env,
    resources,
    securityContext: restrictedContainer,
    volumeMounts: mounts,
  });
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: DB_DRILL,
        namespace: ns,
        labels: labels(DB_DRILL),
        annotations: { 'iam.gke.io/gcp-service-account': s.backups.drill.serviceAccount },
      },
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: DB_DRILL, namespace: ns, labels: labels(DB_DRILL) },
      data: {
        'clone.sh': CLONE_SCRIPT,
        'verify.sh': VERIFY_SCRIPT,
        'cleanup.sh': CLEANUP_SCRIPT,
        'orders-checksum.sql': ORDERS_CHECKSUM_SQL,
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-db-drill-egress', namespace: ns, labels: labels(DB_DRILL) },
      spec: {
        podSelector: { matchLabels: labels(DB_DRILL) },
        policyTypes: ['Egress'],
        egress: [
          // Cloud SQL Admin API (HTTPS) and the GKE metadata server (Workload Identity).
          {
            to: [
              {
                ipBlock: {
                  cidr: '0.0.0.0/0',
                  except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
                },
              },
            ],
            ports: [{ protocol: 'TCP', port: 443 }],
          },
          {
            to: [{ ipBlock: { cidr: '169.254.169.254/32' } }],
            ports: [{ protocol: 'TCP', port: 80 }],
          },
          {
            to: [{ ipBlock: { cidr: '169.254.169.252/32' } }],
            ports: [{ protocol: 'TCP', port: 988 }],
          },
          // The live instance and the clone, both in the Private Service Access range.
          {
            to: s.dataEgressCidrs.map((cidr) => ({ ipBlock: { cidr } })),
            ports: [{ protocol: 'TCP', port: s.database.port }],
          },
        ],
      },
    },
    cronJob(
      DB_DRILL,
      ns,
      s.backups.drill.schedule,
      {
        serviceAccountName: DB_DRILL,
        automountServiceAccountToken: false,
        restartPolicy: 'Never',
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 70,
          runAsGroup: 70,
          fsGroup: 70,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        initContainers: [
          gcloud('clone', 'clone.sh'),
          {
            name: 'verify',
            image: s.toolImages.postgres,
            command: ['/bin/sh', '/drill/verify.sh'],
            env: [
              { name: 'WORK', value: '/work' },
              { name: 'DB_HOST', value: s.database.host },
              { name: 'DB_PORT', value: String(s.database.port) },
              { name: 'DB_NAME', value: s.database.name },
              { name: 'DB_USER', value: s.database.user },
              { name: 'PASSWORD_FILE', value: '/secrets/db-password' },
              { name: 'LIVE_CA', value: '/ca/ca.pem' },
              { name: 'CHECKSUM_SQL', value: '/drill/orders-checksum.sql' },
            ],
            resources,
            securityContext: restrictedContainer,
            volumeMounts: [
              ...mounts,
              { name: 'secrets', mountPath: '/secrets', readOnly: true },
              { name: 'data-tier-ca', mountPath: '/ca', readOnly: true },
            ],
          },
        ],
        containers: [gcloud('cleanup', 'cleanup.sh')],
        volumes: [
          { name: 'work', emptyDir: { sizeLimit: '64Mi' } },
          { name: 'scripts', configMap: { name: DB_DRILL } },
          {
            name: 'secrets',
            secret: {
              secretName: API_SECRET_NAME,
              items: [{ key: 'db-password', path: 'db-password' }],
              defaultMode: 0o440,
            },
          },
          { name: 'data-tier-ca', configMap: { name: CA_CONFIGMAP_NAME } },
        ],
      },
      // A clone of a large instance takes a while; a stuck run must end before the next week's.
      4 * 3600,
    ),
  ];
}
