/** One schema violation, machine-readable: a JSON pointer into the object and a message. */
export interface Finding {
  path: string;
  message: string;
}

export interface ObjectReport {
  ref: string;
  validator: 'kubernetes-models' | 'crd' | 'none';
  findings: Finding[];
}

export function objectRef(o: {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown };
}): string {
  const ns = o.metadata?.namespace ? `${String(o.metadata.namespace)}/` : '';
  return `${String(o.apiVersion)} ${String(o.kind)} ${ns}${String(o.metadata?.name ?? '?')}`;
}
