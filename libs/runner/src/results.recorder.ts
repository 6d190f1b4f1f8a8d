import { CEX_VENUES, parsePositionKey, type PositionKey } from '@tightloop/contracts';
import {
  ATTRIBUTION_KEYS,
  deltaAsset,
  isLst,
  type ExecutionRecord,
  type LoopEvent,
  type LoopRecorder,
  type Strategy,
  type TickRecord,
} from '@tightloop/core';
import type { Cell, Table } from '@tightloop/results';

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Turns the loop's records into result rows as they arrive, so a long run keeps rows of
 * numbers rather than every tick's full state.
 */
export class ResultsRecorder implements LoopRecorder {
  private readonly keys: PositionKey[];
  private readonly perpKeys: PositionKey[];
  private readonly deltaAssets: string[];
  private readonly lsts: string[];
  readonly equity: Cell[][] = [];
  readonly positions: Cell[][] = [];
  readonly exposures: Cell[][] = [];
  readonly risk: Cell[][] = [];
  readonly instructions: Cell[][] = [];
  readonly reconciliations: Cell[][] = [];
  readonly funding: Cell[][] = [];
  readonly events: Cell[][] = [];
  /** Equity over net capital per tick, for return metrics that ignore capital flows. */
  readonly navs: number[] = [];
  /** The latest tick: with the rows above, all a checkpoint keeps (results-recorder.delta.ts). */
  lastTick: TickRecord | null = null;

  constructor(private readonly strategy: Strategy) {
    this.keys = [...strategy.subscriptions].sort();
    this.perpKeys = this.keys.filter((k) => parsePositionKey(k).positionType === 'Perp');
    this.deltaAssets = [...new Set(this.keys.map(deltaAsset))]
      .filter((a) => a !== strategy.shareClass)
      .sort();
    const symbols = this.keys.map((k) => parsePositionKey(k).symbol);
    this.lsts = [
      ...new Set(symbols.map((s) => (s.startsWith('a') ? s.slice(1) : s)).filter(isLst)),
    ].sort();
  }

  onTick(t: TickRecord): void {
    const ts = iso(t.tsMs);
    const { pnl, exposure, risk, state } = t;
    const nav = pnl.equitySc - pnl.pnlCumSc > 0 ? pnl.equitySc / (pnl.equitySc - pnl.pnlCumSc) : 1;
    this.navs.push(nav);
    this.equity.push([
      ts,
      pnl.equitySc,
      exposure.equityUsd,
      nav,
      pnl.pnlCumSc,
      pnl.pnlCumSc - (this.lastTick?.pnl.pnlCumSc ?? 0),
      pnl.drawdown,
      ...ATTRIBUTION_KEYS.map((k) => pnl.attribution[k]),
      pnl.unexplainedSc,
    ]);
    this.positions.push([
      ts,
      ...this.keys.map((k) => state.amounts[k] ?? 0),
      ...this.perpKeys.flatMap((k) => [
        state.perps[k]?.entryPriceUsd ?? null,
        state.perps[k]?.fundingAccruedUsd ?? null,
      ]),
    ]);
    const values = new Map(exposure.items.map((i) => [i.key, i.valueSc]));
    this.exposures.push([
      ts,
      exposure.equitySc,
      exposure.assetsSc,
      exposure.debtsSc,
      exposure.perpUpnlSc,
      exposure.perpNotionalSc,
      ...this.deltaAssets.map((a) => exposure.netDelta[a] ?? 0),
      exposure.netDeltaSc,
      exposure.deltaRatio,
      ...this.keys.map((k) => values.get(k) ?? 0),
    ]);
    this.risk.push([
      ts,
      ...CEX_VENUES.map((v) => risk.marginRatio[v] ?? null),
      ...CEX_VENUES.map((v) => risk.liquidationDistance[v] ?? null),
      risk.minMarginRatio,
      risk.aaveLtv,
      risk.healthFactor,
      risk.deltaRatio,
      ...this.lsts.map((l) => risk.lstDepeg[l] ?? null),
      risk.events.map((e) => e.code).join(' '),
    ]);
    for (const f of t.funding) {
      this.funding.push([ts, f.perpKey, f.size, f.markUsd, f.ratePer8h, f.amountUsd]);
    }
    this.lastTick = t;
  }

  onExecution(r: ExecutionRecord): void {
    const i = r.instruction;
    const f = r.fill;
    this.instructions.push([
      iso(r.tsMs),
      r.tickIndex,
      r.unitIndex,
      i.id,
      r.atomicGroupId,
      i.operation,
      i.venue,
      i.toVenue ?? null,
      i.asset,
      i.side ?? null,
      i.amount,
      i.intent,
      r.outcome,
      f?.priceUsd ?? null,
      f?.feeUsd ?? null,
      f?.slippageUsd ?? null,
      f?.gasUnits ?? null,
      f?.gasEth ?? null,
      f?.gasUsd ?? null,
      f?.errorCode ?? null,
      f ? f.deltas.map((d) => `${d.key}=${d.amount}`).join(';') : null,
      i.reason,
    ]);
    if (r.reconciliation) {
      this.reconciliations.push([
        iso(r.tsMs),
        i.id,
        r.atomicGroupId,
        r.reconciliation.ok ? 'ok' : 'mismatch',
        r.reconciliation.keysChecked,
        r.reconciliation.mismatches
          .map((m) => `${m.key} expected=${m.expected} actual=${m.actual}`)
          .join(';'),
        r.after?.risk.minMarginRatio ?? null,
        r.after?.exposure.deltaRatio ?? null,
        r.after?.pnl.equitySc ?? null,
      ]);
    }
  }

  onEvent(e: LoopEvent): void {
    this.events.push([iso(e.tsMs), e.tickIndex, e.code, e.message]);
  }

  tables(): Table[] {
    return [
      {
        name: 'equity',
        columns: [
          'timestamp',
          'equity_sc',
          'equity_usd',
          'nav',
          'pnl_cumulative',
          'pnl_tick',
          'drawdown',
          ...ATTRIBUTION_KEYS.map((k) => `attr_${snake(k)}`),
          'attr_unexplained',
        ],
        rows: this.equity,
      },
      {
        name: 'positions',
        columns: [
          'timestamp',
          ...this.keys,
          ...this.perpKeys.flatMap((k) => [`entry_price_usd__${k}`, `funding_accrued_usd__${k}`]),
        ],
        rows: this.positions,
      },
      {
        name: 'exposures',
        columns: [
          'timestamp',
          'equity_sc',
          'assets_sc',
          'debts_sc',
          'perp_upnl_sc',
          'perp_notional_sc',
          ...this.deltaAssets.map((a) => `net_delta_${a}`),
          'net_delta_sc',
          'delta_ratio',
          ...this.keys.map((k) => `value_sc__${k}`),
        ],
        rows: this.exposures,
      },
      {
        name: 'risk',
        columns: [
          'timestamp',
          ...CEX_VENUES.map((v) => `margin_ratio_${v}`),
          ...CEX_VENUES.map((v) => `liquidation_distance_${v}`),
          'min_margin_ratio',
          'aave_ltv',
          'health_factor',
          'delta_ratio',
          ...this.lsts.map((l) => `lst_depeg_${l}`),
          'events',
        ],
        rows: this.risk,
      },
      {
        name: 'instructions',
        columns: [
          'timestamp',
          'tick',
          'unit',
          'instruction_id',
          'atomic_group_id',
          'operation',
          'venue',
          'to_venue',
          'asset',
          'side',
          'amount',
          'intent',
          'outcome',
          'fill_price_usd',
          'fee_usd',
          'slippage_usd',
          'gas_units',
          'gas_eth',
          'gas_usd',
          'error_code',
          'deltas',
          'reason',
        ],
        rows: this.instructions,
      },
      {
        name: 'reconciliations',
        columns: [
          'timestamp',
          'instruction_id',
          'atomic_group_id',
          'result',
          'keys_checked',
          'mismatches',
          'min_margin_ratio_after',
          'delta_ratio_after',
          'equity_sc_after',
        ],
        rows: this.reconciliations,
      },
      {
        name: 'funding',
        columns: ['timestamp', 'perp', 'size', 'mark_usd', 'rate_per_8h', 'amount_usd'],
        rows: this.funding,
      },
      { name: 'events', columns: ['timestamp', 'tick', 'code', 'message'], rows: this.events },
    ];
  }
}
