import { z } from 'zod';
import { flagValue, onlyFlags, UsageError, type Flags } from '../args';
import { decideGate, DEFAULT_POLICY, RELEASE_WINDOWS, type GatePolicy } from './decide';
import { formatTable } from './format';
import { observe } from './prometheus';

const ratio = z
  .number()
  .refine((n) => Number.isFinite(n) && n >= 0 && n <= 1, 'must be a ratio between 0 and 1');

const optionsSchema = z.object({
  prometheus: z.url({ error: 'must be an http(s) URL' }),
  slo: z.string().min(1).optional(),
  minBudget: z
    .string()
    .optional()
    // "25%" and "0.25" both mean a quarter of the budget.
    .transform((s) =>
      s === undefined
        ? DEFAULT_POLICY.minBudgetRemaining
        : s.endsWith('%')
          ? Number(s.slice(0, -1)) / 100
          : Number(s),
    )
    .pipe(ratio),
  maxBurn: z.coerce.number().positive('must be > 0').default(DEFAULT_POLICY.maxReleaseBurn),
  window: z.enum(RELEASE_WINDOWS).default(DEFAULT_POLICY.releaseWindow),
  timeoutMs: z.coerce.number().int().positive().default(5000),
});

export async function runGate(flags: Flags): Promise<number> {
  onlyFlags(flags, ['prometheus', 'slo', 'json', 'min-budget', 'max-burn', 'window', 'timeout-ms']);
  const parsed = optionsSchema.safeParse({
    prometheus: flagValue(flags, 'prometheus', true),
    slo: flagValue(flags, 'slo'),
    minBudget: flagValue(flags, 'min-budget'),
    maxBurn: flagValue(flags, 'max-burn'),
    window: flagValue(flags, 'window'),
    timeoutMs: flagValue(flags, 'timeout-ms'),
  });
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new UsageError(
      `--${String(i?.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i?.message}`,
    );
  }
  const o = parsed.data;
  const policy: GatePolicy = {
    minBudgetRemaining: o.minBudget,
    maxReleaseBurn: o.maxBurn,
    releaseWindow: o.window,
  };
  const input = await observe(o.prometheus, o.window, o.timeoutMs, o.slo);
  const decision = decideGate(input, policy, o.slo);
  if (flags.has('json'))
    console.log(JSON.stringify(decision, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v)));
  else console.log(formatTable(decision));
  return decision.exitCode;
}
