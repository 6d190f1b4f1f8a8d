import type { RunRegistry } from '@tightloop/core';
import { InMemoryCheckpointStore, InMemoryRunRegistry } from '@tightloop/persistence';
import type { RunCheckpointState } from '@tightloop/runner';
import {
  RunRegistryConnection,
  type RunRegistryConnectionOptions,
} from './run-registry.connection';
import type { OpenedRunRegistry } from './run-registry.opener';

const retry = { firstDelayMs: 5, maxDelayMs: 20 };
const checkpoints = new InMemoryCheckpointStore<RunCheckpointState>();

function connection(overrides: Partial<RunRegistryConnectionOptions>) {
  const retries: string[] = [];
  const conn = new RunRegistryConnection({
    open: async () => ({
      registry: new InMemoryRunRegistry(),
      checkpoints,
      close: async () => undefined,
    }),
    prepare: async () => undefined,
    where: 'schema run_controller on a test store',
    retry,
    onRetry: (message) => retries.push(message),
    onReady: () => undefined,
    ...overrides,
  });
  return { conn, retries };
}

describe('RunRegistryConnection', () => {
  it('answers 503 until opened, retries a failing open, then serves the registry', async () => {
    let attempts = 0;
    const registry = new InMemoryRunRegistry();
    const { conn, retries } = connection({
      open: async () => {
        attempts++;
        if (attempts < 3) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        return { registry, checkpoints, close: async () => undefined };
      },
    });
    expect(conn.status).toEqual({ ready: false, problem: 'not opened yet' });
    await expect(conn.list()).rejects.toMatchObject({
      status: 503,
      code: 'REGISTRY_UNAVAILABLE',
      message:
        'the run registry (schema run_controller on a test store) is not ready: not opened yet',
    });

    conn.onApplicationBootstrap();
    await conn.whenReady();
    expect(attempts).toBe(3);
    expect(retries).toEqual([
      expect.stringMatching(/after attempt 1: connect ECONNREFUSED .*; trying again in 5 ms$/),
      expect.stringMatching(/after attempt 2: .*; trying again in 10 ms$/),
    ]);
    expect(conn.status).toEqual({ ready: true });
    await expect(conn.list()).resolves.toEqual([]);
    await conn.close();
  });

  it('is not ready before its prepare step has run, and retries when it fails', async () => {
    const prepared: RunRegistry[] = [];
    const closed: number[] = [];
    let attempt = 0;
    const { conn, retries } = connection({
      open: async (): Promise<OpenedRunRegistry> => {
        const k = ++attempt;
        return {
          registry: new InMemoryRunRegistry(),
          checkpoints,
          close: async () => void closed.push(k),
        };
      },
      prepare: async (registry) => {
        prepared.push(registry);
        if (prepared.length === 1) throw new Error('relation "run" does not exist');
      },
    });
    conn.onApplicationBootstrap();
    await conn.whenReady();
    // The first registry, whose preparation failed, was closed before the second open.
    expect(closed).toEqual([1]);
    expect(retries).toHaveLength(1);
    await conn.close();
    expect(closed).toEqual([1, 2]);
  });

  it('stops retrying when closed, and its waiters learn it never opened', async () => {
    const { conn } = connection({
      open: async () => {
        throw new Error('password authentication failed');
      },
    });
    conn.onApplicationBootstrap();
    const waiting = conn.whenReady();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(conn.status).toEqual({ ready: false, problem: 'password authentication failed' });
    await conn.close();
    await expect(waiting).rejects.toThrow(/was closed/);
    expect(conn.status).toEqual({ ready: false, problem: 'closed' });
  });
});
