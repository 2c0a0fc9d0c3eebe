import { z } from 'zod';
import { isDuration } from '../duration';

// Sloth's `prometheus/v1` spec, field for field. Objects are strict so a typo (e.g. `objetive`)
// is an error instead of a silently ignored key.

// Prometheus's own syntax: units largest first, each once (`1h30m`; `30m1h` is refused).
const promDuration = z.string().refine(isDuration, 'must be a Prometheus duration such as 5m');

const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const alertName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

// Go's YAML decoder turns `tier: 2` into the string "2" for map[string]string; do the same.
const labelValue = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

const labels = z
  .record(z.string().regex(labelName, 'label names must match [a-zA-Z_][a-zA-Z0-9_]*'), labelValue)
  .optional()
  .default({});

const annotations = z.record(z.string(), labelValue).optional().default({});

const alert = z
  .strictObject({
    disable: z.boolean().optional().default(false),
    labels,
    annotations,
    for: promDuration.optional(),
  })
  .optional()
  .default({ disable: false, labels: {}, annotations: {} });

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const sli = z
  .strictObject({
    events: z.strictObject({ error_query: nonEmpty, total_query: nonEmpty }).optional(),
    raw: z.strictObject({ error_ratio_query: nonEmpty }).optional(),
    plugin: z
      .strictObject({ id: nonEmpty, options: z.record(z.string(), labelValue).optional() })
      .optional(),
  })
  .superRefine((v, ctx) => {
    const kinds = [v.events, v.raw, v.plugin].filter((k) => k !== undefined).length;
    if (kinds !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'exactly one of sli.events, sli.raw or sli.plugin is required',
      });
    }
  });

const interval = z
  .strictObject({
    all: promDuration.optional(),
    slierror: promDuration.optional(),
    metadata: promDuration.optional(),
    alert: promDuration.optional(),
  })
  .optional();

const pluginChain = z
  .strictObject({
    chain: z.array(
      z.strictObject({
        id: nonEmpty,
        priority: z.number().int().optional(),
        config: z.unknown().optional(),
      }),
    ),
  })
  .optional();

export const sloSchema = z.strictObject({
  name: nonEmpty,
  objective: z
    .number({ error: 'must be a number' })
    .gt(0, 'must be in (0,100]')
    .lte(100, 'must be in (0,100]'),
  description: z.string().optional(),
  labels,
  sli,
  alerting: z
    .strictObject({
      name: z.string().regex(alertName, 'must be a valid Prometheus alert name').optional(),
      labels,
      annotations,
      page_alert: alert,
      ticket_alert: alert,
    })
    .optional()
    .default({
      labels: {},
      annotations: {},
      page_alert: { disable: false, labels: {}, annotations: {} },
      ticket_alert: { disable: false, labels: {}, annotations: {} },
    }),
  interval,
  plugins: pluginChain,
});

export const specSchema = z.strictObject({
  version: z.literal('prometheus/v1', { error: 'only "prometheus/v1" specs are supported' }),
  service: nonEmpty,
  labels,
  slo_plugins: pluginChain,
  slos: z.array(sloSchema).min(1, 'at least one SLO is required'),
});

export type SloSpecFile = z.infer<typeof specSchema>;
export type SloSpec = z.infer<typeof sloSchema>;
