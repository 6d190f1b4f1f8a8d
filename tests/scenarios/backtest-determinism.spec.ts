import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBacktest } from '@tightloop/runner';

// Story: a quant reruns a backtest and must get the same numbers, byte for byte.
describe('determinism', () => {
  it('two runs with the same inputs write byte-identical CSVs and report', async () => {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'tl-det-cache-'));
    const run = async () => {
      const outDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'tl-det-')), 'run');
      await runBacktest({
        strategy: 'btc_basis',
        start: '2024-06-01',
        end: '2024-08-01',
        outDir,
        cacheDir,
      });
      return outDir;
    };
    const [a, b] = [await run(), await run()];
    const files = readdirSync(a).filter((f) => f !== 'summary.json');
    expect(files).toEqual(
      expect.arrayContaining(['equity.csv', 'positions.csv', 'instructions.csv', 'report.html']),
    );
    for (const file of files) {
      expect(readFileSync(path.join(b, file)).equals(readFileSync(path.join(a, file)))).toBe(true);
    }
    const [sa, sb] = [a, b].map((d) =>
      JSON.parse(readFileSync(path.join(d, 'summary.json'), 'utf8')),
    );
    expect({ ...sa, wallSeconds: 0 }).toEqual({ ...sb, wallSeconds: 0 });
  });
});
