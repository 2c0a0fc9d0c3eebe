/** One problem in one spec file: which file, which field (a dotted path) and why. */
export interface SpecIssue {
  file: string;
  field: string;
  reason: string;
}

/** Thrown when any spec is invalid; carries every issue so one run reports them all. */
export class SpecValidationError extends Error {
  readonly code = 'SLO_SPEC_INVALID';

  constructor(readonly issues: SpecIssue[]) {
    super(
      `${issues.length} invalid SLO spec field(s):\n` +
        issues.map((i) => `  ${i.file}: ${i.field}: ${i.reason}`).join('\n'),
    );
    this.name = 'SpecValidationError';
  }

  toJSON(): { error: string; issues: SpecIssue[] } {
    return { error: this.code, issues: this.issues };
  }
}

/** Formats a zod/JS path (["slos", 0, "sli"]) as `slos[0].sli`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}
