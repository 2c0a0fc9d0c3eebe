// What the API answers, as zod schemas: the response half of the OpenAPI document. Every object is
// strict, so a field the API starts leaking (a password hash, another customer's id) breaks the
// contract check and the fuzzer's conformance check. The type assertions at the bottom keep these
// schemas equal to the domain's TypeScript types: change one without the other and tsc fails.
import { z } from 'zod';
import type { Category, Product, User } from '../../data/types';
import type { CartService } from '../../domain/cart';
import type { PublicOrder } from '../../domain/checkout';
import type { ProductPage } from '../../data/catalog-repo';
import type { OpsStatus } from '../../domain/ops-status';
import type { ReadinessState } from '../../health';

const role = z.enum(['customer', 'staff', 'admin']);
const paymentMethod = z.enum(['bkash', 'nagad', 'card', 'cod']);
const orderStatus = z.enum(['pending', 'paid', 'confirmed', 'payment_failed']);

export const user = z.strictObject({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role,
});
export const userEnvelope = z.strictObject({ user });

export const category = z.strictObject({
  id: z.int(),
  slug: z.string(),
  name: z.string(),
  productCount: z.int().min(0),
});
export const categoryList = z.strictObject({ items: z.array(category) });

export const product = z.strictObject({
  id: z.int().min(1),
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  pricePaisa: z.int().min(0),
  stock: z.int().min(0),
  category: z.string(),
  imageUrl: z.string().nullable(),
  featured: z.boolean(),
});
export const productEnvelope = z.strictObject({ product });

const pageOf = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    items: z.array(item),
    page: z.int().min(1),
    pageSize: z.int().min(1),
    total: z.int().min(0),
  });
export const productPage = pageOf(product);

export const cart = z.strictObject({
  items: z.array(
    z.strictObject({
      productId: z.int().min(1),
      quantity: z.int().min(1),
      pricePaisa: z.int().min(0),
      name: z.string(),
      stock: z.int().min(0),
    }),
  ),
  totalPaisa: z.int().min(0),
});

const publicOrderFields = {
  id: z.uuid(),
  status: orderStatus,
  paymentMethod,
  totalPaisa: z.int().min(0),
  shippingAddress: z.strictObject({
    name: z.string(),
    phone: z.string(),
    line1: z.string(),
    city: z.string(),
    postalCode: z.string(),
  }),
  failureReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
  items: z.array(
    z.strictObject({
      productId: z.int().min(1),
      name: z.string(),
      quantity: z.int().min(1),
      pricePaisa: z.int().min(0),
    }),
  ),
};
export const order = z.strictObject(publicOrderFields);
export const orderEnvelope = z.strictObject({ order });
export const orderPage = pageOf(order);
/** Staff see whose order it is; a customer's own list never carries user ids. */
export const adminOrder = z.strictObject({ ...publicOrderFields, userId: z.uuid() });
export const adminOrderPage = pageOf(adminOrder);

const opsColour = z.enum(['green', 'yellow', 'red', 'unknown']);
const point = z.tuple([z.number(), z.number()]);
const opsMetric = z.strictObject({ value: z.number().nullable(), status: opsColour });
const nullableNumber = z.number().nullable();
const statusWithReasons = { status: opsColour, reasons: z.array(z.string()) };
const opsLoadRun = z.strictObject({
  ...statusWithReasons,
  testid: z.string().nullable(),
  running: z.boolean(),
  startedAt: z.string().nullable(),
  lastPushAt: z.string().nullable(),
  visitors: nullableNumber,
  requestsPerSecond: nullableNumber,
  p99Seconds: opsMetric,
  requests: nullableNumber,
  errors: nullableNumber,
  errorRatio: opsMetric,
  journeys: z.array(
    z.strictObject({
      sli: z.string(),
      requests: z.number(),
      errors: z.number(),
      errorRatio: opsMetric,
      maxErrorRate: z.number(),
    }),
  ),
  spark: z.strictObject({ rps: z.array(point), p99: z.array(point) }),
});
const opsGameday = z.strictObject({
  ...statusWithReasons,
  lastRunAt: z.string().nullable(),
  profile: z.string().nullable(),
  passed: z.boolean().nullable(),
  budgetBurned: nullableNumber,
  experiments: z.array(
    z.strictObject({
      name: z.string(),
      passed: z.boolean().nullable(),
      status: opsColour,
      budgetBurned: nullableNumber,
      recoverySeconds: nullableNumber,
    }),
  ),
});
const opsLogs = z.strictObject({
  ...statusWithReasons,
  windowMinutes: nullableNumber,
  services: z.array(
    z.strictObject({
      service: z.string(),
      lastMinute: z.number(),
      status: opsColour,
      spark: z.array(point),
    }),
  ),
  topErrors: z.array(
    z.strictObject({ service: z.string(), message: z.string(), count: z.number() }),
  ),
});
export const opsStatus = z.strictObject({
  generatedAt: z.string(),
  prometheus: z.literal('ok'),
  overall: opsColour,
  spark: z.strictObject({ windowSeconds: z.number(), stepSeconds: z.number() }),
  slos: z.array(
    z.strictObject({
      id: z.string(),
      service: z.string(),
      slo: z.string(),
      objective: nullableNumber,
      sli30d: nullableNumber,
      budgetRemaining: nullableNumber,
      burnRates: z.strictObject({
        '5m': nullableNumber,
        '1h': nullableNumber,
        '6h': nullableNumber,
        '1d': nullableNumber,
        '3d': nullableNumber,
      }),
      status: opsColour,
      reasons: z.array(z.string()),
      spark: z.array(point),
    }),
  ),
  services: z.array(
    z.strictObject({
      name: z.string(),
      replicas: z.strictObject({
        healthy: z.number(),
        targets: z.number(),
        running: nullableNumber,
        desired: nullableNumber,
      }),
      errorRatio: opsMetric,
      p95Seconds: opsMetric,
      cpuOfLimit: opsMetric,
      memoryOfLimit: opsMetric,
      cpuCores: nullableNumber,
      memoryBytes: nullableNumber,
      status: opsColour,
      reasons: z.array(z.string()),
      spark: z.strictObject({ rps: z.array(point), cpu: z.array(point) }),
    }),
  ),
  disk: z.array(
    z.strictObject({ instance: z.string(), freeRatio: nullableNumber, status: opsColour }),
  ),
  alerts: z.array(
    z.strictObject({
      name: z.string(),
      severity: z.string(),
      since: z.string().nullable(),
      summary: z.string(),
      runbook: z.string().nullable(),
      target: z.string().nullable(),
    }),
  ),
  loadRun: opsLoadRun,
  gameday: opsGameday,
  logs: opsLogs,
});

export const liveness = z.strictObject({ status: z.literal('ok') });
export const readiness = z.strictObject({
  ready: z.boolean(),
  status: z.enum(['ready', 'degraded', 'not_ready', 'shutting_down']),
  checks: z.strictObject({
    postgres: z.enum(['ok', 'down']),
    redis: z.enum(['ok', 'down', 'disabled']),
  }),
});

/** Every error: `{"error":{"code","message"}}`, with `details` (e.g. the bad fields) for some. */
export const errorBody = z.strictObject({
  error: z.strictObject({
    code: z.string().regex(/^[a-z_]+$/),
    message: z.string().max(500),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** The OpenAPI document itself (served to staff): an object, not described further. */
export const openApiDocument = z.looseObject({ openapi: z.string(), paths: z.looseObject({}) });

// Compile-time: each schema describes exactly the type the code returns.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameTypes: [
  Same<z.infer<typeof user>, User>,
  Same<z.infer<typeof category>, Category>,
  Same<z.infer<typeof product>, Product>,
  Same<z.infer<typeof productPage>, ProductPage>,
  Same<z.infer<typeof cart>, Awaited<ReturnType<CartService['view']>>>,
  Same<z.infer<typeof order>, PublicOrder>,
  Same<z.infer<typeof opsStatus>, OpsStatus>,
  Same<z.infer<typeof readiness>, ReadinessState>,
] = [true, true, true, true, true, true, true, true];
void sameTypes;
