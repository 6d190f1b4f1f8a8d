import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { DataError } from './data.error';
import type { DatasetManifest } from './manifest.schema';
import { SHARED_DATA_MANIFEST } from './shared-data.manifest';
import {
  ensureSyntheticDataset,
  SYNTHETIC_DATASET_VERSION,
} from './synthetic/synthetic-dataset.generator';

export interface ResolvedDataset {
  dir: string;
  manifest: DatasetManifest;
  kind: 'real' | 'synthetic';
}

/**
 * The synthetic data set has the real layout, so it is read through the same series
 * definitions; only its name and kind differ, so results can never pass it off as history.
 */
export const SYNTHETIC_MANIFEST: DatasetManifest = {
  ...SHARED_DATA_MANIFEST,
  name: SYNTHETIC_DATASET_VERSION,
  kind: 'synthetic',
  description: 'Synthetic, seeded data in the basis-strategy-v1 layout; not market history.',
};

/** Real data when `dataDir` is given (it must exist), otherwise the synthetic set under `cacheDir`. */
export async function resolveDataset(options: {
  dataDir?: string;
  cacheDir: string;
}): Promise<ResolvedDataset> {
  if (options.dataDir !== undefined) {
    const dir = path.resolve(options.dataDir);
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory())
      throw new DataError(`data directory ${dir} does not exist or is not a directory`);
    return { dir, manifest: SHARED_DATA_MANIFEST, kind: 'real' };
  }
  const dir = await ensureSyntheticDataset(options.cacheDir);
  return { dir, manifest: SYNTHETIC_MANIFEST, kind: 'synthetic' };
}
