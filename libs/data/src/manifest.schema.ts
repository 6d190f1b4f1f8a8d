import { MARKET_FIELDS, type MarketNeed } from '@tightloop/contracts';
import { z } from 'zod';
import { TIME_FORMATS } from './timestamp';

/** Fields keyed by two parts; every other field is keyed by one asset, reserve or LST symbol. */
const TWO_PART_KEYS: Record<string, string> = {
  spotUsd: 'venue:asset',
  perpMarkUsd: 'venue:asset',
  fundingRatePer8h: 'venue:asset',
  stakingRewardsPerEth: 'lst:token',
};
const FIELDS = new Set<string>(MARKET_FIELDS);
const SYMBOL = /^[A-Za-z0-9_.-]+$/;

/** Why a target string is not a MarketNeed, or undefined when it is one. */
export function targetProblem(target: string): string | undefined {
  if (target === 'gasPriceGwei') return undefined;
  const [field, ...key] = target.split(':');
  if (field === undefined || !FIELDS.has(field)) return `unknown market field "${field}"`;
  const shape = TWO_PART_KEYS[field] ?? 'symbol';
  const parts = shape.split(':').length;
  if (key.length !== parts || !key.every((k) => SYMBOL.test(k))) {
    return `"${target}" must be ${field}:${shape}`;
  }
  return undefined;
}

const marketNeedSchema = z
  .string()
  .refine((t) => targetProblem(t) === undefined, { error: (i) => targetProblem(String(i.input)) })
  .transform((t) => t as MarketNeed);

export const CADENCE_HOURS = { '1h': 1, '8h': 8, '1d': 24 } as const;

/** A column of a CSV file. Cadence is the spacing of observations the file promises. */
export const fileSourceSchema = z.strictObject({
  file: z.string().min(1),
  timeColumn: z.string().min(1),
  timeFormat: z.enum(TIME_FORMATS),
  valueColumn: z.string().min(1),
  cadence: z.enum(['1h', '8h', '1d']),
  /** `linear`: interpolate between observations (daily AAVE indexes -> hourly), as DOMAIN §4.4 prescribes. */
  interpolate: z.literal('linear').optional(),
  /** Repeated timestamps: `identical_only` drops exact repeats and rejects conflicts; `keep_last` keeps the later row. */
  duplicates: z.enum(['identical_only', 'keep_last']).default('identical_only'),
  /** `strict`: rows out of time order are an error; `sort`: the file is known to be unordered, sort it (logged). */
  order: z.enum(['strict', 'sort']).default('strict'),
  /** Series id that fills missing instants of this one (logged per filled range). */
  fallback: z.string().optional(),
  /** Largest tolerated spacing between observations; defaults to the cadence. */
  maxGapHours: z.number().positive().optional(),
  /** The market did not exist before the first row (a token listed later): absent, not an error. */
  startsLate: z.literal(true).optional(),
});

/** A venue series that does not exist, answered by another venue's series (logged once per run). */
export const proxySourceSchema = z.strictObject({
  proxyOf: z.string().min(1),
  reason: z.string().min(1),
});
/** A fixed value, e.g. USDT = 1 USD (logged once per run). */
export const constantSourceSchema = z.strictObject({
  constant: z.number().finite(),
  reason: z.string().min(1),
});
/** Elementwise product of two series, e.g. EIGEN/WETH x ETH/USD = EIGEN/USD. */
export const productSourceSchema = z.strictObject({
  product: z.tuple([z.string().min(1), z.string().min(1)]),
});

/**
 * Restaking reward distributions: `token` per eETH at each payout date (00:00 UTC), summed
 * over the listed reward types. Weekly rows state a weekly rate, paid pro rata to
 * `period_days`; rows carrying a per-eETH amount pay it as is.
 */
export const rewardsSourceSchema = z.strictObject({
  rewards: z.strictObject({
    file: z.string().min(1),
    token: z.enum(['EIGEN', 'ETHFI']),
    rewardTypes: z.array(z.string().min(1)).min(1),
  }),
});

export const seriesSourceSchema = z.union([
  fileSourceSchema,
  proxySourceSchema,
  constantSourceSchema,
  productSourceSchema,
  rewardsSourceSchema,
]);

export const seriesSpecSchema = z.strictObject({
  /** Stable name used in rules and references, e.g. `binance.btc.spot`. */
  id: z.string().regex(/^[a-z0-9_.-]+$/),
  /** The snapshot entry this series feeds; omitted for helper series that only feed others. */
  target: marketNeedSchema.optional(),
  units: z.string().min(1),
  source: seriesSourceSchema,
});

export const manifestSchema = z
  .strictObject({
    name: z.string().min(1),
    kind: z.enum(['real', 'synthetic']),
    description: z.string(),
    series: z.array(seriesSpecSchema).min(1),
  })
  .superRefine((manifest, ctx) => {
    for (const problem of manifestProblems(manifest.series))
      ctx.addIssue({ code: 'custom', message: problem });
  });

export type FileSource = z.infer<typeof fileSourceSchema>;
export type ProxySource = z.infer<typeof proxySourceSchema>;
export type ConstantSource = z.infer<typeof constantSourceSchema>;
export type ProductSource = z.infer<typeof productSourceSchema>;
export type RewardsSource = z.infer<typeof rewardsSourceSchema>;
export type SeriesSource = z.infer<typeof seriesSourceSchema>;
export type SeriesSpec = z.infer<typeof seriesSpecSchema>;
export type DatasetManifest = z.infer<typeof manifestSchema>;
/** What a manifest author writes: defaults (duplicates, order) may be omitted. */
export type DatasetManifestInput = z.input<typeof manifestSchema>;

export const isFileSource = (s: SeriesSource): s is FileSource => 'file' in s;
export const isProxySource = (s: SeriesSource): s is ProxySource => 'proxyOf' in s;
export const isConstantSource = (s: SeriesSource): s is ConstantSource => 'constant' in s;
export const isProductSource = (s: SeriesSource): s is ProductSource => 'product' in s;
export const isRewardsSource = (s: SeriesSource): s is RewardsSource => 'rewards' in s;

/** Funding rates exist only at settlement instants; every other series is a level known at all times. */
export const isSettlementSeries = (spec: Pick<SeriesSpec, 'target'>): boolean =>
  spec.target?.startsWith('fundingRatePer8h:') ?? false;

/** Ids a series reads from (fallback, proxy, product operands). */
export function dependencies(source: SeriesSource): string[] {
  if (isFileSource(source)) return source.fallback ? [source.fallback] : [];
  if (isProxySource(source)) return [source.proxyOf];
  if (isProductSource(source)) return [...source.product];
  return [];
}

/** Cross-series checks zod cannot express per field: unique ids/targets, references, cycles, funding rules. */
function manifestProblems(series: readonly SeriesSpec[]): string[] {
  const problems: string[] = [];
  const byId = new Map<string, SeriesSpec>();
  const targets = new Map<string, string>();
  for (const s of series) {
    if (byId.has(s.id)) problems.push(`series id "${s.id}" is defined twice`);
    byId.set(s.id, s);
    if (s.target) {
      const other = targets.get(s.target);
      if (other) problems.push(`target "${s.target}" is fed by both "${other}" and "${s.id}"`);
      targets.set(s.target, s.id);
    }
  }
  for (const s of series) {
    for (const dep of dependencies(s.source)) {
      const target = byId.get(dep);
      if (!target) {
        problems.push(`series "${s.id}" refers to unknown series "${dep}"`);
      } else if (
        !isProductSource(s.source) &&
        isSettlementSeries(s) !== isSettlementSeries(target)
      ) {
        problems.push(`series "${s.id}" and "${dep}" mix funding (settlement) and level series`);
      } else if (
        isProductSource(s.source) &&
        (isSettlementSeries(target) || isSettlementSeries(s))
      ) {
        problems.push(`series "${s.id}": a product cannot involve funding series`);
      }
    }
    if (isFileSource(s.source) && s.source.interpolate && isSettlementSeries(s)) {
      problems.push(`series "${s.id}": funding rates are not interpolated`);
    }
  }
  const cycle = findCycle(series, byId);
  if (cycle) problems.push(`series references form a cycle: ${cycle.join(' -> ')}`);
  return problems;
}

function findCycle(
  series: readonly SeriesSpec[],
  byId: Map<string, SeriesSpec>,
): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    const spec = byId.get(id);
    for (const dep of spec ? dependencies(spec.source) : []) {
      const found = visit(dep, [...path, id]);
      if (found) return found;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const s of series) {
    const found = visit(s.id, []);
    if (found) return found;
  }
  return undefined;
}
