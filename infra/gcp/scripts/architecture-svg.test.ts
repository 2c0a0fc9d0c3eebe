import fs from 'node:fs';
import path from 'node:path';
import { architectureSvg } from './architecture-svg';

describe('architecture diagram', () => {
  const svg = architectureSvg();

  it('shows the three zones, the load balancer, the cluster and the data tier', () => {
    for (const label of [
      'asia-south1-a',
      'asia-south1-b',
      'asia-south1-c',
      'Application Load Balancer',
      'Cloud Armor',
      'GKE control plane',
      'REGIONAL HA',
      'STANDARD_HA',
      'Private subnet',
      'private endpoint only',
      'Connect Gateway',
      'Cloud KMS (this region)',
      'Binary Authorization',
      'dynamic port allocation',
      'multi-region asia',
      'Disaster recovery: region asia-southeast1',
    ]) {
      expect(svg).toContain(label);
    }
  });

  it('is committed as generated (npm run diagram -w @dhakacart/infra-gcp)', () => {
    const committed = fs.readFileSync(
      path.resolve(__dirname, '..', '..', '..', 'docs', 'gcp', 'architecture.svg'),
      'utf8',
    );
    expect(committed).toBe(svg);
  });
});
