import { readFileSync, statSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import type { MarketNeed } from '@tightloop/contracts';
import { DataError } from '../data.error';
import { resolveDataset } from '../dataset.resolver';
import { loadMarketData } from '../market-data.builder';
import { SHARED_DATA_FILES } from '../shared-data.layout';
import { SHARED_DATA_MANIFEST } from '../shared-data.manifest';
import { removeTempDirs, tempDir } from '../testing/fixture.helpers';
import { ensureSyntheticDataset, SYNTHETIC_DATASET_VERSION } from './synthetic-dataset.generator';

const tempCache = () => tempDir('tightloop-synthetic-');

afterAll(removeTempDirs);
const ALL_TARGETS = SHARED_DATA_MANIFEST.series.flatMap((s) =>
  s.target ? [s.target] : [],
) as MarketNeed[];

describe('synthetic dataset', () => {
  let dir: string;
  let generationMs: number;

  beforeAll(async () => {
    const started = performance.now();
    dir = await ensureSyntheticDataset(tempCache());
    generationMs = performance.now() - started;
  });

  it('is written under <cacheDir>/synthetic-v2 with a README saying it is synthetic', () => {
    expect(path.basename(dir)).toBe(SYNTHETIC_DATASET_VERSION);
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(readme).toMatch(/SYNTHETIC/);
    expect(readme).toMatch(/NOT market history/);
    expect(readme).toMatch(/seed/);
    console.info(`synthetic dataset generated in ${generationMs.toFixed(0)} ms`);
    expect(generationMs).toBeLessThan(4_000); // budget 2 s; slack for a loaded CI machine
  });

  it('is deterministic: two generations are byte-identical', async () => {
    const other = await ensureSyntheticDataset(tempCache());
    for (const rel of [...Object.values(SHARED_DATA_FILES), 'README.md']) {
      expect(readFileSync(path.join(other, rel)).equals(readFileSync(path.join(dir, rel)))).toBe(
        true,
      );
    }
  });

  it('keeps the real files formats (comment headers, unix seconds, malformed date_utc)', () => {
    const oracle = readFileSync(path.join(dir, SHARED_DATA_FILES.oracleWethUsd), 'utf8');
    expect(oracle.split('\n')[0]).toMatch(/^# /);
    const uniswap = readFileSync(path.join(dir, SHARED_DATA_FILES.uniswapWethUsdt), 'utf8').split(
      '\n',
    );
    expect(uniswap[1]).toMatch(/^1704067200,2024-01-01T00:00:00\+00:00Z,/);
    const okx = readFileSync(path.join(dir, SHARED_DATA_FILES.okxBtcFundingRows), 'utf8').split(
      '\n',
    );
    expect(okx[0]).toBe(
      'instrument,contract_type,funding_rate,real_funding_rate,funding_time,date',
    );
  });

  it('is reused when complete and regenerated when a file is missing', async () => {
    const cache = path.dirname(dir);
    const marker = path.join(dir, SHARED_DATA_FILES.gas);
    const before = statSync(marker).mtimeMs;
    expect(await ensureSyntheticDataset(cache)).toBe(dir);
    expect(statSync(marker).mtimeMs).toBe(before);
    unlinkSync(path.join(dir, SHARED_DATA_FILES.okxEthPerp));
    expect(await ensureSyntheticDataset(cache)).toBe(dir);
    expect(statSync(path.join(dir, SHARED_DATA_FILES.okxEthPerp)).isFile()).toBe(true);
  });

  it('loads every manifest target over 2024-06-01..2025-06-01 with no gaps to fill', async () => {
    const resolved = await resolveDataset({ cacheDir: path.dirname(dir) });
    expect(resolved).toMatchObject({
      dir,
      kind: 'synthetic',
      manifest: { name: 'synthetic-v2', kind: 'synthetic' },
    });
    const market = await loadMarketData({
      dataDir: resolved.dir,
      manifest: resolved.manifest,
      startMs: Date.UTC(2024, 5, 1),
      endMs: Date.UTC(2025, 5, 1),
      needs: ALL_TARGETS,
    });
    expect(market.dataset).toEqual({ name: 'synthetic-v2', kind: 'synthetic', dir });
    expect(market.timestampsMs).toHaveLength(365 * 24 + 1);
    expect(new Set(market.rules.map((r) => r.kind))).toEqual(
      new Set(['proxy', 'constant', 'interpolate', 'events']),
    );
    const s = market.snapshot(0);
    expect(Object.keys(s.fundingRatePer8h).sort()).toEqual([
      'binance:BTC',
      'binance:ETH',
      'bybit:BTC',
      'bybit:ETH',
      'okx:BTC',
      'okx:ETH',
    ]);
    expect(market.snapshot(1).fundingRatePer8h).toEqual({});
    expect(s.pricesUsd.BTC).toBeGreaterThan(55_000);
    expect(s.pricesUsd.BTC).toBeLessThan(115_000);
    expect(Math.abs(s.perpMarkUsd['binance:BTC']! / s.spotUsd['binance:BTC']! - 1)).toBeLessThan(
      0.005,
    );
    const usdt = market.values('aaveSupplyIndex:USDT');
    const growth = usdt[usdt.length - 1]! / usdt[0]! - 1;
    expect(growth).toBeGreaterThan(0.03);
    expect(growth).toBeLessThan(0.08);
    for (const need of ALL_TARGETS) {
      const values = market.values(need);
      if (need.startsWith('stakingRewardsPerEth:')) {
        expect(values.some(Number.isFinite)).toBe(true); // payouts on their dates only
        continue;
      }
      const present = need.startsWith('fundingRatePer8h:')
        ? values.filter((_, i) => i % 8 === 0)
        : values;
      expect(present.every(Number.isFinite)).toBe(true);
    }
  });
});

describe('resolveDataset', () => {
  it('uses the real manifest for an existing data dir and refuses a missing one', async () => {
    const dataDir = tempCache();
    await expect(resolveDataset({ dataDir, cacheDir: dataDir })).resolves.toEqual({
      dir: dataDir,
      manifest: SHARED_DATA_MANIFEST,
      kind: 'real',
    });
    const missing = path.join(dataDir, 'nope');
    await expect(resolveDataset({ dataDir: missing, cacheDir: dataDir })).rejects.toThrow(
      DataError,
    );
  });
});
