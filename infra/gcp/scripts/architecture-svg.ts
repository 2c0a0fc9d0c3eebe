// Generates docs/gcp/architecture.svg: zones, subnets, the load balancer, the cluster, the data
// tier, keys and supply chain (KMS, Binary Authorization, multi-region registry), the way in
// (Connect Gateway) and the disaster-recovery region. Deterministic, so a test can check the committed file is current.
// Usage: tsx infra/gcp/scripts/architecture-svg.ts [--check]
import fs from 'node:fs';
import path from 'node:path';

const OUT = path.resolve(__dirname, '..', '..', '..', 'docs', 'gcp', 'architecture.svg');

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  title: string;
  lines?: string[];
  fill: string;
  stroke: string;
  dashed?: boolean;
  titleSize?: number;
}

function box(b: Box): string {
  const dash = b.dashed ? ' stroke-dasharray="6 4"' : '';
  const text = [
    `<text x="${b.x + 10}" y="${b.y + 20}" font-size="${b.titleSize ?? 14}" font-weight="bold">${esc(b.title)}</text>`,
    ...(b.lines ?? []).map(
      (l, i) => `<text x="${b.x + 10}" y="${b.y + 40 + i * 16}" font-size="12">${esc(l)}</text>`,
    ),
  ];
  return [
    `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="8" fill="${b.fill}" stroke="${b.stroke}" stroke-width="1.5"${dash}/>`,
    ...text,
  ].join('\n');
}

function arrow(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  label?: string,
  dashed = false,
): string {
  const dash = dashed ? ' stroke-dasharray="5 4"' : '';
  const line = `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#334" stroke-width="1.6" marker-end="url(#arrow)"${dash}/>`;
  if (!label) return line;
  const mx = (x1 + x2) / 2 + 6;
  const my = (y1 + y2) / 2;
  // A white halo keeps the label readable where the arrow crosses a box.
  return `${line}\n<text x="${mx}" y="${my}" font-size="11" font-weight="bold" fill="#334" stroke="#fff" stroke-width="4" paint-order="stroke">${esc(label)}</text>`;
}

export function architectureSvg(): string {
  const parts: string[] = [];
  const zoneX = [100, 335, 570];
  const zones = ['a', 'b', 'c'];

  parts.push(
    `<ellipse cx="600" cy="40" rx="90" ry="24" fill="#fff" stroke="#334"/><text x="600" y="45" font-size="14" text-anchor="middle">Shoppers</text>`,
  );
  parts.push(
    `<ellipse cx="1060" cy="40" rx="100" ry="24" fill="#fff" stroke="#334"/><text x="1060" y="45" font-size="13" text-anchor="middle">GitHub Actions (CI)</text>`,
  );
  parts.push(
    box({
      x: 150,
      y: 90,
      w: 900,
      h: 92,
      title: 'Google edge (global): external Application Load Balancer made by the GKE Gateway',
      lines: [
        'static IP  |  Certificate Manager Google-managed cert  |  HTTP 80 -> 301 HTTPS  |  SSL policy TLS 1.2+ (MODERN)',
        'Cloud Armor: OWASP CRS 3.3 (sqli, xss, lfi, rfi, rce, ...) + per-IP rate_based_ban + Adaptive Protection',
        'HTTPRoute: /api -> Service api   |   / -> Service web   (container-native LB to pod IPs)',
      ],
      fill: '#e8f0fe',
      stroke: '#1a73e8',
    }),
  );
  parts.push(
    box({
      x: 40,
      y: 212,
      w: 1120,
      h: 566,
      title: 'Region asia-south1',
      fill: '#fafafa',
      stroke: '#5f6368',
      titleSize: 15,
    }),
  );
  parts.push(
    box({
      x: 60,
      y: 240,
      w: 770,
      h: 360,
      title: 'VPC dhakacart-<env>-vpc  (firewall: deny all ingress + egress, explicit allows)',
      fill: '#f1f8e9',
      stroke: '#33691e',
    }),
  );
  parts.push(
    box({
      x: 80,
      y: 268,
      w: 730,
      h: 236,
      title:
        'Private subnet: nodes 10.10.0.0/20 | pods 10.16.0.0/14 | services 10.20.0.0/20 (no public IPs)',
      fill: '#ffffff',
      stroke: '#33691e',
      dashed: true,
      titleSize: 13,
    }),
  );
  zones.forEach((z, i) => {
    const x = zoneX[i]!;
    parts.push(
      box({
        x,
        y: 300,
        w: 220,
        h: 194,
        title: `Zone asia-south1-${z}`,
        fill: '#fffde7',
        stroke: '#f9a825',
      }),
    );
    parts.push(
      box({
        x: x + 10,
        y: 330,
        w: 200,
        h: 86,
        title: 'app pool (autoscaled)',
        lines: [
          'api pods  (3000, metrics 9464)',
          'web pods  (8080)',
          'add-ons: Prometheus, Loki, ...',
        ],
        fill: '#fff',
        stroke: '#9e9e9e',
        titleSize: 12,
      }),
    );
    parts.push(
      box({
        x: x + 10,
        y: 424,
        w: 200,
        h: 60,
        title: 'loadtest pool (spot)',
        lines: ['taint dhakacart.io/pool=loadtest'],
        fill: '#fff',
        stroke: '#9e9e9e',
        dashed: true,
        titleSize: 12,
      }),
    );
  });
  parts.push(
    box({
      x: 80,
      y: 520,
      w: 350,
      h: 66,
      title: 'GKE control plane (regional, private endpoint only)',
      lines: [
        'Secrets encrypted (KMS), Binary Authorization, WI',
        'Dataplane V2, Shielded Nodes, release channel',
      ],
      fill: '#fff',
      stroke: '#33691e',
      titleSize: 13,
    }),
  );
  parts.push(
    box({
      x: 450,
      y: 520,
      w: 360,
      h: 66,
      title: 'Cloud Router + Cloud NAT (dynamic port allocation)',
      lines: ['1024-16384 ports/VM; egress HTTPS + SMTP relay only'],
      fill: '#fff',
      stroke: '#33691e',
      titleSize: 13,
    }),
  );
  parts.push(
    box({
      x: 60,
      y: 622,
      w: 770,
      h: 140,
      title: 'Private Service Access 10.64.0.0/20 (peered, no public IPs)',
      fill: '#fce4ec',
      stroke: '#ad1457',
    }),
  );
  parts.push(
    box({
      x: 80,
      y: 652,
      w: 360,
      h: 100,
      title: 'Cloud SQL PostgreSQL 16 (REGIONAL HA)',
      lines: [
        'primary zone a, synchronous standby zone b',
        'private IP only, sslMode ENCRYPTED_ONLY',
        'PITR, 7 days WAL, >= 14 backups, deletion protection',
      ],
      fill: '#fff',
      stroke: '#ad1457',
      titleSize: 13,
    }),
  );
  parts.push(
    box({
      x: 460,
      y: 652,
      w: 350,
      h: 100,
      title: 'Memorystore Redis 7.2 (STANDARD_HA)',
      lines: [
        'primary + replica in different zones',
        'AUTH on, TLS on port 6378',
        'RDB snapshots every 12 h',
      ],
      fill: '#fff',
      stroke: '#ad1457',
      titleSize: 13,
    }),
  );
  parts.push(
    box({
      x: 850,
      y: 240,
      w: 290,
      h: 100,
      title: 'Secret Manager',
      lines: [
        'db password, Redis AUTH, session key,',
        'Alertmanager chat/SMS/SMTP credentials',
        '-> External Secrets (WI) -> files in pods',
      ],
      fill: '#fff3e0',
      stroke: '#e65100',
    }),
  );
  parts.push(
    box({
      x: 850,
      y: 360,
      w: 290,
      h: 84,
      title: 'Artifact Registry (multi-region asia)',
      lines: ['api, web: immutable tags, scanning', 'survives the loss of a region'],
      fill: '#fff3e0',
      stroke: '#e65100',
    }),
  );
  parts.push(
    box({
      x: 850,
      y: 464,
      w: 290,
      h: 122,
      title: 'Identities (least privilege)',
      lines: [
        'nodes: logs/metrics, pull our repo',
        'ESO: app + alerting secrets only',
        'Velero: custom role + its bucket',
        'CI: WIF main + v* tags, no keys',
      ],
      fill: '#fff3e0',
      stroke: '#e65100',
    }),
  );
  parts.push(
    box({
      x: 850,
      y: 606,
      w: 290,
      h: 70,
      title: 'Cloud KMS (this region)',
      lines: ['gke-secrets: etcd Secrets, 90-day rotation', 'release-attestor: EC P-256 signing'],
      fill: '#fff3e0',
      stroke: '#e65100',
    }),
  );
  parts.push(
    box({
      x: 850,
      y: 690,
      w: 290,
      h: 76,
      title: 'Binary Authorization',
      lines: [
        'release attestor (CI signs digests)',
        'dry-run (audit) until CI attests,',
        'then enforce (stack config)',
      ],
      fill: '#fff3e0',
      stroke: '#e65100',
    }),
  );
  parts.push(
    box({
      x: 1058,
      y: 90,
      w: 136,
      h: 92,
      title: 'Connect Gateway',
      lines: ['fleet membership', 'IAM-authorised', 'kubectl / pulumi'],
      fill: '#e8f0fe',
      stroke: '#1a73e8',
      titleSize: 12,
    }),
  );
  parts.push(
    box({
      x: 40,
      y: 890,
      w: 1120,
      h: 80,
      title:
        'Disaster recovery: region asia-southeast1, project dhakacart-prod-dr (Pulumi.dr.yaml, docs/gcp/disaster-recovery.md)',
      lines: [
        'same programs, own VPC, cluster, Cloud SQL/Memorystore and its own KMS key; images pulled from the multi-region registry;',
        'data restored from the Cloud SQL backups and the Velero bucket (backup runbooks); DNS switched to its load balancer.',
      ],
      fill: '#f3e5f5',
      stroke: '#6a1b9a',
      dashed: true,
    }),
  );
  parts.push(
    box({
      x: 100,
      y: 800,
      w: 380,
      h: 70,
      title: 'Cloud SQL backups: asia-southeast1',
      lines: ['another region; PITR logs 7 days'],
      fill: '#ede7f6',
      stroke: '#4527a0',
    }),
  );
  parts.push(
    box({
      x: 520,
      y: 800,
      w: 420,
      h: 70,
      title: 'GCS bucket (ASIA): Velero',
      lines: ['versioned, soft delete, noncurrent-version lifecycle'],
      fill: '#ede7f6',
      stroke: '#4527a0',
    }),
  );

  parts.push(arrow(600, 64, 600, 88, 'HTTPS'));
  zoneX.forEach((x) => parts.push(arrow(600, 182, x + 110, 328)));
  parts.push(arrow(210, 494, 230, 650, '5432 TLS'));
  parts.push(arrow(445, 494, 300, 650));
  parts.push(arrow(445, 494, 600, 650));
  parts.push(arrow(680, 494, 640, 650, '6378 TLS+AUTH'));
  parts.push(arrow(1040, 64, 1000, 358, 'push, attest (WIF)'));
  parts.push(arrow(1110, 64, 1120, 88));
  parts.push(arrow(1100, 182, 420, 518, 'deploy', true));
  parts.push(arrow(260, 752, 260, 798, 'backups', true));
  parts.push(arrow(800, 494, 760, 798, 'Velero', true));
  parts.push(arrow(850, 300, 780, 340, '', true));

  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="990" viewBox="0 0 1200 990" font-family="Helvetica, Arial, sans-serif">',
    '<defs><marker id="arrow" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#334"/></marker></defs>',
    '<rect width="1200" height="990" fill="#ffffff"/>',
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

if (require.main === module) {
  const svg = architectureSvg();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
    if (current !== svg) {
      console.error(
        JSON.stringify({
          error: 'STALE_DIAGRAM',
          file: path.relative(process.cwd(), OUT),
          fix: 'npm run diagram -w @dhakacart/infra-gcp',
        }),
      );
      process.exitCode = 1;
    }
  } else {
    fs.writeFileSync(OUT, svg);
    console.log(`wrote ${path.relative(process.cwd(), OUT)}`);
  }
}
