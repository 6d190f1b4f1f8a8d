import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const BIN = path.join(__dirname, '..', '..', 'bin', 'tightloop.js');

/** `tightloop serve <service>` as its own process, resolved once its health port says ready. */
export async function serveProcess(
  service: string,
  natsUrl: string,
  port: number,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', service], {
    stdio: 'ignore',
    env: { ...process.env, NATS_URL: natsUrl, HTTP_PORT: String(port), LOG_LEVEL: 'error' },
  });
  for (let attempt = 0; attempt < 150; attempt++) {
    const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${service} did not become ready on port ${port}`);
}

export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill(signal);
  await exited;
}
