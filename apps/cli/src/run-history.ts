import os from 'node:os';
import path from 'node:path';
import type { LoopCheckpoint } from '@tightloop/core';

/**
 * Where the embedded default keeps its state across runs: `$TIGHTLOOP_STATE_DIR`, else
 * `$XDG_STATE_HOME/tightloop`, else `~/.local/state/tightloop`.
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.TIGHTLOOP_STATE_DIR ??
    path.join(env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state'), 'tightloop')
  );
}

/** The loop's state after a completed run's last tick. */
export interface FinalTick {
  tickIndex: number;
  loop: LoopCheckpoint;
}
