// Explicit injection tokens: tsx/esbuild emit no decorator metadata, so nothing may be
// injected by its reflected type.
export const RUN_CONTROLLER_CONFIG = Symbol('RUN_CONTROLLER_CONFIG');
/** The RunRegistryConnection: the RunRegistry port to runs, its status to readiness. */
export const RUN_REGISTRY = Symbol('RUN_REGISTRY');
/** The function that runs one backtest: `runBacktest` unless a test substitutes it. */
export const RUN_BACKTEST = Symbol('RUN_BACKTEST');
export const BACKTEST_RUN_EXECUTOR = Symbol('BACKTEST_RUN_EXECUTOR');
export const BACKTEST_RUNS_SERVICE = Symbol('BACKTEST_RUNS_SERVICE');
export const RUN_RESULTS_STORE = Symbol('RUN_RESULTS_STORE');
/** The runs' checkpoints, kept beside the registry (RunRegistryConnection.checkpoints). */
export const RUN_CHECKPOINTS = Symbol('RUN_CHECKPOINTS');
/** The runs a dead process left unfinished, from the registry to the run queue. */
export const INTERRUPTED_RUNS = Symbol('INTERRUPTED_RUNS');
export const RUN_CONTROLLER_SHUTDOWN = Symbol('RUN_CONTROLLER_SHUTDOWN');
