// The parts of a live object (kubectl get -o json) that a derived object copies. Fields the API
// server owns (uid, resourceVersion, status, managedFields...) are never copied.
import { z } from 'zod';

export const metadataSchema = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1),
  labels: z.record(z.string(), z.string()).optional(),
});

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
}

/** Thrown for input that is not the object it should be; the CLI prints it as JSON, exit 2. */
export class InputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function parseLive<T extends z.ZodType>(
  schema: T,
  input: unknown,
  what: string,
): z.infer<T> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new InputError('BAD_LIVE_OBJECT', `${what}: ${i?.path.join('.') || '/'}: ${i?.message}`);
  }
  return r.data;
}

/** A DNS-1123 label of at most 63 characters (Kubernetes object and label-value names). */
export function dnsLabel(s: string): string {
  const out = s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  if (!out) throw new InputError('BAD_NAME', `"${s}" has no character usable in a name`);
  return out;
}

/** An image pinned by digest: `<repository>@sha256:<64 hex>`. */
export const IMAGE_BY_DIGEST = /^[a-z0-9.-]+(?::\d+)?\/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$/;

export function imageByDigest(image: string): string {
  if (!IMAGE_BY_DIGEST.test(image))
    throw new InputError('IMAGE_NOT_BY_DIGEST', `"${image}" is not <repository>@sha256:<digest>`);
  if (/@sha256:0{64}$/.test(image))
    throw new InputError('PLACEHOLDER_DIGEST', `"${image}" is the all-zero placeholder`);
  return image;
}

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'github-actions' };
