import type { MarketNeed } from '@tightloop/contracts';
import { DataError } from './data.error';
import type { DataRule } from './data-rule.types';
import type { DatasetManifestInput } from './manifest.schema';
import { loadMarketData } from './market-data.builder';
import {
  fixtureDir,
  hour,
  hourlySeries,
  isoRows,
  removeTempDirs,
  testManifest,
} from './testing/fixture.helpers';

const H = 3_600_000;

afterAll(removeTempDirs);
const csv = (rows: string[]) => `timestamp,value\n${rows.join('\n')}\n`;

async function load(
  files: Record<string, string>,
  manifest: DatasetManifestInput,
  needs: MarketNeed[],
  start = '2024-01-01T00:00:00Z',
  end = '2024-01-01T05:00:00Z',
) {
  const rules: DataRule[] = [];
  const market = await loadMarketData({
    dataDir: fixtureDir(files),
    manifest,
    startMs: hour(start),
    endMs: hour(end),
    needs,
    onRule: (rule) => rules.push(rule),
  });
  return { market, rules };
}

async function loadError(...args: Parameters<typeof load>): Promise<DataError> {
  const error = await load(...args).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

// a: hourly with 02:00 and 03:00 missing; b: complete.
const GAPPY = csv(
  isoRows('2024-01-01T00:00:00Z', [10, 11]).concat(isoRows('2024-01-01T04:00:00Z', [14, 15])),
);
const FULL = csv(isoRows('2024-01-01T00:00:00Z', [20, 21, 22, 23, 24, 25]));

describe('loadMarketData', () => {
  it('ticks are every full hour in [start, end], values as of each tick', async () => {
    const { market } = await load(
      { 'b.csv': FULL },
      testManifest([hourlySeries('b', 'spotUsd:bybit:BTC', 'b.csv')]),
      ['spotUsd:bybit:BTC'],
      '2023-12-31T23:30:00Z',
    );
    expect(market.timestampsMs).toEqual(
      [0, 1, 2, 3, 4, 5].map((k) => hour('2024-01-01T00:00:00Z') + k * H),
    );
    expect(market.snapshot(3).spotUsd).toEqual({ 'bybit:BTC': 23 });
    expect(market.snapshot(3).perpMarkUsd).toEqual({});
    expect(() => market.snapshot(6)).toThrow(RangeError);
  });

  it('a gap beyond the cadence names the file, the line after it, the column and the line before', async () => {
    const e = await loadError(
      { 'a.csv': GAPPY },
      testManifest([hourlySeries('a', 'spotUsd:binance:BTC', 'a.csv')]),
      ['spotUsd:binance:BTC'],
    );
    expect(e.message).toBe(
      'a.csv line 4 column "timestamp": series a: gap of 3h after line 3 (2024-01-01T01:00Z -> 2024-01-01T04:00Z) exceeds the 1h allowed',
    );
    expect([e.file, e.line, e.column]).toEqual(['a.csv', 4, 'timestamp']);
  });

  it('maxGapHours tolerates a short gap by carrying the last value forward', async () => {
    const manifest = testManifest([
      hourlySeries('a', 'spotUsd:binance:BTC', 'a.csv', { maxGapHours: 3 }),
    ]);
    const { market } = await load({ 'a.csv': GAPPY }, manifest, ['spotUsd:binance:BTC']);
    expect(Array.from(market.values('spotUsd:binance:BTC'))).toEqual([10, 11, 11, 11, 14, 15]);
  });

  it('fills a gap from the fallback series and reports the range once', async () => {
    const manifest = testManifest([
      hourlySeries('a', 'spotUsd:binance:BTC', 'a.csv', { fallback: 'b' }),
      hourlySeries('b', 'spotUsd:bybit:BTC', 'b.csv'),
    ]);
    const { market, rules } = await load({ 'a.csv': GAPPY, 'b.csv': FULL }, manifest, [
      'spotUsd:binance:BTC',
    ]);
    expect(Array.from(market.values('spotUsd:binance:BTC'))).toEqual([10, 11, 22, 23, 14, 15]);
    expect(rules).toEqual([
      {
        series: 'a',
        kind: 'fallback',
        detail: 'a: 2 hours from 2024-01-01T02:00Z to 2024-01-01T03:00Z filled from b',
      },
    ]);
    expect(market.rules).toEqual(rules);
    // Only the needed key is in the snapshot, though b was loaded.
    expect(market.snapshot(2).spotUsd).toEqual({ 'binance:BTC': 22 });
  });

  it('the fallback also covers the head and tail of the run, and fails loudly when it has nothing either', async () => {
    const manifest = testManifest([
      hourlySeries('a', 'spotUsd:binance:BTC', 'a.csv', { fallback: 'b' }),
      hourlySeries('b', 'spotUsd:bybit:BTC', 'b.csv'),
    ]);
    const late = csv(isoRows('2024-01-01T02:00:00Z', [12, 13]));
    const { market, rules } = await load({ 'a.csv': late, 'b.csv': FULL }, manifest, [
      'spotUsd:binance:BTC',
    ]);
    expect(Array.from(market.values('spotUsd:binance:BTC'))).toEqual([20, 21, 12, 13, 24, 25]);
    expect(rules.map((r) => r.detail)).toEqual([
      'a: 2 hours from 2024-01-01T00:00Z to 2024-01-01T01:00Z filled from b',
      'a: 2 hours from 2024-01-01T04:00Z to 2024-01-01T05:00Z filled from b',
    ]);
    const e = await loadError(
      { 'a.csv': late, 'b.csv': FULL },
      manifest,
      ['spotUsd:binance:BTC'],
      '2024-01-01T00:00:00Z',
      '2024-01-01T07:00:00Z',
    );
    expect(e.message).toBe(
      'a.csv line 3 column "timestamp": series a ends at 2024-01-01T03:00Z (line 3); the run ends at 2024-01-01T07:00Z; ' +
        'fallback b has no value at 2024-01-01T06:00Z either',
    );
  });

  it('data starting after the run start or ending before its end is a DataError naming series, file and time', async () => {
    const manifest = testManifest([hourlySeries('b', 'spotUsd:bybit:BTC', 'b.csv')]);
    const early = await loadError(
      { 'b.csv': FULL },
      manifest,
      ['spotUsd:bybit:BTC'],
      '2023-12-31T22:00:00Z',
    );
    expect(early.message).toBe(
      'b.csv line 2 column "timestamp": series b: first observation 2024-01-01T00:00Z is after the run start 2023-12-31T22:00Z',
    );
    const late = await loadError(
      { 'b.csv': FULL },
      manifest,
      ['spotUsd:bybit:BTC'],
      '2024-01-01T00:00:00Z',
      '2024-01-02T00:00:00Z',
    );
    expect(late.message).toBe(
      'b.csv line 7 column "timestamp": series b ends at 2024-01-01T05:00Z (line 7); the run ends at 2024-01-02T00:00Z',
    );
  });

  it('interpolates a daily index linearly to hourly ticks (hand-computed)', async () => {
    const daily = 'timestamp,index\n1704067200,1.0\n1704153600,1.24\n';
    const manifest = testManifest([
      {
        id: 'idx',
        target: 'aaveSupplyIndex:USDT',
        units: 'index',
        source: {
          file: 'd.csv',
          timeColumn: 'timestamp',
          timeFormat: 'unix_s',
          valueColumn: 'index',
          cadence: '1d',
          interpolate: 'linear',
        },
      },
    ]);
    const { market, rules } = await load(
      { 'd.csv': daily },
      manifest,
      ['aaveSupplyIndex:USDT'],
      '2024-01-01T00:00:00Z',
      '2024-01-02T00:00:00Z',
    );
    const values = market.values('aaveSupplyIndex:USDT');
    expect(values[0]).toBe(1.0); // exactly the daily row
    expect(values[6]).toBeCloseTo(1.06, 14); // 1.0 + 0.24 * 6/24
    expect(values[18]).toBeCloseTo(1.18, 14);
    expect(values[24]).toBe(1.24);
    expect(rules).toEqual([
      {
        series: 'idx',
        kind: 'interpolate',
        detail: 'idx: 1d index interpolated linearly to hourly ticks',
      },
    ]);
  });

  it('funding appears only at settlement instants; a missing settlement is filled from the fallback', async () => {
    const binance =
      'funding_timestamp,funding_rate\n' +
      ['00', '08', '16'].map((h, k) => `2024-01-01T${h}:00:00Z,${k + 1}e-4`).join('\n') +
      '\n2024-01-02T00:00:00Z,4e-4\n';
    // OKX-like: shuffled rows, 08:00 missing.
    const okx =
      'funding_time,real_funding_rate\n2024-01-01 16:00:00+00:00,0.0003\n2024-01-01 00:00:00+00:00,0.0001\n2024-01-02 00:00:00+00:00,0.0004\n';
    const manifest = testManifest([
      {
        id: 'bin',
        target: 'fundingRatePer8h:binance:BTC',
        units: 'per 8h',
        source: {
          file: 'bin.csv',
          timeColumn: 'funding_timestamp',
          timeFormat: 'iso',
          valueColumn: 'funding_rate',
          cadence: '8h',
        },
      },
      {
        id: 'okx',
        target: 'fundingRatePer8h:okx:BTC',
        units: 'per 8h',
        source: {
          file: 'okx.csv',
          timeColumn: 'funding_time',
          timeFormat: 'iso',
          valueColumn: 'real_funding_rate',
          cadence: '8h',
          order: 'sort',
          fallback: 'bin',
        },
      },
    ]);
    const { market, rules } = await load(
      { 'bin.csv': binance, 'okx.csv': okx },
      manifest,
      ['fundingRatePer8h:okx:BTC'],
      '2024-01-01T00:00:00Z',
      '2024-01-02T00:00:00Z',
    );
    const settled = market.timestampsMs.flatMap((t, i) =>
      Object.keys(market.snapshot(i).fundingRatePer8h).length
        ? [new Date(t).toISOString().slice(11, 13)]
        : [],
    );
    expect(settled).toEqual(['00', '08', '16', '00']);
    expect(market.snapshot(8).fundingRatePer8h).toEqual({ 'okx:BTC': 2e-4 }); // from binance
    expect(market.snapshot(16).fundingRatePer8h).toEqual({ 'okx:BTC': 3e-4 }); // OKX's own
    expect(market.snapshot(9).fundingRatePer8h).toEqual({});
    expect(rules.map((r) => `${r.kind}: ${r.detail}`)).toEqual([
      'sort: okx: 1 rows of okx.csv out of time order; sorted by funding_time',
      'fallback: okx: 1 settlement at 2024-01-01T08:00Z filled from bin',
    ]);
  });

  it('a missing settlement without fallback is a DataError', async () => {
    const funding =
      'funding_timestamp,funding_rate\n2024-01-01T00:00:00Z,1e-4\n2024-01-01T16:00:00Z,1e-4\n';
    const manifest = testManifest([
      {
        id: 'f',
        target: 'fundingRatePer8h:bybit:BTC',
        units: 'per 8h',
        source: {
          file: 'f.csv',
          timeColumn: 'funding_timestamp',
          timeFormat: 'iso',
          valueColumn: 'funding_rate',
          cadence: '8h',
        },
      },
    ]);
    const e = await loadError(
      { 'f.csv': funding },
      manifest,
      ['fundingRatePer8h:bybit:BTC'],
      '2024-01-01T00:00:00Z',
      '2024-01-01T16:00:00Z',
    );
    expect(e.message).toMatch(
      /^f\.csv line 3 column "funding_timestamp": series f: gap of 16h after line 2/,
    );
    // A run between settlements needs none.
    const { market } = await load(
      { 'f.csv': funding },
      manifest,
      ['fundingRatePer8h:bybit:BTC'],
      '2024-01-01T01:00:00Z',
      '2024-01-01T07:00:00Z',
    );
    expect(market.timestampsMs).toHaveLength(7);
  });

  it('proxy, constant and product series; each rule reported once', async () => {
    const ratio = csv(isoRows('2024-01-01T00:00:00Z', [0.001, 0.002, 0.001, 0.001, 0.001, 0.001]));
    const manifest = testManifest([
      hourlySeries('b', 'perpMarkUsd:binance:BTC', 'b.csv'),
      {
        id: 'okx',
        target: 'perpMarkUsd:okx:BTC',
        units: 'x',
        source: { proxyOf: 'b', reason: 'no OKX file' },
      },
      {
        id: 'usdt',
        target: 'pricesUsd:USDT',
        units: 'x',
        source: { constant: 1, reason: 'USDT = 1 USD' },
      },
      hourlySeries('ratio', undefined, 'r.csv'),
      { id: 'eigen', target: 'pricesUsd:EIGEN', units: 'x', source: { product: ['ratio', 'b'] } },
    ]);
    const needs: MarketNeed[] = [
      'perpMarkUsd:okx:BTC',
      'pricesUsd:USDT',
      'pricesUsd:EIGEN',
      'perpMarkUsd:okx:BTC',
    ];
    const { market, rules } = await load({ 'b.csv': FULL, 'r.csv': ratio }, manifest, needs);
    expect(market.snapshot(1)).toMatchObject({
      perpMarkUsd: { 'okx:BTC': 21 },
      pricesUsd: { USDT: 1, EIGEN: 0.042 },
    });
    expect(rules.map((r) => r.detail)).toEqual([
      'okx: answered by b (no OKX file)',
      'usdt: constant 1 (USDT = 1 USD)',
    ]);
    expect(market.snapshot(1).gasPriceGwei).toBe(0); // not needed
  });

  it('reads only the files the needs reach', async () => {
    const manifest = testManifest([
      hourlySeries('b', 'spotUsd:bybit:BTC', 'b.csv'),
      hourlySeries('x', 'spotUsd:okx:BTC', 'missing.csv'),
    ]);
    await expect(load({ 'b.csv': FULL }, manifest, ['spotUsd:bybit:BTC'])).resolves.toBeDefined();
    const e = await loadError({ 'b.csv': FULL }, manifest, ['spotUsd:okx:BTC']);
    expect(e.message).toMatch(/^missing\.csv: file not found in data directory /);
  });

  it('an unknown need or an invalid manifest is a DataError', async () => {
    const manifest = testManifest([
      hourlySeries('b', 'spotUsd:bybit:BTC', 'b.csv', { fallback: 'nope' }),
    ]);
    await expect(load({ 'b.csv': FULL }, manifest, ['spotUsd:bybit:BTC'])).rejects.toThrow(
      /series "b" refers to unknown series "nope"/,
    );
    const ok = testManifest([hourlySeries('b', 'spotUsd:bybit:BTC', 'b.csv')]);
    await expect(load({ 'b.csv': FULL }, ok, ['spotUsd:okx:ETH'])).rejects.toThrow(
      'dataset fixture has no series for "spotUsd:okx:ETH"; it has spotUsd:bybit:BTC',
    );
  });
});
