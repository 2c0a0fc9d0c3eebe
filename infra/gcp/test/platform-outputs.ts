// What the prod platform stack exports (shape of platform/index.ts), as a StackReference sees
// it: the workloads program's tests answer StackReferences with this.
export const PLATFORM_OUTPUTS = {
  projectId: 'dhakacart-prod',
  environment: 'prod',
  domain: 'dhakacart.example',
  region: 'asia-south1',
  zones: ['asia-south1-a', 'asia-south1-b', 'asia-south1-c'],
  cluster: {
    name: 'dhakacart-prod-gke',
    endpoint: '172.16.0.2',
    caCertificate: 'Q0E=',
    gatewayUrl:
      'https://connectgateway.googleapis.com/v1/projects/123456789012/locations/global/gkeMemberships/dhakacart-prod-gke',
  },
  network: {
    nodesCidr: '10.10.0.0/20',
    controlPlaneCidr: '172.16.0.0/28',
    smtpRelayCidrs: ['198.51.100.0/28'],
  },
  loadtest: { runners: 20, vusPerRunner: 6000, poolMaxNodes: 21 },
  database: {
    instance: 'dhakacart-prod-pg',
    host: '10.64.0.3',
    port: 5432,
    name: 'dhakacart',
    user: 'dhakacart_app',
    serverCa: 'SQL-CA',
  },
  redis: { instance: 'dhakacart-prod-redis', host: '10.64.1.4', port: 6378, serverCa: 'REDIS-CA' },
  dataTierCidr: '10.64.0.0/20',
  secretIds: {
    dbPassword: 'dhakacart-prod-db-password',
    redisAuth: 'dhakacart-prod-redis-auth',
    sessionKey: 'dhakacart-prod-session-key',
    alerting: {
      slackWebhookUrl: 'dhakacart-prod-alert-slack-webhook-url',
      smsToken: 'dhakacart-prod-alert-sms-token',
      smtpPassword: 'dhakacart-prod-alert-smtp-password',
    },
  },
  gateway: {
    staticAddressName: 'dhakacart-prod-lb-ip',
    certificateMapName: 'dhakacart-prod-certmap',
    sslPolicyName: 'dhakacart-prod-tls12',
    securityPolicyName: 'dhakacart-prod-armor',
  },
  serviceAccounts: {
    externalSecrets: 'dhakacart-prod-eso@dhakacart-prod.iam.gserviceaccount.com',
    velero: 'dhakacart-prod-velero@dhakacart-prod.iam.gserviceaccount.com',
    chaos: 'dhakacart-prod-chaos@dhakacart-prod.iam.gserviceaccount.com',
    dbDrill: 'dhakacart-prod-db-drill@dhakacart-prod.iam.gserviceaccount.com',
    loki: 'dhakacart-prod-loki@dhakacart-prod.iam.gserviceaccount.com',
    ksa: {
      externalSecrets: { namespace: 'external-secrets', name: 'external-secrets' },
      velero: { namespace: 'velero', name: 'velero' },
      chaos: { namespace: 'chaos-experiments', name: 'default' },
      dbDrill: { namespace: 'dhakacart', name: 'db-drill' },
      loki: { namespace: 'logging', name: 'loki' },
    },
  },
  veleroBucket: 'dhakacart-prod-velero',
  logs: {
    chunksBucket: 'dhakacart-prod-logs-chunks',
    rulerBucket: 'dhakacart-prod-logs-ruler',
    retentionDays: 30,
  },
};
