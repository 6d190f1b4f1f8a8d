import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatCell, tableToCsv } from './csv.writer';
import { renderReportHtml } from './report.html';
import { writeResultBundle } from './result-bundle.writer';
import type { ResultBundle } from './result.types';

const bundle = (
  rows: (string | number | null)[][] = [['2024-06-01T00:00:00.000Z', 1.5]],
): ResultBundle => ({
  summary: { strategy: 'btc_basis', apy: 0.05 },
  tables: [{ name: 'equity', columns: ['timestamp', 'equity'], rows }],
  report: {
    title: 'btc_basis backtest',
    subtitle: 'synthetic',
    summaryRows: [['APY', '5.000%']],
    charts: [
      {
        id: 'equity',
        title: 'Equity',
        yLabel: 'USDT',
        x: [0, 3_600_000],
        series: [{ label: 'a</script><b>', values: [1, null] }],
      },
    ],
    tables: [{ title: 'Events', columns: ['code'], rows: [['<RISK>']] }],
  },
});

describe('results', () => {
  it('formats cells deterministically and refuses non-finite numbers', () => {
    expect([42, 0.1 + 0.2, 1e-7, -0, null, 'x'].map((c) => formatCell(c))).toEqual([
      '42',
      '0.30000000000000004',
      '1e-7',
      '0',
      '',
      'x',
    ]);
    expect(() => formatCell(NaN)).toThrow('non-finite');
  });

  it('quotes CSV fields with commas and quotes, and names a malformed row', () => {
    expect(tableToCsv({ name: 't', columns: ['a', 'b'], rows: [['x,y', 'say "hi"']] })).toBe(
      'a,b\n"x,y","say ""hi"""\n',
    );
    expect(() => tableToCsv({ name: 'trades', columns: ['a', 'b'], rows: [[1]] })).toThrow(
      'table trades row 0 has 1 cells',
    );
    expect(() => tableToCsv({ name: 'risk', columns: ['ltv'], rows: [[Infinity]] })).toThrow(
      'table risk row 0 column ltv',
    );
  });

  it('renders one self-contained report: no external resources, data that cannot close its script', () => {
    const html = renderReportHtml(bundle().report);
    for (const external of ['src="http', "src='http", 'href="http', 'url(http', '@import'])
      expect(html).not.toContain(external);
    expect(html).toContain('uPlot');
    const data = html.slice(
      html.indexOf('id="chart-data">'),
      html.indexOf('</script>', html.indexOf('id="chart-data">')),
    );
    expect(data).not.toContain('</script');
    expect(html).toContain('&lt;RISK&gt;');
  });

  it('writes the same bytes twice', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'tl-results-'));
    await writeResultBundle(path.join(root, 'a'), bundle());
    const { files } = await writeResultBundle(path.join(root, 'b'), bundle());
    expect(files).toEqual(['equity.csv', 'report.html', 'summary.json']);
    for (const f of files)
      expect(
        readFileSync(path.join(root, 'a', f)).equals(readFileSync(path.join(root, 'b', f))),
      ).toBe(true);
  });

  it('leaves previous results untouched and no temporary directory when writing fails', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'tl-results-'));
    const out = path.join(root, 'run');
    mkdirSync(out);
    writeFileSync(path.join(out, 'summary.json'), 'old');
    await expect(writeResultBundle(out, bundle([['t', NaN]]))).rejects.toThrow('non-finite');
    expect(readFileSync(path.join(out, 'summary.json'), 'utf8')).toBe('old');
    expect(readdirSync(root)).toEqual(['run']);
    await writeResultBundle(out, bundle());
    expect(existsSync(path.join(out, 'equity.csv'))).toBe(true);
  });
});
