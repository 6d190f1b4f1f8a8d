import { randomBytes } from 'node:crypto';

/** Run ids name a directory and a NATS subject token, so they keep to this alphabet. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** `run-<epoch ms>-<8 hex>`: sorts by creation time, and the random part avoids collisions. */
export function newRunId(nowMs: number = Date.now()): string {
  return `run-${nowMs}-${randomBytes(4).toString('hex')}`;
}
