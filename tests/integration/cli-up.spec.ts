import { spawn } from 'node:child_process';
import path from 'node:path';
import { NATS_URL } from '../support/stage-services';

const BASE_PORT = 4201;

async function healthy(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/health/ready`).then(
    (r) => r.ok,
    () => false,
  );
}

// Story: an operator starts every stage locally without Docker and sees them all healthy.
describe('tightloop up', () => {
  it('starts the six stage services as separate processes, each ready on its health port', async () => {
    const up = spawn(
      process.execPath,
      [
        path.join(__dirname, '..', '..', 'bin', 'tightloop.js'),
        'up',
        '--base-port',
        String(BASE_PORT),
        '--nats-url',
        NATS_URL,
      ],
      {
        stdio: 'ignore',
        env: { ...process.env, LOG_LEVEL: 'error' },
      },
    );
    try {
      const ports = [0, 1, 2, 3, 4, 5].map((k) => BASE_PORT + k);
      let ready = ports.map(() => false);
      for (let attempt = 0; attempt < 150 && !ready.every(Boolean); attempt++) {
        await new Promise((r) => setTimeout(r, 200));
        ready = await Promise.all(ports.map(healthy));
      }
      expect(ready).toEqual([true, true, true, true, true, true]);
    } finally {
      up.kill('SIGTERM');
      await new Promise((resolve) => up.on('exit', resolve));
    }
  });
});
