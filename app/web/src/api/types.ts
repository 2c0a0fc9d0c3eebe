// Shapes from the API contract (issue 2, section 4). Money is always integer paisa.
import type { CartLine } from '../lib/cart';
import type { CheckoutRequest } from '../lib/checkoutForm';

export type Role = 'customer' | 'staff' | 'admin';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface Category {
  id: string;
  slug: string;
  name: string;
}

export interface Product {
  id: string;
  sku: string;
  name: string;
  pricePaisa: number;
  stock: number;
  category: string;
  imageUrl: string;
  description?: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface CartItem extends CartLine {
  name?: string;
  stock?: number;
}

export interface Cart {
  items: CartItem[];
  totalPaisa: number;
}

export interface OrderItem {
  productId: string;
  quantity: number;
  pricePaisa: number;
  name?: string;
}

export interface Order {
  id: string;
  status: string;
  totalPaisa: number;
  items: OrderItem[];
  createdAt?: string;
  paymentMethod?: string;
  shippingAddress?: CheckoutRequest['shippingAddress'];
  userId?: string;
}

export interface NewProduct {
  sku: string;
  name: string;
  pricePaisa: number;
  stock: number;
  category: string;
  imageUrl?: string;
}

export type ProductPatch = Partial<Pick<Product, 'name' | 'pricePaisa' | 'stock'>>;

// The ops board (GET /api/ops/status, staff and admin): colour-ready tiles built by the API
// from a fixed set of Prometheus queries.
export type OpsColour = 'green' | 'yellow' | 'red' | 'unknown';
export type OpsPoint = [number, number];

export interface OpsMetric {
  value: number | null;
  status: OpsColour;
}

export interface OpsSloTile {
  id: string;
  service: string;
  slo: string;
  objective: number | null;
  sli30d: number | null;
  budgetRemaining: number | null;
  burnRates: Record<string, number | null>;
  status: OpsColour;
  reasons: string[];
  spark: OpsPoint[];
}

export interface OpsServiceTile {
  name: string;
  replicas: { healthy: number; targets: number; running: number | null; desired: number | null };
  errorRatio: OpsMetric;
  p95Seconds: OpsMetric;
  cpuOfLimit: OpsMetric;
  memoryOfLimit: OpsMetric;
  cpuCores: number | null;
  memoryBytes: number | null;
  status: OpsColour;
  reasons: string[];
  spark: { rps: OpsPoint[]; cpu: OpsPoint[] };
}

export interface OpsDiskTile {
  instance: string;
  freeRatio: number | null;
  status: OpsColour;
}

export interface OpsAlert {
  name: string;
  severity: string;
  since: string | null;
  summary: string;
  runbook: string | null;
  target: string | null;
}

/** The newest load run the Pushgateway holds (issue 12). */
export interface OpsLoadRunTile {
  status: OpsColour;
  reasons: string[];
  testid: string | null;
  running: boolean;
  startedAt: string | null;
  lastPushAt: string | null;
  visitors: number | null;
  requestsPerSecond: number | null;
  p99Seconds: OpsMetric;
  requests: number | null;
  errors: number | null;
  errorRatio: OpsMetric;
  journeys: {
    sli: string;
    requests: number;
    errors: number;
    errorRatio: OpsMetric;
    maxErrorRate: number;
  }[];
  spark: { rps: OpsPoint[]; p99: OpsPoint[] };
}

/** The last game day (issue 13). */
export interface OpsGamedayTile {
  status: OpsColour;
  reasons: string[];
  lastRunAt: string | null;
  profile: string | null;
  passed: boolean | null;
  budgetBurned: number | null;
  experiments: {
    name: string;
    passed: boolean | null;
    status: OpsColour;
    budgetBurned: number | null;
    recoverySeconds: number | null;
  }[];
}

/** Error lines per minute per service and the top error messages (issue 16). */
export interface OpsLogsTile {
  status: OpsColour;
  reasons: string[];
  windowMinutes: number | null;
  services: { service: string; lastMinute: number; status: OpsColour; spark: OpsPoint[] }[];
  topErrors: { service: string; message: string; count: number }[];
}

export interface OpsStatus {
  generatedAt: string;
  overall: OpsColour;
  spark: { windowSeconds: number; stepSeconds: number };
  slos: OpsSloTile[];
  services: OpsServiceTile[];
  disk: OpsDiskTile[];
  alerts: OpsAlert[];
  loadRun: OpsLoadRunTile;
  gameday: OpsGamedayTile;
  logs: OpsLogsTile;
}
