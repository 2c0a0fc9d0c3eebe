import { fromDigits, wholeNumber } from '@dhakacart/numeric-text';
import { z } from 'zod';
import { AppError } from '../domain/errors';

/** Parses with a strict schema or answers 400 naming each bad field. */
export function parse<S extends z.ZodType>(
  schema: S,
  data: unknown,
  where: 'body' | 'query' | 'params' | 'header.idempotency-key',
): z.infer<S> {
  const r = schema.safeParse(data ?? (where === 'body' ? undefined : {}));
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({
    field: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw new AppError(
    400,
    'invalid_request',
    issues
      .map((i) => `${i.field}: ${i.message}`)
      .join('; ')
      .slice(0, 500),
    { issues },
  );
}

// Text rules, said the same way in the OpenAPI document as in the code: Schemathesis sends what
// the document allows and fails every answer that disagrees (tools/security/src/fuzz).
//
// Lengths count characters (code points), as JSON Schema and PostgreSQL do, not UTF-16 units as
// String.length does: otherwise an emoji counts twice here and once in the document. Limits are
// on the text as sent, before trimming, as the document states them.
const withinLength = (min: number, max: number) => (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n >= min && n <= max;
};
// PostgreSQL refuses a NUL character in text: one used to reach the database and come back as a
// 500 (found by the fuzzer). It is a 400 here instead.
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const NO_NUL = /^[^\u0000]*$/;
// The whitespace String.prototype.trim removes, spelled out: JSON Schema's \s is not JavaScript's.
const WS =
  '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
/** A regex source that also admits the whitespace trimmed around it. */
const trimmed = (core: string) =>
  `^[${WS}]*(?:${core.replace(/^\^/, '').replace(/\$$/, '')})[${WS}]*$`;

/** Free text that is stored or searched: at most `max` characters, no NUL; optionally trimmed. */
const text = (max: number, trim = false) => {
  const t = z
    .string()
    .refine(withinLength(0, max), `must be at most ${max} characters`)
    .regex(NO_NUL, 'must not contain NUL characters');
  return (trim ? t.trim() : t).meta({ maxLength: max });
};
/** A required line (a name, an address line): trimmed, so it must hold more than whitespace. */
const NOT_BLANK = new RegExp(`^[^\\u0000]*[^${WS}\\u0000][^\\u0000]*$`);
const line = (max: number) =>
  z
    .string()
    .refine(withinLength(0, max), `must be at most ${max} characters`)
    .regex(NOT_BLANK, 'must not be blank or contain NUL characters')
    .trim()
    .meta({ maxLength: max });
/** A value that must match `re` once trimmed (a phone number, a postal code, an email). */
const trimmedMatch = (re: RegExp, message: string) =>
  z
    .string()
    .trim()
    .regex(re, message)
    .meta({ pattern: trimmed(re.source) });
const password = (min: number) =>
  z
    .string()
    .refine(withinLength(min, Infinity), `must be at least ${min} characters`)
    .refine(withinLength(0, 128), 'must be at most 128 characters')
    .meta({ minLength: min, maxLength: 128 });

// A whole number sent as text (a path or query parameter) is decimal digits only, then the inner
// schema's rules (@dhakacart/numeric-text): the fuzzer sent `pageSize` as non-integer text that
// z.coerce.number() read as a number and got a 200 (ST201). The document still reads
// `type: integer` with the inner schema's bounds and default.
export const idParam = z.object({ id: fromDigits(wholeNumber(1, 2147483647)) }).strict();
export const productIdParam = z
  .object({ productId: fromDigits(wholeNumber(1, 2147483647)) })
  .strict();
export const uuidParam = z.object({ id: z.uuid() }).strict();

const pageSize = fromDigits(wholeNumber(1, 100).default(24));
const page = fromDigits(wholeNumber(1, 10000).default(1));

export const productsQuery = z
  .object({
    q: text(100, true).optional(),
    category: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/)
      .optional(),
    featured: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    page,
    pageSize,
  })
  .strict();

export const pageQuery = z.object({ page, pageSize }).strict();
export const adminOrdersQuery = z
  .object({
    page,
    pageSize,
    status: z.enum(['pending', 'paid', 'confirmed', 'payment_failed']).optional(),
  })
  .strict();

// zod's own email pattern, which the document states (it promised any string before).
const email = z
  .string()
  .max(254)
  .trim()
  .pipe(z.email())
  .meta({ maxLength: 254, pattern: trimmed(z.regexes.email.source) });
export const registerBody = z
  .object({
    email,
    password: password(10),
    name: line(100),
  })
  .strict();
export const loginBody = z.object({ email, password: password(1) }).strict();

export const cartItemBody = z.object({ quantity: z.number().int().min(0).max(99) }).strict();

export const checkoutBody = z
  .object({
    shippingAddress: z
      .object({
        name: line(100),
        // Bangladeshi mobile numbers: 01XXXXXXXXX, or 8801XXXXXXXXX / +8801XXXXXXXXX.
        phone: trimmedMatch(/^(?:\+?880|0)1[3-9]\d{8}$/, 'must be a Bangladeshi mobile number'),
        line1: line(200),
        city: line(100),
        postalCode: trimmedMatch(/^\d{4}$/, 'must be 4 digits'),
      })
      .strict(),
    paymentMethod: z.enum(['bkash', 'nagad', 'card', 'cod']),
  })
  .strict();

export const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,128}$/, 'must be 8-128 of [A-Za-z0-9_-]');

const productFields = {
  name: line(200),
  description: text(2000),
  category: z.string().regex(/^[a-z0-9-]{1,64}$/),
  pricePaisa: z.number().int().min(0).max(1_000_000_000),
  stock: z.number().int().min(0).max(1_000_000),
  imageUrl: z
    .string()
    .refine(withinLength(0, 500), 'must be at most 500 characters')
    // eslint-disable-next-line no-control-regex -- matching NUL is the point
    .regex(/^(\/|https:\/\/)[^\u0000]*$/, 'must be a path or an https URL (no NUL characters)')
    .meta({ maxLength: 500 })
    .nullable(),
  featured: z.boolean(),
};
export const createProductBody = z
  .object({
    sku: z.string().regex(/^[A-Z0-9-]{3,32}$/, 'must be 3-32 of A-Z, 0-9 and -'),
    ...productFields,
    description: productFields.description.optional(),
    imageUrl: productFields.imageUrl.optional(),
    featured: productFields.featured.optional(),
  })
  .strict();
export const updateProductBody = z
  .object({
    name: productFields.name.optional(),
    description: productFields.description.optional(),
    category: productFields.category.optional(),
    pricePaisa: productFields.pricePaisa.optional(),
    stock: productFields.stock.optional(),
    imageUrl: productFields.imageUrl.optional(),
    featured: productFields.featured.optional(),
  })
  .strict()
  .refine((o) => Object.keys(o).length > 0, 'give at least one field to change')
  // The refinement is code; this says the same in the OpenAPI document (found by the fuzzer).
  .meta({ minProperties: 1 });
