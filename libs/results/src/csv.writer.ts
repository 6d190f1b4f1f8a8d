import { stringify } from 'csv-stringify/sync';
import type { Cell, Table } from './result.types';

/** Deterministic text for a cell: shortest round-trip numbers, empty for null, never NaN. */
export function formatCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) throw new Error(`cannot write non-finite number ${value}`);
  return Object.is(value, -0) ? '0' : String(value);
}

export function tableToCsv(table: Table): string {
  const width = table.columns.length;
  const records = table.rows.map((row, r) => {
    if (row.length !== width) {
      throw new Error(`table ${table.name} row ${r} has ${row.length} cells, expected ${width}`);
    }
    return row.map((cell, c) => {
      try {
        return formatCell(cell);
      } catch (error) {
        throw new Error(
          `table ${table.name} row ${r} column ${table.columns[c]}: ${(error as Error).message}`,
        );
      }
    });
  });
  return stringify([table.columns, ...records], { record_delimiter: '\n' });
}
