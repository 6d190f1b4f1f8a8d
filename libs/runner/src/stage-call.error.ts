/** A stage over NATS failed for good: an error reply, or no answer after every retry. */
export class StageCallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StageCallError';
  }
}

/** Retry policy for transport failures (no service answering, a timeout): backoff doubling. */
export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
}
