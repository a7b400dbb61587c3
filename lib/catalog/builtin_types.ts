/** Registration of the built-in dataset types: names, strict argument schemas, factories. */
import { join } from "node:path";
import { z } from "zod";
import { DatasetError } from "../errors.ts";
import type { Dataset } from "./dataset.ts";
import { BinaryDataset } from "./datasets/binary_dataset.ts";
import { CsvDataset } from "./datasets/csv_dataset.ts";
import { ExcelDataset } from "./datasets/excel_dataset.ts";
import { JsonDataset } from "./datasets/json_dataset.ts";
import { MemoryDataset } from "./datasets/memory_dataset.ts";
import { ParquetDataset } from "./datasets/parquet_dataset.ts";
import { PartitionedDataset } from "./datasets/partitioned_dataset.ts";
import { PickleDataset } from "./datasets/pickle_dataset.ts";
import { SqliteQueryDataset } from "./datasets/sqlite_query_dataset.ts";
import { type IfExists, SqliteTableDataset } from "./datasets/sqlite_table_dataset.ts";
import { TextDataset } from "./datasets/text_dataset.ts";
import { YamlDataset } from "./datasets/yaml_dataset.ts";
import { type FileDatasetOptions, fileDatasetOptions } from "./file_dataset.ts";
import { type DatasetFactoryContext, DatasetRegistry } from "./registry.ts";
import { registerReportTypes } from "./report_types.ts";
import {
  CSV_HINTS,
  CsvLoad,
  CsvSave,
  EXCEL_HINTS,
  ExcelLoad,
  ExcelSave,
  PARQUET_HINTS,
  ParquetLoad,
  ParquetSave,
} from "./tabular_types.ts";

const NoArgs = z.strictObject({});

// `credentials` is accepted everywhere Kedro users write it (it is resolved and passed through), even
// though local files need none.
const fileSchema = (load: z.ZodType = NoArgs, save: z.ZodType = NoArgs) =>
  z.strictObject({
    filepath: z.string().min(1),
    load_args: load.optional(),
    save_args: save.optional(),
    versioned: z.boolean().optional(),
    credentials: z.unknown().optional(),
  });

/**
 * A registry with kmlf's built-in types: memory, json, yaml, text, csv, excel, parquet, binary, pickle,
 * partitioned, sqlite_table, sqlite_query, plotly, plotly_json, image.
 *
 * @example
 * ```ts
 * builtinRegistry().typeNames(); // ["json", "yaml", …]
 * ```
 */
export function builtinRegistry(): DatasetRegistry {
  const registry = new DatasetRegistry();
  registerBuiltins(registry);
  return registry;
}

function registerBuiltins(registry: DatasetRegistry): void {
  const file = (
    names: string[],
    Cls: new (o: FileDatasetOptions) => Dataset,
    schema = fileSchema(),
    argumentHints: Record<string, string> = {},
  ) =>
    registry.register(names, (args, ctx) => new Cls(fileDatasetOptions(args, ctx)), {
      schema,
      versionable: true,
      argumentHints,
    });

  file(
    ["json", "JSONDataset", "JsonDataset", "json.JSONDataset"],
    JsonDataset,
    fileSchema(NoArgs, z.strictObject({ indent: z.number().int().min(0).max(10).optional() })),
  );
  file(["yaml", "YAMLDataset", "YamlDataset", "yaml.YAMLDataset"], YamlDataset);
  file(["text", "TextDataset", "text.TextDataset"], TextDataset);
  file(
    ["csv", "CSVDataset", "CsvDataset", "pandas.CSVDataset"],
    CsvDataset,
    fileSchema(CsvLoad, CsvSave),
    CSV_HINTS,
  );
  file(
    ["excel", "ExcelDataset", "pandas.ExcelDataset"],
    ExcelDataset,
    fileSchema(ExcelLoad, ExcelSave),
    EXCEL_HINTS,
  );
  file(
    ["parquet", "ParquetDataset", "pandas.ParquetDataset"],
    ParquetDataset,
    fileSchema(ParquetLoad, ParquetSave),
    PARQUET_HINTS,
  );
  file(["binary", "BinaryDataset"], BinaryDataset);
  file(["pickle", "PickleDataset", "pickle.PickleDataset"], PickleDataset);
  registerReportTypes(registry);

  registry.register(
    ["memory", "MemoryDataset"],
    (args, ctx) =>
      new MemoryDataset({
        data: args.data,
        copyMode: args.copy_mode as "deepcopy" | "copy" | "assign" | undefined,
        metadata: ctx.metadata,
      }),
    {
      schema: z.strictObject({
        copy_mode: z.enum(["deepcopy", "copy", "assign"]).optional(),
        data: z.unknown().optional(),
      }),
    },
  );

  registry.register(["partitioned", "PartitionedDataset", "partitions.PartitionedDataset"], partitioned, {
    schema: z.strictObject({
      path: z.string().min(1),
      dataset: z.union([z.string().min(1), z.looseObject({ type: z.string().min(1) })]),
      filename_suffix: z.string().optional(),
      overwrite: z.boolean().optional(),
      credentials: z.unknown().optional(),
    }),
  });

  const database = { filepath: z.string().min(1), credentials: z.unknown().optional() };
  registry.register(
    ["sqlite_table", "SqliteTableDataset", "SQLiteTableDataset"],
    (args, ctx) =>
      new SqliteTableDataset({
        filepath: args.filepath as string,
        tableName: args.table_name as string,
        saveArgs: args.save_args as { if_exists?: IfExists } | undefined,
        metadata: ctx.metadata,
      }),
    {
      schema: z.strictObject({
        ...database,
        table_name: z.string().regex(/^[A-Za-z_]\w*$/, "must be a plain SQL identifier"),
        save_args: z.strictObject({
          if_exists: z.enum(["replace", "append", "fail"]).optional(),
          // pandas' to_sql writes the index unless told not to; rows have none, so only "no" is meaningful.
          index: z.union([z.literal(false), z.null()]).optional(),
        }).optional(),
      }),
    },
  );
  registry.register(
    ["sqlite_query", "SqliteQueryDataset", "SQLiteQueryDataset"],
    (args, ctx) =>
      new SqliteQueryDataset({
        filepath: args.filepath as string,
        sql: args.sql as string,
        loadArgs: args.load_args as { params?: unknown[] } | undefined,
        metadata: ctx.metadata,
      }),
    {
      schema: z.strictObject({
        ...database,
        sql: z.string().min(1),
        load_args: z.strictObject({
          params: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
        })
          .optional(),
      }),
    },
  );
}

// Each partition is the underlying dataset at `<path>/<id><suffix>`; the entry must not set its filepath.
async function partitioned(args: Record<string, unknown>, ctx: DatasetFactoryContext): Promise<Dataset> {
  const inner = typeof args.dataset === "string"
    ? { type: args.dataset }
    : { ...(args.dataset as Record<string, unknown>) };
  for (const key of ["filepath", "versioned"]) {
    if (key in inner) {
      throw new DatasetError(
        "catalog/bad-argument",
        `The dataset of partitioned "${ctx.name}" must not set ${key}`,
        {
          hint: key === "filepath"
            ? "partition files are <path>/<partition id><filename_suffix>; remove dataset.filepath"
            : "partitioned datasets are not versioned; remove dataset.versioned",
        },
      );
    }
  }
  // Build one partition now so a bad underlying type or argument fails with the catalog, not mid-run.
  await ctx.createDataset(
    { ...inner, filepath: join(args.path as string, "partition") },
    ctx.name,
  );
  return new PartitionedDataset({
    path: args.path as string,
    filenameSuffix: args.filename_suffix as string | undefined,
    overwrite: args.overwrite as boolean | undefined,
    datasetType: String(inner.type),
    metadata: ctx.metadata,
    createPartition: (filepath, id) => ctx.createDataset({ ...inner, filepath }, `${ctx.name}/${id}`),
  });
}
