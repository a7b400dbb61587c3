/**
 * Registration of the built-in dataset types: names, strict argument schemas, factories. The types most
 * runs use (json, csv, pickle, memory) register at once; the yaml, text, binary, excel, parquet, report
 * (plotly, image), SQLite, partitioned and incremental types load their code and schemas when a catalog
 * first uses them.
 */
import { deferredIn, laterSchema } from "../zod/on_demand.ts";
import { JsonDataset } from "./datasets/json_dataset.ts";
import { MemoryDataset } from "./datasets/memory_dataset.ts";
import { PickleDataset } from "./datasets/pickle_dataset.ts";
import { fileSchema, fileType, NoArgs } from "./file_types.ts";
import { ENTRY_HINTS, JSON_HINTS, PICKLE_HINTS } from "./kedro_arguments.ts";
import {
  type BuiltinTypeDefinition,
  DatasetRegistry,
  registerBuiltin,
  registerBuiltinLazy,
} from "./registry.ts";
import { csvType } from "./tabular_types.ts";

/**
 * A registry with kmlf's built-in types: memory, json, yaml, text, csv, excel, parquet, binary, pickle,
 * partitioned, incremental, sqlite_table, sqlite_query (also as Kedro's SQLTableDataset / SQLQueryDataset),
 * plotly, plotly_json, image.
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

// In registration order, which `kmlf catalog` and the unknown-type hint list.
function registerBuiltins(registry: DatasetRegistry): void {
  // Their schemas are later schemas: built, with zod loaded, when an entry is not in the validation cache.
  const now = (names: string[], definition: BuiltinTypeDefinition) =>
    registerBuiltin(registry, names, definition);
  const later = (names: string[], load: () => Promise<BuiltinTypeDefinition>) =>
    registerBuiltinLazy(registry, names, load);

  now(
    ["json", "JSONDataset", "JsonDataset", "json.JSONDataset"],
    fileType(
      JsonDataset,
      laterSchema("catalog:json", (z) =>
        fileSchema(
          z,
          NoArgs.now(z),
          // json.dump's keywords that shape the bytes (kedro-datasets' default: indent 2); built when given.
          deferredIn(z, () =>
            z.strictObject({
              indent: z.optional(z.nullable(z.int().check(z.gte(0), z.lte(10)))),
              ensure_ascii: z.optional(z.boolean()),
              sort_keys: z.optional(z.boolean()),
              separators: z.optional(z.array(z.string()).check(z.length(2))),
            })),
        )),
      JSON_HINTS,
    ),
  );
  later(
    ["yaml", "YAMLDataset", "YamlDataset", "yaml.YAMLDataset"],
    async () => (await import("./yaml_type.ts")).yamlType,
  );
  later(
    ["text", "TextDataset", "text.TextDataset"],
    async () => fileType((await import("./datasets/text_dataset.ts")).TextDataset),
  );
  now(["csv", "CSVDataset", "CsvDataset", "pandas.CSVDataset"], csvType);
  later(["excel", "ExcelDataset", "pandas.ExcelDataset"], async () => (await binaryTables()).excelType);
  later(
    ["parquet", "ParquetDataset", "pandas.ParquetDataset"],
    async () => (await binaryTables()).parquetType,
  );
  later(
    ["binary", "BinaryDataset"],
    async () => fileType((await import("./datasets/binary_dataset.ts")).BinaryDataset),
  );
  now(
    ["pickle", "PickleDataset", "pickle.PickleDataset"],
    fileType(PickleDataset, laterSchema("catalog:pickle", (z) => fileSchema(z)), PICKLE_HINTS),
  );
  later(
    ["plotly_json", "PlotlyJSONDataset", "plotly.JSONDataset"],
    async () => (await reports()).plotlyJsonType,
  );
  later(["plotly", "PlotlyDataset", "plotly.PlotlyDataset"], async () => (await reports()).plotlyType);
  later(
    ["image", "ImageDataset", "matplotlib.MatplotlibDataset", "MatplotlibDataset"],
    async () => (await reports()).imageType,
  );

  now(["memory", "MemoryDataset"], {
    factory: (args, ctx) =>
      new MemoryDataset({
        data: args.data,
        copyMode: args.copy_mode as "deepcopy" | "copy" | "assign" | undefined,
        metadata: ctx.metadata,
      }),
    schema: laterSchema("catalog:memory", (z) =>
      z.strictObject({
        copy_mode: z.optional(z.enum(["deepcopy", "copy", "assign"])),
        data: z.optional(z.unknown()),
      })),
    argumentHints: ENTRY_HINTS,
  });
  later(
    ["partitioned", "PartitionedDataset", "partitions.PartitionedDataset"],
    async () => (await import("./partitioned_type.ts")).partitionedType,
  );
  later(
    ["incremental", "IncrementalDataset", "partitions.IncrementalDataset"],
    async () => (await import("./incremental_type.ts")).incrementalType,
  );
  later(
    ["sqlite_table", "SqliteTableDataset", "SQLiteTableDataset"],
    async () => (await databases()).sqliteTableType,
  );
  later(
    ["sqlite_query", "SqliteQueryDataset", "SQLiteQueryDataset"],
    async () => (await databases()).sqliteQueryType,
  );
  // Kedro's own spelling: the database is `credentials.con` (a sqlite:/// URL), Kedro's defaults.
  later(
    ["SQLTableDataset", "pandas.SQLTableDataset"],
    async () => (await kedroSql()).kedroSqlTableType,
  );
  later(
    ["SQLQueryDataset", "pandas.SQLQueryDataset"],
    async () => (await kedroSql()).kedroSqlQueryType,
  );
}

const binaryTables = () => import("./binary_table_types.ts");
const reports = () => import("./report_types.ts");
const databases = () => import("./database_types.ts");
const kedroSql = () => import("./kedro_sql_types.ts");
