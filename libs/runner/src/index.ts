export * from './backtest.request';
export * from './backtest.runner';
export * from './results.recorder';
export * from './result-bundle.builder';
export * from './nats-stages.client';
