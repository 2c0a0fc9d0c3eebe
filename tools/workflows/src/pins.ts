// Every third-party action the workflows use, pinned to the commit its release tag points at.
// Each SHA was read from the action's own repository (`git rev-parse <tag>^{commit}` on a clone),
// never typed from memory. To bump: read the new tag's commit the same way, change it here and in
// every `uses:` line (`npm run check -w @dhakacart/workflows` finds the ones left behind).
export interface Pin {
  version: string;
  sha: string;
}

export const PINS: Record<string, Pin> = {
  'actions/checkout': { version: 'v7.0.1', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1' },
  'actions/setup-node': { version: 'v7.0.0', sha: '820762786026740c76f36085b0efc47a31fe5020' },
  'actions/upload-artifact': { version: 'v7.0.0', sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f' },
  'dorny/paths-filter': { version: 'v4.0.2', sha: '7b450fff21473bca461d4b92ce414b9d0420d706' },
  'google-github-actions/auth': {
    version: 'v3.0.0',
    sha: '7c6bc770dae815cd3e89ee6cdf493a5fab2cc093',
  },
  'google-github-actions/setup-gcloud': {
    version: 'v3.0.1',
    sha: 'aa5489c8933f4cc7a4f7d45035b3b1440c9c10db',
  },
  'aquasecurity/trivy-action': {
    version: 'v0.36.0',
    sha: 'ed142fd0673e97e23eac54620cfb913e5ce36c25',
  },
  'anchore/sbom-action': { version: 'v0.24.0', sha: 'e22c389904149dbc22b58101806040fa8d37a610' },
  'sigstore/cosign-installer': {
    version: 'v4.1.2',
    sha: '6f9f17788090df1f26f669e9d70d6ae9567deba6',
  },
  'pulumi/actions': { version: 'v7.0.0', sha: '8e5e406f4007fca908480587cb9893c07090f58d' },
  'docker/setup-buildx-action': {
    version: 'v4.3.0',
    sha: '37fe631027851001ddb9b187196cc803df7f5f0e',
  },
  'docker/build-push-action': {
    version: 'v7.3.0',
    sha: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a',
  },
};
