import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { stop } from './processes';

/**
 * A NATS server (JetStream on, its store in a fresh directory) of one test file's own, for
 * a test that must not share subjects with other suites' services on the shared server
 * (they all subscribe to every run's subjects), or that stops the server. `restart` kills
 * it and starts it again on the same port and store.
 */
export async function startPrivateNats(port: number) {
  const store = mkdtempSync(path.join(os.tmpdir(), 'tl-nats-'));
  const url = `nats://127.0.0.1:${port}`;
  let server: ChildProcess;
  const launch = async () => {
    server = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], {
      stdio: 'ignore',
    });
    for (let attempt = 0; ; attempt++) {
      const nc = await connect({ servers: url }).catch((error: unknown) => {
        if (attempt >= 100) throw error;
        return null;
      });
      if (nc) return nc.close();
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await launch();
  return {
    url,
    kill: () => stop(server, 'SIGKILL'),
    start: launch,
    stop: () => stop(server),
  };
}
