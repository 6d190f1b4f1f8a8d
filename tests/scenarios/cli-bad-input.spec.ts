import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureSyntheticDataset } from '@tightloop/data';
import { stop } from '../support/processes';
import { runCli } from '../support/run-cli';

const cache = mkdtempSync(path.join(os.tmpdir(), 'tl-cli-cache-'));
const env = { TIGHTLOOP_CACHE_DIR: cache, TIGHTLOOP_DATA_DIR: '' };
const out = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'tl-cli-out-')), 'run');
const SHORT = ['--start', '2024-06-01', '--end', '2024-06-03'];
const BINANCE_PERP =
  'market_data/derivatives/futures_ohlcv/binance_BTCUSDT_perp_1h_2024-01-01_2025-09-30.csv';

/** A copy of the synthetic dataset with one file rewritten by `edit`. */
async function corrupted(file: string, edit: (lines: string[]) => string[]): Promise<string> {
  const source = await ensureSyntheticDataset(cache);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-bad-data-'));
  cpSync(source, dir, { recursive: true });
  const target = path.join(dir, file);
  writeFileSync(target, edit(readFileSync(target, 'utf8').split('\n')).join('\n'));
  return dir;
}

// Story: a user mistypes or feeds broken data; each mistake is a clear message and a
// non-zero exit, never a silent default or a half-written result.
describe('tightloop backtest: bad input', () => {
  it('rejects an unknown strategy, naming the known ones', () => {
    const r = runCli(['backtest', '--strategy', 'moon_shot', ...SHORT, '--out', out()], env);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('unknown strategy "moon_shot"');
    expect(r.stderr).toContain('btc_basis');
  });

  it('rejects negative capital', () => {
    const r = runCli(
      ['backtest', '--strategy', 'btc_basis', ...SHORT, '--capital', '-5', '--out', out()],
      env,
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('capital must not be negative');
  });

  it('rejects a strategy config that breaks its schema, naming the field', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-cfg-'));
    const file = path.join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ hedgeAllocation: { binance: 0.5, bybit: 0.3, okx: 0.3 } }),
    );
    const r = runCli(
      ['backtest', '--strategy', 'btc_basis', ...SHORT, '--config', file, '--out', out()],
      env,
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      'invalid btc_basis config: hedgeAllocation: hedge allocation must sum to 1',
    );
  });

  it('rejects an end before the start', () => {
    const r = runCli(
      [
        'backtest',
        '--strategy',
        'btc_basis',
        '--start',
        '2024-06-05',
        '--end',
        '2024-06-01',
        '--out',
        out(),
      ],
      env,
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('end must be after start');
  });

  it('fails the quality gate with zero capital', () => {
    const r = runCli(
      ['backtest', '--strategy', 'pure_lending_usdt', ...SHORT, '--capital', '0', '--out', out()],
      env,
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('BACKTEST.NO_INITIAL_CAPITAL');
  });

  it('names the file, line and column of a NaN price, and writes nothing', async () => {
    const data = await corrupted(BINANCE_PERP, (lines) => {
      const cells = lines[3690]!.split(',');
      cells[1] = 'NaN';
      lines[3690] = cells.join(',');
      return lines;
    });
    const dir = out();
    const r = runCli(
      ['backtest', '--strategy', 'btc_basis', ...SHORT, '--data', data, '--out', dir],
      env,
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('binance_BTCUSDT_perp_1h');
    expect(r.stderr).toMatch(/line 3691/);
    expect(r.stderr).toContain('open');
    expect(() => readFileSync(path.join(dir, 'summary.json'))).toThrow();
  });

  it('names the file and place of a gap beyond its cadence', async () => {
    // Drop 5 hours of bybit's BTC perp (no fallback is declared for it).
    const data = await corrupted(
      'market_data/derivatives/futures_ohlcv/bybit_BTCUSDT_perp_1h_2024-01-01_2025-09-30.csv',
      (lines) => [...lines.slice(0, 3660), ...lines.slice(3665)],
    );
    const r = runCli(
      ['backtest', '--strategy', 'btc_basis', ...SHORT, '--data', data, '--out', out()],
      env,
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('bybit_BTCUSDT_perp_1h');
    expect(r.stderr).toMatch(/gap/i);
  });

  it('says which NATS it cannot reach, without its password, and writes nothing', () => {
    const dir = out();
    const r = runCli(
      ['backtest', '--strategy', 'btc_basis', ...SHORT, '--out', dir, '--transport', 'nats'].concat(
        ['--nats-url', 'nats://me:secret@127.0.0.1:4397'],
      ),
      env,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('cannot reach NATS at nats://me:***@127.0.0.1:4397');
    expect(r.stderr).not.toContain('secret');
    expect(existsSync(dir)).toBe(false);
  });

  it('says that execution needs JetStream when the NATS server has it off', async () => {
    const nats = spawn('nats-server', ['-a', '127.0.0.1', '-p', '4396'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const dir = out();
      const r = runCli(
        [
          'backtest',
          '--strategy',
          'btc_basis',
          ...SHORT,
          '--out',
          dir,
          '--transport',
          'nats',
        ].concat(['--nats-url', 'nats://127.0.0.1:4396']),
        env,
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('start nats-server with --jetstream');
      expect(existsSync(dir)).toBe(false);
    } finally {
      await stop(nats);
    }
  });
});
