export { DataError, type DataErrorLocation } from './data.error';
export type { DataRule } from './data-rule.types';
export { formatInstant, parseTimestamp, TIME_FORMATS, type TimeFormat } from './timestamp';
export {
  manifestSchema,
  seriesSpecSchema,
  type ConstantSource,
  type DatasetManifest,
  type DatasetManifestInput,
  type FileSource,
  type ProductSource,
  type ProxySource,
  type SeriesSource,
  type SeriesSpec,
} from './manifest.schema';
export { SHARED_DATA_MANIFEST } from './shared-data.manifest';
export { parseCsvSeries, readSeriesFile, type CsvSeries } from './csv-series.loader';
export { loadMarketData, type LoadMarketDataOptions } from './market-data.builder';
export type { DatasetInfo, LoadedMarketData } from './loaded-market-data.source';
export {
  ensureSyntheticDataset,
  SYNTHETIC_DATASET_VERSION,
} from './synthetic/synthetic-dataset.generator';
export { resolveDataset, SYNTHETIC_MANIFEST, type ResolvedDataset } from './dataset.resolver';
