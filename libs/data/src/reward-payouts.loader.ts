import { parse } from 'csv-parse/sync';
import { DataError } from './data.error';
import type { RewardsSource } from './manifest.schema';
import { parseTimestamp } from './timestamp';

type Row = Record<string, string>;

function numberAt(row: Row, column: string, line: number, file: string): number {
  const raw = row[column] ?? '';
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value))
    throw new DataError(`"${raw}" is not a finite number`, { file, line, column });
  return value;
}

/**
 * Tokens per eETH a row pays: EIGEN rows state a weekly rate, paid pro rata to the
 * period's days; ETHFI rows state the amount per eETH.
 */
function perEth(row: Row, token: 'EIGEN' | 'ETHFI', line: number, file: string): number {
  if (token === 'ETHFI') return numberAt(row, 'ethfi_per_eeth', line, file);
  return (
    (numberAt(row, 'eigen_per_eeth_weekly', line, file) *
      numberAt(row, 'period_days', line, file)) /
    7
  );
}

/** Payout instant (00:00 UTC of payout_date) -> tokens per eETH, summed over matching rows. */
export function parseRewardPayouts(text: string, source: RewardsSource): Map<number, number> {
  const { file, token, rewardTypes } = source.rewards;
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as Row[];
  const wanted = new Set(rewardTypes);
  const payouts = new Map<number, number>();
  rows.forEach((row, k) => {
    const line = k + 2;
    if (!wanted.has(row.reward_type ?? '')) return;
    const ms = parseTimestamp(`${row.payout_date ?? ''}T00:00:00Z`, 'iso');
    if (ms === undefined) {
      throw new DataError(`"${row.payout_date ?? ''}" is not a date`, {
        file,
        line,
        column: 'payout_date',
      });
    }
    payouts.set(ms, (payouts.get(ms) ?? 0) + perEth(row, token, line, file));
  });
  return new Map([...payouts].sort(([a], [b]) => a - b));
}
