/**
 * The data catalog and its datasets.
 *
 * @module
 */
export type { Dataset } from "./dataset.ts";
export { Catalog, type CatalogConfig, type CatalogOptions } from "./catalog.ts";
export {
  type DatasetFactory,
  type DatasetFactoryContext,
  DatasetRegistry,
  type DatasetType,
} from "./registry.ts";
export { generateVersion, VersionedPath, type VersionSpec } from "./versioning.ts";
export { FileDataset, type FileDatasetOptions } from "./file_dataset.ts";
export { atomicWrite, pathExists } from "./atomic.ts";
export { type CopyMode, MemoryDataset } from "./datasets/memory.ts";
export { JsonDataset, TextDataset, YamlDataset } from "./datasets/text_formats.ts";
export { BinaryDataset, PickleDataset } from "./datasets/binary_formats.ts";
export { CsvDataset, type CsvRow } from "./datasets/csv.ts";
export { ParquetDataset } from "./datasets/parquet.ts";
export { PartitionedDataset, type PartitionLoaders } from "./datasets/partitioned.ts";
export { SqliteQueryDataset, SqliteTableDataset } from "./datasets/sqlite.ts";

export { isParameter } from "../dataset_names.ts";
