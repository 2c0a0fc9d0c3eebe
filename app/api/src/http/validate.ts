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

export const idParam = z.object({ id: z.coerce.number().int().min(1).max(2147483647) }).strict();
export const productIdParam = z
  .object({ productId: z.coerce.number().int().min(1).max(2147483647) })
  .strict();
export const uuidParam = z.object({ id: z.uuid() }).strict();

const pageSize = z.coerce.number().int().min(1).max(100).default(24);
const page = z.coerce.number().int().min(1).max(10000).default(1);

export const productsQuery = z
  .object({
    q: z.string().trim().max(100).optional(),
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

const email = z.string().trim().max(254).pipe(z.email());
export const registerBody = z
  .object({
    email,
    password: z.string().min(10, 'must be at least 10 characters').max(128),
    name: z.string().trim().min(1).max(100),
  })
  .strict();
export const loginBody = z.object({ email, password: z.string().min(1).max(128) }).strict();

export const cartItemBody = z.object({ quantity: z.number().int().min(0).max(99) }).strict();

export const checkoutBody = z
  .object({
    shippingAddress: z
      .object({
        name: z.string().trim().min(1).max(100),
        // Bangladeshi mobile numbers: 01XXXXXXXXX, or 8801XXXXXXXXX / +8801XXXXXXXXX.
        phone: z
          .string()
          .trim()
          .regex(/^(?:\+?880|0)1[3-9]\d{8}$/, 'must be a Bangladeshi mobile number'),
        line1: z.string().trim().min(1).max(200),
        city: z.string().trim().min(1).max(100),
        postalCode: z
          .string()
          .trim()
          .regex(/^\d{4}$/, 'must be 4 digits'),
      })
      .strict(),
    paymentMethod: z.enum(['bkash', 'nagad', 'card', 'cod']),
  })
  .strict();

export const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,128}$/, 'must be 8-128 of [A-Za-z0-9_-]');

const productFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000),
  category: z.string().regex(/^[a-z0-9-]{1,64}$/),
  pricePaisa: z.number().int().min(0).max(1_000_000_000),
  stock: z.number().int().min(0).max(1_000_000),
  imageUrl: z
    .string()
    .max(500)
    .regex(/^(\/|https:\/\/)/, 'must be a path or an https URL')
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
  .refine((o) => Object.keys(o).length > 0, 'give at least one field to change');
