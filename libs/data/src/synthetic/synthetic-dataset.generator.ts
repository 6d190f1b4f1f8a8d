import { access, chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { SHARED_DATA_FILES } from '../shared-data.layout';
import { syntheticFiles } from './synthetic-market.files';

/** Bump when the generator's output changes, so stale caches are never reused. */
export const SYNTHETIC_DATASET_VERSION = 'synthetic-v2';
const SEED = 20_240_101;
/** Written last, inside the temp dir: a directory without it is not a finished data set. */
const MARKER = '.complete.json';

const README = `# Synthetic market data (${SYNTHETIC_DATASET_VERSION})

This folder is SYNTHETIC. It is NOT market history and must not be read as such.

Tightloop generated it deterministically from a seeded PRNG (mulberry32, seed ${SEED}):
the same version always produces the same bytes. It covers 2024-01-01T00:00Z ..
2025-09-30T23:00Z, hourly (funding every 8 h, AAVE USDT/WETH reserves daily), in the
file layout, names and formats of the real basis-strategy-v1 data folder, so the same
dataset manifest reads both. Unlike the real data it has no gaps and no duplicates.

Dynamics: bounded geometric random walks for BTC (60k-110k) and ETH (2.3k-4k, correlated
with BTC); venue prices a few bps apart; perp marks a few bps above spot; funding mostly
positive around 1e-4 per 8 h; AAVE indexes compounding at ~5 %/yr (USDT) and ~2 %/yr
(WETH) supply with higher borrow rates; LST exchange rates growing ~3 %/yr; gas 2-40 gwei.

Delete this folder to have it regenerated.
`;

const FILES: readonly string[] = [...Object.values(SHARED_DATA_FILES), 'README.md'];

/**
 * The synthetic data set's directory under `cacheDir`, generating it when absent or
 * incomplete. Generation writes into a temp dir next to the target and renames it into
 * place, so a crash or a concurrent run never leaves a half-written data set behind.
 */
export async function ensureSyntheticDataset(cacheDir: string): Promise<string> {
  const target = path.join(path.resolve(cacheDir), SYNTHETIC_DATASET_VERSION);
  if (await isComplete(target)) return target;
  await mkdir(path.dirname(target), { recursive: true });
  const temp = await mkdtemp(`${target}.tmp-`);
  try {
    await writeDataset(temp);
    await chmod(temp, 0o755); // mkdtemp makes it owner-only; the data set itself is not secret
    // A concurrent run may have finished first: keep its copy, readers may already use it.
    if (await isComplete(target)) {
      await rm(temp, { recursive: true, force: true });
      return target;
    }
    await rm(target, { recursive: true, force: true }); // leftovers of an interrupted run
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (await isComplete(target)) return target; // lost a rename race to an equal copy
    throw error;
  }
  return target;
}

async function writeDataset(dir: string): Promise<void> {
  const files = syntheticFiles(SEED);
  const entries: [string, string][] = [
    ...Object.entries(SHARED_DATA_FILES).map(([key, rel]): [string, string] => [
      rel,
      files[key as keyof typeof files],
    ]),
    ['README.md', README],
  ];
  const dirs = new Set(entries.map(([rel]) => path.dirname(path.join(dir, rel))));
  await Promise.all([...dirs].map((d) => mkdir(d, { recursive: true })));
  await Promise.all(entries.map(([rel, text]) => writeFile(path.join(dir, rel), text)));
  const marker = { version: SYNTHETIC_DATASET_VERSION, seed: SEED, files: FILES };
  await writeFile(path.join(dir, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}

async function isComplete(dir: string): Promise<boolean> {
  try {
    const marker = JSON.parse(await readFile(path.join(dir, MARKER), 'utf8')) as {
      version?: string;
    };
    if (marker.version !== SYNTHETIC_DATASET_VERSION) return false;
    await Promise.all(FILES.map((f) => access(path.join(dir, f))));
    return true;
  } catch {
    return false;
  }
}
