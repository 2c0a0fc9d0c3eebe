// The API contract: one entry per route, naming the zod schemas the route validates with (the
// same objects, imported from ../validate) and the schemas of what it answers. The OpenAPI
// document is generated from this list, and contract.test.ts fails when the Express app has a
// route this list lacks, or this list has an operation the app does not serve.
import type { z } from 'zod';
import {
  adminOrdersQuery,
  cartItemBody,
  checkoutBody,
  createProductBody,
  idempotencyKey,
  idParam,
  loginBody,
  pageQuery,
  productIdParam,
  productsQuery,
  registerBody,
  updateProductBody,
  uuidParam,
} from '../validate';
import * as r from './responses';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call: `public` needs nothing; `session` reads the session cookie if there is one;
 * `customer` needs any logged-in user; `staff`/`admin` need that role (staff includes admin).
 */
export type Access = 'public' | 'session' | 'customer' | 'staff' | 'admin';

export interface Reply {
  description: string;
  schema?: z.ZodType;
  headers?: Record<string, { description: string; schema: { type: 'string' } }>;
}

export interface Operation {
  method: Method;
  /** OpenAPI form: /api/products/{id}. */
  path: string;
  operationId: string;
  summary: string;
  tag: 'health' | 'catalog' | 'auth' | 'cart' | 'orders' | 'admin' | 'ops';
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: Record<string, { schema: z.ZodType; required: boolean; description: string }>;
  body?: z.ZodType;
  /** Success answers; the error answers are added by kind (see errorReplies in openapi.ts). */
  replies: Record<number, Reply>;
  /** Error statuses this operation can answer beyond the ones its kind implies. */
  errors?: Record<number, string>;
}

const setsCookie = {
  'Set-Cookie': { description: 'the session cookie `sid` (HttpOnly)', schema: { type: 'string' } },
} as const;

export const operations: Operation[] = [
  {
    method: 'get',
    path: '/livez',
    operationId: 'livez',
    summary: 'Liveness: the process answers (no dependency is checked)',
    tag: 'health',
    access: 'public',
    replies: { 200: { description: 'alive', schema: r.liveness } },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readyz',
    summary: 'Readiness: PostgreSQL answers (Redis down is "degraded", still ready)',
    tag: 'health',
    access: 'public',
    replies: {
      200: { description: 'ready or degraded', schema: r.readiness },
      503: { description: 'not ready or shutting down', schema: r.readiness },
    },
  },
  {
    method: 'get',
    path: '/api/categories',
    operationId: 'listCategories',
    summary: 'Every category with its product count',
    tag: 'catalog',
    access: 'public',
    replies: { 200: { description: 'the categories', schema: r.categoryList } },
  },
  {
    method: 'get',
    path: '/api/products',
    operationId: 'listProducts',
    summary: 'Search and page through the catalogue',
    tag: 'catalog',
    access: 'public',
    query: productsQuery,
    replies: { 200: { description: 'one page of products', schema: r.productPage } },
  },
  {
    method: 'get',
    path: '/api/products/{id}',
    operationId: 'getProduct',
    summary: 'One product',
    tag: 'catalog',
    access: 'public',
    params: idParam,
    replies: { 200: { description: 'the product', schema: r.productEnvelope } },
    errors: { 404: 'no such product' },
  },
  {
    method: 'post',
    path: '/api/auth/register',
    operationId: 'register',
    summary: 'Create a customer account and log it in (a new session id)',
    tag: 'auth',
    access: 'session',
    body: registerBody,
    replies: {
      201: { description: 'registered and logged in', schema: r.userEnvelope, headers: setsCookie },
    },
    errors: {
      409: 'an account with that email exists',
      422: 'the password is one of the most common ones (password_too_common)',
    },
  },
  {
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    summary: 'Log in (a new session id; the old session is deleted)',
    tag: 'auth',
    access: 'session',
    body: loginBody,
    replies: { 200: { description: 'logged in', schema: r.userEnvelope, headers: setsCookie } },
    errors: {
      401: 'email or password is wrong',
      429: 'too many attempts from this address or for this account',
    },
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    operationId: 'logout',
    summary: 'Log out: the session is deleted on the server and the cookie cleared',
    tag: 'auth',
    access: 'session',
    replies: { 204: { description: 'logged out', headers: setsCookie } },
  },
  {
    method: 'get',
    path: '/api/auth/me',
    operationId: 'me',
    summary: 'The logged-in user',
    tag: 'auth',
    access: 'customer',
    replies: { 200: { description: 'the user', schema: r.userEnvelope } },
  },
  {
    method: 'get',
    path: '/api/cart',
    operationId: 'getCart',
    summary: "The cart of this session (a guest's or the user's)",
    tag: 'cart',
    access: 'session',
    replies: { 200: { description: 'the cart', schema: r.cart } },
  },
  {
    method: 'put',
    path: '/api/cart/items/{productId}',
    operationId: 'setCartQuantity',
    summary: 'Set the quantity of one product in the cart (0 removes it)',
    tag: 'cart',
    access: 'session',
    params: productIdParam,
    body: cartItemBody,
    replies: {
      200: {
        description: 'the cart after the change (a guest gets a session)',
        schema: r.cart,
        headers: setsCookie,
      },
    },
    errors: { 404: 'no such product' },
  },
  {
    method: 'post',
    path: '/api/orders',
    operationId: 'checkout',
    summary: 'Place an order from the cart, paying once per Idempotency-Key',
    tag: 'orders',
    access: 'customer',
    headers: {
      'Idempotency-Key': {
        schema: idempotencyKey,
        required: true,
        description: 'the same key replays the first answer instead of charging again',
      },
    },
    body: checkoutBody,
    replies: {
      201: {
        description: 'the order (Idempotent-Replayed: true when replayed)',
        schema: r.orderEnvelope,
      },
    },
    errors: {
      402: 'the payment failed (the order is kept as payment_failed)',
      409: 'a checkout with this key is still running, or a product is out of stock',
      422: 'the cart is empty, or the key was used for a different request',
    },
  },
  {
    method: 'get',
    path: '/api/orders',
    operationId: 'listMyOrders',
    summary: "The logged-in customer's orders, newest first",
    tag: 'orders',
    access: 'customer',
    query: pageQuery,
    replies: { 200: { description: 'one page of orders', schema: r.orderPage } },
  },
  {
    method: 'get',
    path: '/api/orders/{id}',
    operationId: 'getMyOrder',
    summary: "One order: the customer's own (any order for staff)",
    tag: 'orders',
    access: 'customer',
    params: uuidParam,
    replies: { 200: { description: 'the order', schema: r.orderEnvelope } },
    errors: { 404: 'no such order, not yours, or a malformed id' },
  },
  {
    method: 'post',
    path: '/api/admin/products',
    operationId: 'createProduct',
    summary: 'Create a product',
    tag: 'admin',
    access: 'admin',
    body: createProductBody,
    replies: { 201: { description: 'the new product', schema: r.productEnvelope } },
    errors: { 409: 'the SKU exists', 422: 'no such category' },
  },
  {
    method: 'patch',
    path: '/api/admin/products/{id}',
    operationId: 'updateProduct',
    summary: 'Change some fields of a product',
    tag: 'admin',
    access: 'admin',
    params: idParam,
    body: updateProductBody,
    replies: { 200: { description: 'the product after the change', schema: r.productEnvelope } },
    errors: { 404: 'no such product', 422: 'no such category' },
  },
  {
    method: 'get',
    path: '/api/admin/orders',
    operationId: 'listAllOrders',
    summary: "Every customer's orders, newest first",
    tag: 'admin',
    access: 'staff',
    query: adminOrdersQuery,
    replies: { 200: { description: 'one page of orders', schema: r.adminOrderPage } },
  },
  {
    method: 'get',
    path: '/api/admin/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    tag: 'admin',
    access: 'staff',
    replies: { 200: { description: 'the OpenAPI 3.1 document', schema: r.openApiDocument } },
  },
  {
    method: 'get',
    path: '/api/ops/status',
    operationId: 'getOpsStatus',
    summary: "The ops board's tiles, from a fixed set of Prometheus queries",
    tag: 'ops',
    access: 'staff',
    replies: { 200: { description: 'the board', schema: r.opsStatus } },
    errors: { 503: 'Prometheus is not configured or does not answer' },
  },
];
