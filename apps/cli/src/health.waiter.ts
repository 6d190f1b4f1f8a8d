const POLL_MS = 200;

async function isReady(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/health/ready`, {
    signal: AbortSignal.timeout(2_000),
  }).then(
    (r) => r.ok,
    () => false,
  );
}

/**
 * Polls each port's /health/ready until all answer 200, the time is up or `cancelled()`
 * says to stop. Resolves with the ports that never became ready (none: all are).
 */
export async function waitUntilReady(
  ports: readonly number[],
  timeoutMs: number,
  cancelled: () => boolean,
): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...ports];
  while (pending.length > 0 && !cancelled()) {
    const ready = await Promise.all(pending.map(isReady));
    pending = pending.filter((_, k) => !ready[k]);
    if (pending.length === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return pending;
}
