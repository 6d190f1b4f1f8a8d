/**
 * A rule the loader applied instead of reading a value straight from a series' own file.
 * Reported once per series and range, so a run's results can list every stand-in.
 * - fallback: missing instants filled from another series;
 * - proxy: a series that does not exist, answered by another one;
 * - constant: a fixed value (USDT = 1 USD);
 * - dedupe: repeated rows dropped;
 * - interpolate: observations interpolated to the hourly ticks;
 * - sort: a file known to be out of time order was sorted;
 * - absent: a market that did not exist yet before its first row;
 * - events: discrete payouts (rewards) read from a distribution table.
 */
export interface DataRule {
  series: string;
  kind: 'fallback' | 'proxy' | 'constant' | 'dedupe' | 'interpolate' | 'sort' | 'absent' | 'events';
  detail: string;
}
