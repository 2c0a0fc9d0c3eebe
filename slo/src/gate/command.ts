import { readFileSync } from 'node:fs';
import {
  DECIMAL_NUMBER_MESSAGE,
  fromDecimalDigits,
  wholeNumberText,
} from '@dhakacart/numeric-text';
import { z } from 'zod';
import { flagValue, onlyFlags, UsageError, type Flags } from '../args';
import { decideGate, DEFAULT_POLICY, RELEASE_WINDOWS, type GatePolicy } from './decide';
import { formatTable } from './format';
import { observe, type PrometheusAccess } from './prometheus';

const RATIO = 'must be a ratio between 0 and 1 (0.25) or a percentage (25%)';
const ratio = z.number({ error: RATIO }).min(0, RATIO).max(1, RATIO);
// "25%" and "0.25" both mean a quarter of the budget; either is digits with an optional point.
const PERCENT = /^[0-9]{1,3}(\.[0-9]{1,6})?%$/;
const percentAsRatio = (v: unknown) =>
  typeof v === 'string' && PERCENT.test(v) ? Number(v.slice(0, -1)) / 100 : v;

const optionsSchema = z.object({
  prometheus: z.url({ error: 'must be an http(s) URL' }),
  slo: z.string().min(1).optional(),
  minBudget: z
    .preprocess(percentAsRatio, fromDecimalDigits(ratio))
    .default(DEFAULT_POLICY.minBudgetRemaining),
  maxBurn: fromDecimalDigits(
    z.number({ error: DECIMAL_NUMBER_MESSAGE }).positive('must be > 0'),
  ).default(DEFAULT_POLICY.maxReleaseBurn),
  window: z.enum(RELEASE_WINDOWS).default(DEFAULT_POLICY.releaseWindow),
  timeoutMs: wholeNumberText(1).default(5000),
});

/** A basic-auth credentials file, as the lab writes it (.lab/ops.json). */
const credentialsSchema = z.object({
  username: z.string().regex(/^[^:\s]{1,64}$/),
  password: z.string().min(1).max(256),
});

const readFile = (flag: string, file: string): Buffer => {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UsageError(`--${flag}: cannot read ${file} (${(e as NodeJS.ErrnoException).code})`);
  }
};

/**
 * The CA and credentials for a Prometheus behind TLS and basic auth, such as the lab's
 * (`--ca-file .lab/ca/ca.crt --credentials .lab/ops.json`). Credentials go over https only.
 */
function accessFrom(flags: Flags, prometheus: string): PrometheusAccess {
  const caFile = flagValue(flags, 'ca-file');
  const credentialsFile = flagValue(flags, 'credentials');
  const tls = new URL(prometheus).protocol === 'https:';
  if ((caFile || credentialsFile) && !tls)
    throw new UsageError(
      `--${caFile ? 'ca-file' : 'credentials'} needs an https --prometheus URL (credentials never cross in clear)`,
    );
  const access: PrometheusAccess = {};
  if (caFile) access.ca = readFile('ca-file', caFile);
  if (credentialsFile) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFile('credentials', credentialsFile).toString('utf8'));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      parsed = undefined;
    }
    const c = credentialsSchema.safeParse(parsed);
    if (!c.success)
      throw new UsageError(
        `--credentials: ${credentialsFile} is not {"username": ..., "password": ...}`,
      );
    access.authorization = `Basic ${Buffer.from(`${c.data.username}:${c.data.password}`).toString('base64')}`;
  }
  return access;
}

export async function runGate(flags: Flags): Promise<number> {
  onlyFlags(flags, [
    'prometheus',
    'slo',
    'json',
    'min-budget',
    'max-burn',
    'window',
    'timeout-ms',
    'ca-file',
    'credentials',
  ]);
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
  const access = accessFrom(flags, o.prometheus);
  const input = await observe(o.prometheus, o.window, o.timeoutMs, o.slo, access);
  const decision = decideGate(input, policy, o.slo);
  if (flags.has('json'))
    console.log(JSON.stringify(decision, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v)));
  else console.log(formatTable(decision));
  return decision.exitCode;
}
