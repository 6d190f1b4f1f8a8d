import { LOOP_STAGES, type StageDefinition } from '@tightloop/contracts';

/**
 * The pnl-monitor stage in the distributed deployment: the subject it consumes and the one it
 * produces. Its domain logic is libs/core, the same code the embedded default runs.
 */
export const pnlMonitorStage: StageDefinition = LOOP_STAGES.find(
  (s) => s.service === 'pnl-monitor',
)!;
