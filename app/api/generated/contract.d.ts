// Generated from openapi.json by `npm run contract -w @dhakacart/api`. Do not edit:
// `npm run check -w @dhakacart/api` fails when this file differs from a fresh generation.

export type CartItemBody = { quantity: number; };
export type CheckoutBody = { shippingAddress: { name: string; phone: string; line1: string; city: string; postalCode: string; }; paymentMethod: "bkash" | "nagad" | "card" | "cod"; };
export type CreateProductBody = { sku: string; name: string; description?: string; category: string; pricePaisa: number; stock: number; imageUrl?: string | null; featured?: boolean; };
export type LoginBody = { email: string; password: string; };
export type RegisterBody = { email: string; password: string; name: string; };
export type UpdateProductBody = { name?: string; description?: string; category?: string; pricePaisa?: number; stock?: number; imageUrl?: string | null; featured?: boolean; };
export type AdminOrder = { id: string; status: "pending" | "paid" | "confirmed" | "payment_failed"; paymentMethod: "bkash" | "nagad" | "card" | "cod"; totalPaisa: number; shippingAddress: { name: string; phone: string; line1: string; city: string; postalCode: string; }; failureReason: string | null; createdAt: string; items: { productId: number; name: string; quantity: number; pricePaisa: number; }[]; userId: string; };
export type AdminOrderPage = { items: AdminOrder[]; page: number; pageSize: number; total: number; };
export type Cart = { items: { productId: number; quantity: number; pricePaisa: number; name: string; stock: number; }[]; totalPaisa: number; };
export type Category = { id: number; slug: string; name: string; productCount: number; };
export type CategoryList = { items: Category[]; };
export type ErrorBody = { error: { code: string; message: string; details?: { [key: string]: unknown; }; }; };
export type Liveness = { status: "ok"; };
export type OpenApiDocument = { openapi: string; paths: { [key: string]: unknown; }; [key: string]: unknown; };
export type OpsStatus = { generatedAt: string; prometheus: "ok"; overall: "green" | "yellow" | "red" | "unknown"; spark: { windowSeconds: number; stepSeconds: number; }; slos: Array<{ id: string; service: string; slo: string; objective: number | null; sli30d: number | null; budgetRemaining: number | null; burnRates: { "5m": number | null; "1h": number | null; "6h": number | null; "1d": number | null; "3d": number | null; }; status: "green" | "yellow" | "red" | "unknown"; reasons: string[]; spark: [number, number][]; }>; services: Array<{ name: string; replicas: { healthy: number; targets: number; running: number | null; desired: number | null; }; errorRatio: { value: number | null; status: "green" | "yellow" | "red" | "unknown"; }; p95Seconds: { value: number | null; status: "green" | "yellow" | "red" | "unknown"; }; cpuOfLimit: { value: number | null; status: "green" | "yellow" | "red" | "unknown"; }; memoryOfLimit: { value: number | null; status: "green" | "yellow" | "red" | "unknown"; }; cpuCores: number | null; memoryBytes: number | null; status: "green" | "yellow" | "red" | "unknown"; reasons: string[]; spark: { rps: [number, number][]; cpu: [number, number][]; }; }>; disk: Array<{ instance: string; freeRatio: number | null; status: "green" | "yellow" | "red" | "unknown"; }>; alerts: Array<{ name: string; severity: string; since: string | null; summary: string; runbook: string | null; target: string | null; }>; loadRun: { status: "green" | "yellow" | "red" | "unknown"; reasons: string[]; testid: string | null; running: boolean; startedAt: string | null; lastPushAt: string | null; visitors: number | null; requestsPerSecond: number | null; p99Seconds: { value: number | null; status: "green" | "yellow" | "red" | "unknown"; }; requests: number | null; errors: number | null; errorRatio: { value: number | null; status: "green" | "yellow" | "red" | "unknown"; }; journeys: Array<{ sli: string; requests: number; errors: number; errorRatio: { value: number | null; status: "green" | "yellow" | "red" | "unknown"; }; maxErrorRate: number; }>; spark: { rps: [number, number][]; p99: [number, number][]; }; }; gameday: { status: "green" | "yellow" | "red" | "unknown"; reasons: string[]; lastRunAt: string | null; profile: string | null; passed: boolean | null; budgetBurned: number | null; experiments: Array<{ name: string; passed: boolean | null; status: "green" | "yellow" | "red" | "unknown"; budgetBurned: number | null; recoverySeconds: number | null; }>; }; logs: { status: "green" | "yellow" | "red" | "unknown"; reasons: string[]; windowMinutes: number | null; services: Array<{ service: string; lastMinute: number; status: "green" | "yellow" | "red" | "unknown"; spark: [number, number][]; }>; topErrors: { service: string; message: string; count: number; }[]; }; };
export type Order = { id: string; status: "pending" | "paid" | "confirmed" | "payment_failed"; paymentMethod: "bkash" | "nagad" | "card" | "cod"; totalPaisa: number; shippingAddress: { name: string; phone: string; line1: string; city: string; postalCode: string; }; failureReason: string | null; createdAt: string; items: { productId: number; name: string; quantity: number; pricePaisa: number; }[]; };
export type OrderEnvelope = { order: Order; };
export type OrderPage = { items: Order[]; page: number; pageSize: number; total: number; };
export type Product = { id: number; sku: string; name: string; description: string; pricePaisa: number; stock: number; category: string; imageUrl: string | null; featured: boolean; };
export type ProductEnvelope = { product: Product; };
export type ProductPage = { items: Product[]; page: number; pageSize: number; total: number; };
export type Readiness = { ready: boolean; status: "ready" | "degraded" | "not_ready" | "shutting_down"; checks: { postgres: "ok" | "down"; redis: "ok" | "down" | "disabled"; }; };
export type User = { id: string; email: string; name: string; role: "customer" | "staff" | "admin"; };
export type UserEnvelope = { user: User; };

export interface Operations {
  "GET /api/admin/openapi.json": {
    body: never;
    reply: OpenApiDocument;
  };
  "GET /api/admin/orders": {
    body: never;
    reply: AdminOrderPage;
  };
  "POST /api/admin/products": {
    body: CreateProductBody;
    reply: ProductEnvelope;
  };
  "PATCH /api/admin/products/{id}": {
    body: UpdateProductBody;
    reply: ProductEnvelope;
  };
  "POST /api/auth/login": {
    body: LoginBody;
    reply: UserEnvelope;
  };
  "POST /api/auth/logout": {
    body: never;
    reply: void;
  };
  "GET /api/auth/me": {
    body: never;
    reply: UserEnvelope;
  };
  "POST /api/auth/register": {
    body: RegisterBody;
    reply: UserEnvelope;
  };
  "GET /api/cart": {
    body: never;
    reply: Cart;
  };
  "PUT /api/cart/items/{productId}": {
    body: CartItemBody;
    reply: Cart;
  };
  "GET /api/categories": {
    body: never;
    reply: CategoryList;
  };
  "GET /api/ops/status": {
    body: never;
    reply: OpsStatus;
  };
  "POST /api/orders": {
    body: CheckoutBody;
    reply: OrderEnvelope;
  };
  "GET /api/orders": {
    body: never;
    reply: OrderPage;
  };
  "GET /api/orders/{id}": {
    body: never;
    reply: OrderEnvelope;
  };
  "GET /api/products": {
    body: never;
    reply: ProductPage;
  };
  "GET /api/products/{id}": {
    body: never;
    reply: ProductEnvelope;
  };
  "GET /livez": {
    body: never;
    reply: Liveness;
  };
  "GET /readyz": {
    body: never;
    reply: Readiness;
  };
}
