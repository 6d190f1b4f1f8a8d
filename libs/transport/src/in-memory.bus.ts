import {
  deadLetterSubject,
  type ConsumeOptions,
  type Consumption,
  type Delivery,
  type MessageBus,
} from '@tightloop/core';
import { subjectMatches } from './subject-match';

interface Member {
  handler: (delivery: Delivery) => Promise<void>;
  stopped: boolean;
}

interface Queue {
  subject: string;
  maxAttempts: number;
  members: Member[];
  backlog: Delivery[];
  busy: boolean;
  next: number;
}

/**
 * The embedded default's bus: same contract as JetStream, in one process. Each queue
 * delivers one message at a time, in publish order, round-robin over its members.
 * Payloads are deep-copied through JSON so no stage can mutate another's message.
 */
export class InMemoryBus implements MessageBus {
  private readonly queues = new Map<string, Queue>();
  private closed = false;

  async publish(
    subject: string,
    payload: unknown,
    headers: Record<string, string> = {},
  ): Promise<void> {
    if (this.closed) throw new Error('bus is closed');
    const text = JSON.stringify(payload);
    for (const queue of this.queues.values()) {
      if (!subjectMatches(queue.subject, subject)) continue;
      queue.backlog.push({
        subject,
        payload: JSON.parse(text),
        headers: { ...headers },
        attempt: 1,
      });
      this.pump(queue);
    }
  }

  async consume(
    subject: string,
    queueName: string,
    handler: Member['handler'],
    options: ConsumeOptions = {},
  ): Promise<Consumption> {
    const key = `${queueName}|${subject}`;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = {
        subject,
        maxAttempts: options.maxAttempts ?? 5,
        members: [],
        backlog: [],
        busy: false,
        next: 0,
      };
      this.queues.set(key, queue);
    }
    const member: Member = { handler, stopped: false };
    queue.members.push(member);
    this.pump(queue);
    return {
      stop: async () => {
        member.stopped = true;
        queue.members = queue.members.filter((m) => m !== member);
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queues.clear();
  }

  private pump(queue: Queue): void {
    if (queue.busy || queue.backlog.length === 0 || queue.members.length === 0) return;
    queue.busy = true;
    const delivery = queue.backlog.shift()!;
    const member = queue.members[queue.next++ % queue.members.length]!;
    // A fresh macrotask per delivery keeps deep chains of publishes off the call stack.
    setImmediate(() => {
      member
        .handler(delivery)
        .catch(async (error: unknown) => {
          if (delivery.attempt < queue.maxAttempts) {
            queue.backlog.unshift({ ...delivery, attempt: delivery.attempt + 1 });
          } else {
            await this.publish(deadLetterSubject(delivery.subject), deadLetter(delivery, error));
          }
        })
        .finally(() => {
          queue.busy = false;
          if (!this.closed) this.pump(queue);
        });
    });
  }
}

export function deadLetter(delivery: Delivery, error: unknown) {
  return {
    subject: delivery.subject,
    attempts: delivery.attempt,
    error: error instanceof Error ? error.message : String(error),
    payload: delivery.payload,
  };
}
