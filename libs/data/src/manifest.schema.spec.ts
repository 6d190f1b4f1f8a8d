import { manifestSchema, targetProblem } from './manifest.schema';
import { SHARED_DATA_MANIFEST } from './shared-data.manifest';
import { hourlySeries, testManifest } from './testing/fixture.helpers';

const problems = (input: unknown) => {
  const parsed = manifestSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
};

describe('manifestSchema', () => {
  it('accepts the shared-data manifest and fills defaults', () => {
    const gas = SHARED_DATA_MANIFEST.series.find((s) => s.id === 'gas.price')!;
    expect(gas.source).toMatchObject({ duplicates: 'identical_only', order: 'strict' });
  });

  it('checks targets are MarketNeeds', () => {
    expect(targetProblem('perpMarkUsd:okx:BTC')).toBeUndefined();
    expect(targetProblem('gasPriceGwei')).toBeUndefined();
    expect(targetProblem('perpMarkUsd:BTC')).toBe(
      '"perpMarkUsd:BTC" must be perpMarkUsd:venue:asset',
    );
    expect(targetProblem('aaveSupplyIndex:USDT:x')).toBe(
      '"aaveSupplyIndex:USDT:x" must be aaveSupplyIndex:symbol',
    );
    expect(targetProblem('price:BTC')).toBe('unknown market field "price"');
  });

  it('rejects duplicate ids and targets, unknown references, cycles and mixed funding/levels', () => {
    expect(
      problems(
        testManifest([
          hourlySeries('a', 'spotUsd:x:BTC', 'a'),
          hourlySeries('a', 'spotUsd:x:BTC', 'b'),
        ]),
      ),
    ).toEqual([
      'series id "a" is defined twice',
      'target "spotUsd:x:BTC" is fed by both "a" and "a"',
    ]);
    expect(
      problems(
        testManifest([
          hourlySeries('a', undefined, 'a', { fallback: 'b' }),
          hourlySeries('b', undefined, 'b', { fallback: 'a' }),
        ]),
      ),
    ).toEqual(['series references form a cycle: a -> b -> a']);
    expect(
      problems(
        testManifest([
          hourlySeries('f', 'fundingRatePer8h:x:BTC', 'f', { fallback: 'p' }),
          hourlySeries('p', 'spotUsd:x:BTC', 'p'),
        ]),
      ),
    ).toEqual(['series "f" and "p" mix funding (settlement) and level series']);
    expect(
      problems(
        testManifest([
          { id: 'c', units: 'x', source: { constant: 1, reason: 'r', extra: 1 } as never },
        ]),
      ),
    ).not.toEqual([]);
  });
});
