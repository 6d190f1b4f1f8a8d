export * from './backtest.request';
export * from './backtest.runner';
export * from './results.recorder';
export * from './result-bundle.builder';
export * from './nats-stages.client';
export * from './checkpointed.loop';
export { CheckpointSaveError } from './checkpoint.writer';
export type { RunCheckpointState, RunCheckpointStore } from './run-checkpoint';
export * from './results-recorder.delta';
