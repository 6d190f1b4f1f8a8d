import { CEX_VENUES, type StrategyConfig } from '@tightloop/contracts';
import { ATTRIBUTION_KEYS, performanceMetrics, type Attribution } from '@tightloop/core';
import type { ChartSpec, ResultBundle, Table } from '@tightloop/results';
import type { ResultsRecorder } from './results.recorder';

export interface RunFacts {
  config: StrategyConfig;
  startMs: number;
  endMs: number;
  ticks: number;
  wallSeconds: number;
  dataset: { name: string; kind: string; dir: string };
  dataRules: string[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const pct = (x: number) => `${(x * 100).toFixed(3)}%`;
// Rounds first so a tiny negative prints as 0, not -0.
const num = (x: number) =>
  (Math.round(x * 100) / 100 || 0).toLocaleString('en-US', { maximumFractionDigits: 2 });

export function buildResultBundle(recorder: ResultsRecorder, facts: RunFacts): ResultBundle {
  const last = recorder.lastTick;
  if (!last) throw new Error('the run produced no ticks');
  const metrics = performanceMetrics(recorder.navs, facts.startMs, facts.endMs);
  const attribution: Attribution = last.pnl.attribution;
  const executed = recorder.instructions.filter((r) => r[12] === 'executed').length;
  const refused = recorder.instructions.length - executed;
  const { config } = facts;
  const summary = {
    strategy: config.mode,
    startupMode: 'backtest',
    start: iso(facts.startMs),
    end: iso(facts.endMs),
    shareClass: config.shareClass,
    initialCapital: config.initialCapital,
    finalEquity: last.pnl.equitySc,
    pnl: last.pnl.pnlCumSc,
    totalReturn: metrics.totalReturn,
    apy: metrics.apy,
    apr: metrics.apr,
    maxDrawdown: metrics.maxDrawdown,
    sharpe: metrics.sharpe,
    volatility: metrics.volatility,
    ticks: facts.ticks,
    instructions: executed,
    refusedInstructions: refused,
    attribution,
    unexplainedPnl: last.pnl.unexplainedSc,
    dataset: facts.dataset,
    dataRules: facts.dataRules,
    wallSeconds: facts.wallSeconds,
    config,
  };
  return {
    summary,
    tables: recorder.tables(),
    report: {
      title: `${config.mode} backtest`,
      subtitle: `${iso(facts.startMs)} to ${iso(facts.endMs)} · ${facts.dataset.kind} data "${facts.dataset.name}" · share class ${config.shareClass}`,
      summaryRows: [
        ['Initial capital', `${num(config.initialCapital)} ${config.shareClass}`],
        ['Final equity', `${num(last.pnl.equitySc)} ${config.shareClass}`],
        ['Total return', pct(metrics.totalReturn)],
        ['APY', pct(metrics.apy)],
        ['Max drawdown', pct(metrics.maxDrawdown)],
        [
          'Sharpe (hourly, annualised)',
          metrics.sharpe === null ? 'n/a' : metrics.sharpe.toFixed(2),
        ],
        ['Ticks', String(facts.ticks)],
        ['Instructions executed / refused', `${executed} / ${refused}`],
        ...ATTRIBUTION_KEYS.map((k): [string, string] => [`PnL: ${k}`, num(attribution[k])]),
        ['PnL: unexplained', num(last.pnl.unexplainedSc)],
        ['Dataset', `${facts.dataset.name} (${facts.dataset.kind})`],
      ],
      charts: charts(recorder),
      tables: [
        { title: 'Data rules applied', columns: ['rule'], rows: facts.dataRules.map((r) => [r]) },
        {
          title: 'Instructions (first 200)',
          columns: [
            'timestamp',
            'operation',
            'venue',
            'to',
            'asset',
            'side',
            'amount',
            'outcome',
            'reason',
          ],
          rows: recorder.instructions
            .slice(0, 200)
            .map((r) => [r[0]!, r[5]!, r[6]!, r[7]!, r[8]!, r[9]!, r[10]!, r[12]!, r[21]!]),
        },
        {
          title: 'Events (first 200)',
          columns: ['timestamp', 'tick', 'code', 'message'],
          rows: recorder.events.slice(0, 200),
        },
      ],
    },
  };
}

/** A named column of a results table as chart values (non-numbers as gaps). */
function column(tables: readonly Table[], table: string, name: string): (number | null)[] {
  const t = tables.find((x) => x.name === table)!;
  const index = t.columns.indexOf(name);
  if (index < 0) throw new Error(`results table ${table} has no column ${name}`);
  return t.rows.map((r) => (typeof r[index] === 'number' ? (r[index] as number) : null));
}

function charts(recorder: ResultsRecorder): ChartSpec[] {
  const tables = recorder.tables();
  const names = (table: string) => tables.find((t) => t.name === table)!.columns;
  const x = recorder.equity.map((r) => Date.parse(r[0] as string));
  const line = (table: string, name: string, label = name) => ({
    label,
    values: column(tables, table, name),
  });
  return [
    {
      id: 'equity',
      title: 'Equity',
      yLabel: 'share class',
      x,
      series: [line('equity', 'equity_sc', 'equity')],
    },
    {
      id: 'pnl',
      title: 'Cumulative PnL and its attribution',
      yLabel: 'share class',
      x,
      series: [
        line('equity', 'pnl_cumulative', 'pnl (balance)'),
        ...names('equity')
          .filter((c) => c.startsWith('attr_'))
          .map((c) => line('equity', c)),
      ],
    },
    {
      id: 'exposure',
      title: 'Exposure',
      yLabel: 'share class / units',
      x,
      series: [
        line('exposures', 'perp_notional_sc', 'perp notional'),
        line('exposures', 'net_delta_sc', 'net delta value'),
        ...names('exposures')
          .filter((c) => c.startsWith('net_delta_') && c !== 'net_delta_sc')
          .map((c) => line('exposures', c)),
      ],
    },
    {
      id: 'risk',
      title: 'Risk',
      yLabel: 'ratio',
      x,
      series: [
        ...CEX_VENUES.map((v) => line('risk', `margin_ratio_${v}`, `margin ratio ${v}`)),
        line('risk', 'aave_ltv', 'AAVE LTV'),
        line('risk', 'delta_ratio', 'delta ratio'),
        ...names('risk')
          .filter((c) => c.startsWith('lst_depeg_'))
          .map((c) => line('risk', c)),
      ],
    },
    {
      id: 'drawdown',
      title: 'Drawdown',
      yLabel: 'fraction',
      x,
      series: [line('equity', 'drawdown')],
    },
  ];
}
