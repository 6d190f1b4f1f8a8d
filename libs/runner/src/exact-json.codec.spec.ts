import { decodeExactJson, encodeExactJson } from './exact-json.codec';

describe('exact JSON', () => {
  it('gives back numbers bit for bit, the values JSON drops, and key order', () => {
    const value = {
      z: 0.1 + 0.2,
      a: [-0, NaN, Infinity, -Infinity, 5e-324, undefined, null],
      nested: { '10': 'x', b: undefined, '2': { deep: -0 } },
      text: 'é "q" \\ \n',
    };
    const back = decodeExactJson<typeof value>(encodeExactJson(value));
    expect(back).toEqual(value);
    expect(Object.is(back.a[0], -0)).toBe(true);
    expect(Object.is(back.nested['2'].deep, -0)).toBe(true);
    expect(Object.keys(back)).toEqual(['z', 'a', 'nested', 'text']);
    expect('b' in back.nested).toBe(true);
    expect(back.a).toHaveLength(7);
  });

  it('refuses what is not plain data, naming where it is', () => {
    expect(() => encodeExactJson({ at: { when: new Date(0) } }, 'cp')).toThrow(
      'cannot encode cp.at.when: a Date is not plain data',
    );
    expect(() => encodeExactJson([new Map()])).toThrow('cannot encode value[0]: a Map');
    expect(() => encodeExactJson({ n: 1n })).toThrow('cannot encode value.n: a bigint');
    expect(() => encodeExactJson({ x: { $exact: 'NaN' } })).toThrow('it has a key $exact');
    expect(() => encodeExactJson([1, , 3])).toThrow('a hole in an array'); // eslint-disable-line no-sparse-arrays
  });
});
