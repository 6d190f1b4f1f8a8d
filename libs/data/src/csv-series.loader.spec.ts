import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseCsvSeries, readSeriesFile } from './csv-series.loader';
import { DataError } from './data.error';
import { fileSourceSchema, type FileSource } from './manifest.schema';
import { fixtureDir, removeTempDirs } from './testing/fixture.helpers';

const FILE = 'market_data/x.csv';
const source = (extra: Partial<FileSource> = {}): FileSource =>
  fileSourceSchema.parse({
    file: FILE,
    timeColumn: 'timestamp',
    timeFormat: 'iso',
    valueColumn: 'open',
    cadence: '1h',
    ...extra,
  });

/** Writes the text to a temp dir and parses it back through the file path, like the builder. */
async function load(text: string, extra: Partial<FileSource> = {}) {
  const dir = fixtureDir({ [FILE]: text });
  return parseCsvSeries(await readSeriesFile(dir, FILE), source(extra));
}

function dataError(fn: () => unknown): DataError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error('expected a DataError');
}

const HEADER = 'timestamp,open,close';

afterAll(removeTempDirs);

describe('parseCsvSeries', () => {
  it('reads the value column by header name, skipping # comment lines and blank lines', async () => {
    const s = await load(
      `# Source: test\n# Records: 2\n${HEADER}\n2024-01-01T00:00:00Z,100,101\n\n2024-01-01T01:00:00Z,101,99\n`,
    );
    expect(Array.from(s.tsMs)).toEqual([Date.UTC(2024, 0, 1, 0), Date.UTC(2024, 0, 1, 1)]);
    expect(Array.from(s.values)).toEqual([100, 101]);
    expect(Array.from(s.lines)).toEqual([4, 6]);
  });

  it('handles quoted files through csv-parse with the same line numbers', async () => {
    const s = await load(
      `# c\n${HEADER},note\n2024-01-01T00:00:00Z,"100",1,"a, b"\n2024-01-01T01:00:00Z,7,1,x\n`,
    );
    expect(Array.from(s.values)).toEqual([100, 7]);
    expect(Array.from(s.lines)).toEqual([3, 4]);
  });

  it('a NaN value names file, line and column', async () => {
    const dir = fixtureDir({
      [FILE]: `${HEADER}\n2024-01-01T00:00:00Z,100,1\n2024-01-01T01:00:00Z,NaN,1\n`,
    });
    const text = readFileSync(path.join(dir, FILE), 'utf8');
    const e = dataError(() => parseCsvSeries(text, source()));
    expect(e.message).toBe(`${FILE} line 3 column "open": "NaN" is not a finite number`);
    expect([e.file, e.line, e.column]).toEqual([FILE, 3, 'open']);
  });

  it.each([
    ['empty', '', 'empty value'],
    ['hex', '0x10', '"0x10" is not a finite number'],
    ['infinite', 'Infinity', '"Infinity" is not a finite number'],
  ])('rejects an %s value (never a silent 0 or NaN)', async (_label, value, reason) => {
    const text = `${HEADER}\n2024-01-01T00:00:00Z,${value},1\n`;
    expect(dataError(() => parseCsvSeries(text, source())).message).toBe(
      `${FILE} line 2 column "open": ${reason}`,
    );
  });

  it('a missing column names file, header line and column', () => {
    const e = dataError(() =>
      parseCsvSeries(`# c\n${HEADER}\n2024-01-01T00:00:00Z,1,1\n`, source({ valueColumn: 'mark' })),
    );
    expect(e.message).toBe(
      `${FILE} line 2 column "mark": column not found; the header has "timestamp", "open", "close"`,
    );
  });

  it('a short row and an unparseable timestamp name file, line and column', () => {
    expect(
      dataError(() => parseCsvSeries(`${HEADER}\n2024-01-01T00:00:00Z\n`, source())).message,
    ).toBe(`${FILE} line 2 column "open": row has 1 fields, the column is field 2`);
    expect(
      dataError(() => parseCsvSeries(`${HEADER}\n2024-01-01 00:00,1,1\n`, source())).message,
    ).toBe(
      `${FILE} line 2 column "timestamp": "2024-01-01 00:00" is not a timestamp in format iso`,
    );
  });

  it('rows out of order are an error unless the source says to sort', () => {
    const text = `${HEADER}\n2024-01-01T01:00:00Z,2,0\n2024-01-01T00:00:00Z,1,0\n2024-01-01T02:00:00Z,3,0\n`;
    expect(dataError(() => parseCsvSeries(text, source())).message).toBe(
      `${FILE} line 3 column "timestamp": 2024-01-01T00:00Z is earlier than 2024-01-01T01:00Z on line 2: rows out of time order`,
    );
    const sorted = parseCsvSeries(text, source({ order: 'sort' }));
    expect(Array.from(sorted.values)).toEqual([1, 2, 3]);
    expect(Array.from(sorted.lines)).toEqual([3, 2, 4]);
    expect(sorted.rowsOutOfOrder).toBe(1);
  });

  it('conflicting duplicates are an error naming both lines; identical ones are dropped', () => {
    const conflicting = `${HEADER}\n2024-01-01T00:00:00Z,1,0\n2024-01-01T00:00:00Z,2,0\n`;
    expect(dataError(() => parseCsvSeries(conflicting, source())).message).toBe(
      `${FILE} line 3 column "open": duplicate time 2024-01-01T00:00Z (also line 2) with a different value: 1 vs 2`,
    );
    const kept = parseCsvSeries(conflicting, source({ duplicates: 'keep_last' }));
    expect([Array.from(kept.values), kept.duplicatesDropped]).toEqual([[2], 1]);
    const identical = parseCsvSeries(
      `${HEADER}\n2024-01-01T00:00:00Z,1,0\n2024-01-01T00:00:00Z,1,5\n`,
      source(),
    );
    expect([Array.from(identical.values), identical.duplicatesDropped]).toEqual([[1], 1]);
  });

  it('a missing file is a DataError naming the manifest path', async () => {
    const dir = fixtureDir({});
    await expect(readSeriesFile(dir, FILE)).rejects.toThrow(
      new DataError(`file not found in data directory ${dir}`, { file: FILE }),
    );
  });

  it('reads unix seconds and zone-less timestamps', () => {
    const unix = parseCsvSeries('timestamp,open\n1704067200,5\n', source({ timeFormat: 'unix_s' }));
    const naive = parseCsvSeries(
      'timestamp,open\n2024-01-01 00:00:00,5\n',
      source({ timeFormat: 'iso_assume_utc' }),
    );
    expect([unix.tsMs[0], naive.tsMs[0]]).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1)]);
  });
});
