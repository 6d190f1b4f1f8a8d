import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { stop } from './processes';

/**
 * A NATS server (JetStream on, its store in a fresh directory) of one test file's own, for
 * a test that must not share subjects with other suites' services on the shared server
 * (they all subscribe to every run's subjects), or that stops the server. `kill` and
 * `start` stop it hard and start it again on the same port and store. `maxPayload` sets
 * the largest message the server accepts (1 MB unless given).
 */
export async function startPrivateNats(port: number, options: { maxPayload?: number } = {}) {
  const store = mkdtempSync(path.join(os.tmpdir(), 'tl-nats-'));
  const conf = path.join(store, 'nats.conf');
  writeFileSync(
    conf,
    [
      `listen: 127.0.0.1:${port}`,
      `jetstream { store_dir: "${store}" }`,
      ...(options.maxPayload ? [`max_payload: ${options.maxPayload}`] : []),
    ].join('\n'),
  );
  const url = `nats://127.0.0.1:${port}`;
  let server: ChildProcess;
  const launch = async () => {
    server = spawn('nats-server', ['-c', conf], { stdio: 'ignore' });
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
