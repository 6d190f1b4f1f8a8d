import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

/** A results CSV as objects keyed by header (test helper; values stay strings). */
export function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
}

/** A raw market CSV, skipping `#` comment lines, as objects keyed by header. */
export function readRawCsv(file: string): Record<string, string>[] {
  const text = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n');
  return parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}
