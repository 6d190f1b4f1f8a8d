/** A message as a consumer receives it. */
export interface Delivery {
  subject: string;
  payload: unknown;
  headers: Record<string, string>;
  /** 1 on first delivery; more after a handler failed or a consumer died before acking. */
  attempt: number;
}

export interface ConsumeOptions {
  /** Deliveries before a message goes to the dead-letter subject instead (default 5). */
  maxAttempts?: number;
}

export interface Consumption {
  stop(): Promise<void>;
}

/**
 * Durable, acknowledged messaging between the loop's stages. Consumers sharing a `queue`
 * name share the messages (each to one member); a message is acknowledged when its
 * handler resolves and redelivered when it rejects, up to `maxAttempts`, after which it is
 * published to `deadLetterSubject(subject)` with the error. Handlers must be idempotent.
 */
export interface MessageBus {
  /** Resolves once the broker has stored the message. */
  publish(subject: string, payload: unknown, headers?: Record<string, string>): Promise<void>;
  consume(
    subject: string,
    queue: string,
    handler: (delivery: Delivery) => Promise<void>,
    options?: ConsumeOptions,
  ): Promise<Consumption>;
  close(): Promise<void>;
}

export function deadLetterSubject(subject: string): string {
  return `tightloop.dlq.${subject}`;
}
