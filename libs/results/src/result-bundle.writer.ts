import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tableToCsv } from './csv.writer';
import { renderReportHtml } from './report.html';
import type { ResultBundle } from './result.types';

/**
 * Writes summary.json, one CSV per table and report.html so that nothing is lost or
 * half-written: everything goes to a fresh sibling directory first, and only a complete
 * set replaces `outDir`. On failure the temporary directory is removed and any previous
 * results stay as they were.
 */
export async function writeResultBundle(
  outDir: string,
  bundle: ResultBundle,
): Promise<{ files: string[] }> {
  const target = path.resolve(outDir);
  await mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const files: [string, string][] = [
    ['summary.json', `${JSON.stringify(bundle.summary, null, 2)}\n`],
    ['report.html', ''],
  ];
  try {
    // Render everything before touching the disk, so a bad cell fails before any write.
    for (const table of bundle.tables) files.push([`${table.name}.csv`, tableToCsv(table)]);
    files[1]![1] = renderReportHtml(bundle.report);
    await mkdir(temp);
    for (const [name, text] of files) await writeFile(path.join(temp, name), text);
    await rm(target, { recursive: true, force: true });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  return { files: files.map(([name]) => name).sort() };
}
