import type { MarketNeed } from '@tightloop/contracts';
import { z } from 'zod';
import { readSeriesFile } from './csv-series.loader';
import { DataError } from './data.error';
import type { DataRule } from './data-rule.types';
import {
  AlignedMarketData,
  type LoadedMarketData,
  type MarketColumn,
} from './loaded-market-data.source';
import {
  dependencies,
  isFileSource,
  isRewardsSource,
  manifestSchema,
  type DatasetManifest,
  type DatasetManifestInput,
  type SeriesSpec,
} from './manifest.schema';
import { holeError, tickGrid } from './series.aligner';
import { SeriesResolver } from './series.resolver';
import { SHARED_DATA_MANIFEST } from './shared-data.manifest';
import { HOUR_MS } from './timestamp';

export interface LoadMarketDataOptions {
  dataDir: string;
  /** Defaults to the shared (real) data manifest. */
  manifest?: DatasetManifest | DatasetManifestInput;
  /** First and last tick, inclusive; ticks are the full hours in between (DOMAIN §6.1). */
  startMs: number;
  endMs: number;
  needs: readonly MarketNeed[];
  /** Called as each rule is applied, e.g. to print it. */
  onRule?: (rule: DataRule) => void;
}

/**
 * Loads what `needs` require (and the series they fall back on), aligns it on the run's
 * hourly ticks and checks it covers the whole run. Throws a DataError on the first defect.
 */
export async function loadMarketData(options: LoadMarketDataOptions): Promise<LoadedMarketData> {
  const manifest = parseManifest(options.manifest ?? SHARED_DATA_MANIFEST);
  const grid = tickGrid(options.startMs, options.endMs);
  const byId = new Map(manifest.series.map((s) => [s.id, s]));
  const byTarget = new Map(manifest.series.filter((s) => s.target).map((s) => [s.target!, s]));
  const needs = [...new Set(options.needs)];
  const roots = needs.map((need) => {
    const spec = byTarget.get(need);
    if (!spec) {
      const known = [...byTarget.keys()].join(', ');
      throw new DataError(`dataset ${manifest.name} has no series for "${need}"; it has ${known}`);
    }
    return spec;
  });

  const files = [
    ...new Set(
      closure(roots, byId).flatMap((s) =>
        isFileSource(s.source)
          ? [s.source.file]
          : isRewardsSource(s.source)
            ? [s.source.rewards.file]
            : [],
      ),
    ),
  ];
  const texts = new Map(
    await Promise.all(
      files.map(async (f) => [f, await readSeriesFile(options.dataDir, f)] as const),
    ),
  );

  const rules: DataRule[] = [];
  const resolver = new SeriesResolver(byId, grid, texts, (rule) => {
    rules.push(rule);
    options.onRule?.(rule);
  });
  const columns: MarketColumn[] = roots.map((spec, k) => {
    const aligned = resolver.resolve(spec.id);
    const [hole] = aligned.holes;
    if (hole) throw holeError(hole);
    return { need: needs[k]!, values: aligned.values };
  });

  const timestampsMs = Array.from({ length: grid.count }, (_, i) => grid.firstMs + i * HOUR_MS);
  const dataset = { name: manifest.name, kind: manifest.kind, dir: options.dataDir };
  return new AlignedMarketData(timestampsMs, columns, dataset, rules);
}

function parseManifest(input: DatasetManifest | DatasetManifestInput): DatasetManifest {
  const parsed = manifestSchema.safeParse(input);
  if (!parsed.success) {
    throw new DataError(
      `dataset manifest "${input.name}" is invalid:\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

/** The specs `roots` read from, directly or through fallbacks, proxies and products. */
function closure(
  roots: readonly SeriesSpec[],
  byId: ReadonlyMap<string, SeriesSpec>,
): SeriesSpec[] {
  const seen = new Map<string, SeriesSpec>();
  const stack = [...roots];
  while (stack.length > 0) {
    const spec = stack.pop()!;
    if (seen.has(spec.id)) continue;
    seen.set(spec.id, spec);
    for (const dep of dependencies(spec.source)) stack.push(byId.get(dep)!);
  }
  return [...seen.values()];
}
