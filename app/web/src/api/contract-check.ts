// The storefront's API types checked against the API's OpenAPI document at compile time:
// `npm run typecheck -w @dhakacart/web` fails when the API drops or renames a field the storefront
// reads, changes an enum it relies on, or requires a request field the storefront does not send.
// The types come from app/api/generated/contract.d.ts (generated from the API's zod schemas).
// The paths and methods the storefront calls are checked at run time by contract.test.ts.
import type * as C from '@dhakacart/api/generated/contract';
import type { CheckoutRequest } from '../lib/checkoutForm';
import type {
  Cart,
  CartItem,
  Category,
  NewProduct,
  OpsStatus,
  Order,
  OrderItem,
  Page,
  Product,
  ProductPatch,
  Role,
  User,
} from './types';

type Assert<T extends true> = T;
/** Every field the storefront reads exists in the answer (the storefront converts the values). */
type Reads<Web, Wire> = Exclude<keyof Web, keyof Wire> extends never ? true : false;
/** What the storefront sends is what the API accepts. */
type Sends<Web, Wire> = [Web] extends [Wire] ? true : false;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Reply<K extends keyof C.Operations> = C.Operations[K]['reply'];
type Body<K extends keyof C.Operations> = C.Operations[K]['body'];

export type ContractChecks = [
  Assert<Same<Role, C.User['role']>>,
  Assert<Reads<User, C.User>>,
  Assert<Reads<Category, C.Category>>,
  Assert<Reads<Product, C.Product>>,
  Assert<Reads<Page<Product>, Reply<'GET /api/products'>>>,
  Assert<Reads<Cart, Reply<'GET /api/cart'>>>,
  Assert<Reads<CartItem, Reply<'PUT /api/cart/items/{productId}'>['items'][number]>>,
  Assert<Reads<Order, C.AdminOrder>>,
  Assert<Reads<OrderItem, C.Order['items'][number]>>,
  Assert<Reads<NonNullable<Order['shippingAddress']>, C.Order['shippingAddress']>>,
  // The ops board uses the answer as it is, without converting it: the whole shape must fit.
  Assert<Sends<Reply<'GET /api/ops/status'>, OpsStatus>>,
  Assert<Sends<NewProduct, Body<'POST /api/admin/products'>>>,
  Assert<Sends<ProductPatch, Body<'PATCH /api/admin/products/{id}'>>>,
  Assert<Sends<CheckoutRequest, Body<'POST /api/orders'>>>,
  Assert<Sends<{ quantity: number }, Body<'PUT /api/cart/items/{productId}'>>>,
  Assert<Sends<{ email: string; password: string }, Body<'POST /api/auth/login'>>>,
  Assert<Sends<{ email: string; password: string; name: string }, Body<'POST /api/auth/register'>>>,
];
