import { formatInstant, parseTimestamp } from './timestamp';

const JAN1 = Date.UTC(2024, 0, 1);

describe('parseTimestamp', () => {
  it('reads ISO with Z, with an offset, and with a space separator', () => {
    expect(parseTimestamp('2024-01-01T00:00:00Z', 'iso')).toBe(JAN1);
    expect(parseTimestamp('2024-05-12 01:00:00+00:00', 'iso')).toBe(Date.UTC(2024, 4, 12, 1));
    expect(parseTimestamp('2024-01-01T02:00:00+02:00', 'iso')).toBe(JAN1);
    expect(parseTimestamp('2024-01-01T00:00:00.250Z', 'iso')).toBe(JAN1 + 250);
  });

  it('reads unix seconds', () => {
    expect(parseTimestamp('1704067200', 'unix_s')).toBe(JAN1);
  });

  it('reads zone-less timestamps as UTC only under iso_assume_utc', () => {
    expect(parseTimestamp('2024-02-16 00:00:00', 'iso_assume_utc')).toBe(Date.UTC(2024, 1, 16));
    expect(parseTimestamp('2024-02-16 00:00:00', 'iso')).toBeUndefined();
    expect(parseTimestamp('2024-02-16T00:00:00Z', 'iso_assume_utc')).toBeUndefined();
  });

  it('rejects malformed and impossible values instead of guessing', () => {
    // The Uniswap `date_utc` column: offset and Z at once.
    expect(parseTimestamp('2024-01-01T00:00:00+00:00Z', 'iso')).toBeUndefined();
    expect(parseTimestamp('2024-02-30T00:00:00Z', 'iso')).toBeUndefined();
    expect(parseTimestamp('2023-02-29T00:00:00Z', 'iso')).toBeUndefined();
    expect(parseTimestamp('2024-02-29T00:00:00Z', 'iso')).toBe(Date.UTC(2024, 1, 29));
    expect(parseTimestamp('2024-01-01T24:00:00Z', 'iso')).toBeUndefined();
    expect(parseTimestamp('1704067200.5', 'unix_s')).toBeUndefined();
    expect(parseTimestamp('2024-01-01T00:00:00Z', 'unix_s')).toBeUndefined();
    expect(parseTimestamp('', 'iso')).toBeUndefined();
  });

  it('formats instants compactly for messages', () => {
    expect(formatInstant(JAN1)).toBe('2024-01-01T00:00Z');
    expect(formatInstant(JAN1 + 1500)).toBe('2024-01-01T00:00:01.500Z');
  });
});
