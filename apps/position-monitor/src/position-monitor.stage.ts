import { LOOP_STAGES, type StageDefinition } from '@tightloop/contracts';

/**
 * The position-monitor stage in the distributed deployment: the subject it consumes and the one it
 * produces. Its domain logic is libs/core, the same code the embedded default runs.
 */
export const positionMonitorStage: StageDefinition = LOOP_STAGES.find(
  (s) => s.service === 'position-monitor',
)!;
