/**
 * The data catalog and its datasets: declared entries, factory patterns, transcoding, versioning,
 * parameters, the dataset registry and the built-in dataset types (files, tables — CSV, Excel, Parquet —,
 * Plotly figures, images, SQLite).
 *
 * @example
 * ```ts
 * const catalog = await Catalog.fromConfig(catalogConfig, { projectRoot, saveVersion: generateVersion() });
 * catalog.addParameters({ model: { lr: 0.1 } });
 * const rows = await catalog.load("iris");
 * ```
 *
 * @module
 */
export type { Dataset } from "./dataset.ts";
export { Catalog } from "./catalog.ts";
export type { CatalogConfig, CatalogOptions, CatalogWarning } from "./catalog_options.ts";
export type { ParameterSources } from "./hint_files.ts";
export type {
  CatalogNote,
  DatasetFactory,
  DatasetFactoryContext,
  NestedDatasetOptions,
} from "./dataset_factory.ts";
export {
  type ArgumentAlias,
  DatasetRegistry,
  type DatasetType,
  type DatasetTypeDefinition,
  type DatasetTypeInfo,
  type RegisterOptions,
} from "./registry.ts";
export { builtinRegistry } from "./builtin_types.ts";
export { importProjectClass, isCustomType, type ProjectClassKind } from "./custom_type.ts";
export { checkVersion, generateVersion, VersionedPath, type VersionSpec } from "./versioning.ts";
export { FileDataset, type FileDatasetOptions, hasFilePath } from "./file_dataset.ts";
export { localFilePath } from "./local_path.ts";
export {
  atomicFolder,
  atomicWrite,
  pathExists,
  removeTempFilesInFlight,
  sweepStaleTempFiles,
} from "./atomic.ts";
export { assertSavable } from "./save_checks.ts";
export { type CopyMode, MemoryDataset, type MemoryDatasetOptions } from "./datasets/memory_dataset.ts";
export { isOrderedRecord } from "./ordered_record.ts";
export { JsonDataset } from "./datasets/json_dataset.ts";
export { YamlDataset } from "./datasets/yaml_dataset.ts";
export { TextDataset } from "./datasets/text_dataset.ts";
export { BinaryDataset } from "./datasets/binary_dataset.ts";
export { PickleDataset } from "./datasets/pickle_dataset.ts";
export { CsvDataset, type CsvLoadArgs, type CsvRow, type CsvSaveArgs } from "./datasets/csv_dataset.ts";
export {
  ParquetDataset,
  type ParquetLoadArgs,
  type ParquetSaveArgs,
  type Row as ParquetRow,
} from "./datasets/parquet_dataset.ts";
export type { SqlRow } from "./datasets/_sqlite.ts";
export { ExcelDataset, type ExcelLoadArgs, type ExcelSaveArgs } from "./datasets/excel_dataset.ts";
export { type Image, ImageDataset, type ImageDatasetOptions, type Images } from "./datasets/image_dataset.ts";
export { PlotlyDataset, type PlotlyDatasetOptions, PlotlyJsonDataset } from "./datasets/plotly_dataset.ts";
export { figureFromRows, type PlotlyArgs, type PlotlyFigure } from "./datasets/plotly_figure.ts";
export {
  PartitionedDataset,
  type PartitionedOptions,
  type PartitionFolder,
  type PartitionLoaders,
} from "./datasets/partitioned_dataset.ts";
export { isPartitionedDataset } from "./datasets/partitioned_brand.ts";
export {
  IncrementalDataset,
  type IncrementalOptions,
  type PartitionComparison,
} from "./datasets/incremental_dataset.ts";
export {
  type IfExists,
  SqliteTableDataset,
  type SqliteTableOptions,
} from "./datasets/sqlite_table_dataset.ts";
export { SqliteQueryDataset, type SqliteQueryOptions } from "./datasets/sqlite_query_dataset.ts";
export { isParameter } from "../dataset_names.ts";
