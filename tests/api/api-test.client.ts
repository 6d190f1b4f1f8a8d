import request from 'supertest';

export type Server = Parameters<typeof request>[0];

/** Supertest buffers text; a zip needs its bytes (the parser is handed the raw response). */
export const binary = (res: unknown, done: (err: Error | null, body: Buffer) => void) => {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

/** Polls a run until it leaves queued/running, within a bounded wait; returns its record. */
export async function finished(server: Server, runId: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(server).get(`/api/v1/backtests/${runId}`).expect(200);
    const run = res.body.data as { status: string };
    if (run.status === 'completed' || run.status === 'failed') return res.body.data;
    if (Date.now() > deadline)
      throw new Error(`run ${runId} still ${run.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
