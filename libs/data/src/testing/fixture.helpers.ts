import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DatasetManifestInput, SeriesSpec } from '../manifest.schema';

const created: string[] = [];

/** A fresh temp dir, removed by `removeTempDirs` (call it in afterAll). */
export function tempDir(prefix = 'tightloop-data-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` (relative path -> text) into a fresh temp dir and returns the dir. */
export function fixtureDir(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

export const hour = (iso: string) => Date.parse(iso);
export const isoRows = (startIso: string, values: readonly number[], stepHours = 1) =>
  values.map(
    (v, k) => `${new Date(hour(startIso) + k * stepHours * 3_600_000).toISOString()},${v}`,
  );

type Series = DatasetManifestInput['series'][number];

/** An hourly ISO `timestamp,value` file series; override any field. */
export function hourlySeries(
  id: string,
  target: string | undefined,
  file: string,
  extra: Partial<Extract<Series['source'], { file: string }>> = {},
): Series {
  return {
    id,
    ...(target ? { target: target as SeriesSpec['target'] } : {}),
    units: 'test',
    source: {
      file,
      timeColumn: 'timestamp',
      timeFormat: 'iso',
      valueColumn: 'value',
      cadence: '1h',
      ...extra,
    },
  };
}

export function testManifest(series: Series[]): DatasetManifestInput {
  return { name: 'fixture', kind: 'synthetic', description: 'unit-test fixture', series };
}
