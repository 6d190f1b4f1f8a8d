/** The backtest quality gate refused the run (no capital, or a first loop with no action). */
export class QualityGateError extends Error {
  constructor(
    readonly code: 'BACKTEST.NO_INITIAL_CAPITAL' | 'BACKTEST.NO_FIRST_LOOP_ACTION',
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'QualityGateError';
  }
}

/** A venue rejected an instruction, or its result did not match the projection. */
export class ExecutionFailedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'ExecutionFailedError';
  }
}
