/**
 * Dataset types by name. Built-ins register here; the MLflow layer adds its own types the same way.
 * Each type has a strict zod schema of its catalog arguments, so typos are caught before a run.
 */
import { z } from "zod";
import type { SourceLocation } from "../errors.ts";
import type { Dataset } from "./dataset.ts";
import { BinaryDataset, PickleDataset } from "./datasets/binary_formats.ts";
import { CsvDataset } from "./datasets/csv.ts";
import { MemoryDataset } from "./datasets/memory.ts";
import { ParquetDataset } from "./datasets/parquet.ts";
import { PartitionedDataset } from "./datasets/partitioned.ts";
import { SqliteQueryDataset, SqliteTableDataset } from "./datasets/sqlite.ts";
import { JsonDataset, TextDataset, YamlDataset } from "./datasets/text_formats.ts";
import type { FileDatasetOptions } from "./file_dataset.ts";
import type { VersionSpec } from "./versioning.ts";

/** What a factory gets besides its arguments. */
export interface DatasetFactoryContext {
  /** Catalog name of the dataset. */
  name: string;
  projectRoot: string;
  source?: SourceLocation;
  /** Set when the entry says `versioned: true`. */
  version?: VersionSpec;
  metadata?: Record<string, unknown>;
  /** Builds another dataset from a catalog-style config (for wrapper datasets). */
  createDataset(config: Record<string, unknown>, name: string): Promise<Dataset>;
}

/** Creates a dataset from validated snake_case arguments (the entry without `type` and `metadata`). */
export type DatasetFactory = (
  args: Record<string, unknown>,
  ctx: DatasetFactoryContext,
) => Dataset | Promise<Dataset>;

/** A registered dataset type. */
export interface DatasetType {
  /** Names accepted in `type:`; the first is the canonical one. */
  names: string[];
  factory: DatasetFactory;
  /** Strict schema of the arguments. */
  schema: z.ZodType;
  /** Whether `versioned: true` is supported. */
  versionable: boolean;
}

const Args = z.record(z.string(), z.unknown());
const fileSchema = (load: z.ZodType = Args, save: z.ZodType = Args) =>
  z.strictObject({
    filepath: z.string().min(1),
    load_args: load.optional(),
    save_args: save.optional(),
    versioned: z.boolean().optional(),
    credentials: z.unknown().optional(),
  });

/**
 * The registry of dataset types.
 *
 * @example
 * ```ts
 * const registry = DatasetRegistry.withBuiltins();
 * registry.register(["upper", "UpperDataset"], (args) => new UpperDataset(args), { schema: z.object({ filepath: z.string() }) });
 * ```
 */
export class DatasetRegistry {
  readonly #types = new Map<string, DatasetType>();

  /** A registry with kmlf's built-in types. */
  static withBuiltins(): DatasetRegistry {
    const r = new DatasetRegistry();
    const file = (names: string[], Cls: new (o: FileDatasetOptions) => Dataset, schema = fileSchema()) =>
      r.register(names, (a, ctx) => new Cls(fileOptions(a, ctx)), { schema, versionable: true });
    file(
      ["json", "JSONDataset", "JsonDataset", "json.JSONDataset"],
      JsonDataset,
      fileSchema(Args, z.strictObject({ indent: z.number().int().min(0).optional() })),
    );
    file(["yaml", "YAMLDataset", "YamlDataset", "yaml.YAMLDataset"], YamlDataset);
    file(["text", "TextDataset", "text.TextDataset"], TextDataset);
    file(
      ["csv", "CSVDataset", "CsvDataset", "pandas.CSVDataset"],
      CsvDataset,
      fileSchema(
        z.strictObject({
          delimiter: z.string().optional(),
          header: z.boolean().optional(),
          typing: z.boolean().optional(),
          columns: z.array(z.string()).optional(),
        }),
        z.strictObject({
          delimiter: z.string().optional(),
          header: z.boolean().optional(),
          columns: z.array(z.string()).optional(),
          index: z.boolean().optional(),
        }),
      ),
    );
    file(
      ["parquet", "ParquetDataset", "pandas.ParquetDataset"],
      ParquetDataset,
      fileSchema(z.strictObject({ columns: z.array(z.string()).optional() }), z.strictObject({})),
    );
    file(["binary", "BinaryDataset"], BinaryDataset);
    file(["pickle", "PickleDataset", "pickle.PickleDataset"], PickleDataset);
    r.register(
      ["memory", "MemoryDataset", "kedro.io.MemoryDataset"],
      (a) =>
        new MemoryDataset({
          data: a.data,
          copyMode: a.copy_mode as "deepcopy" | "copy" | "assign" | undefined,
        }),
      {
        schema: z.strictObject({
          copy_mode: z.enum(["deepcopy", "copy", "assign"]).optional(),
          data: z.unknown().optional(),
        }),
      },
    );
    r.register(
      ["partitioned", "PartitionedDataset", "partitions.PartitionedDataset"],
      (a, ctx) =>
        new PartitionedDataset({
          path: a.path as string,
          filenameSuffix: a.filename_suffix as string | undefined,
          overwrite: a.overwrite as boolean | undefined,
          createPartition: (filepath, id) => {
            const inner = typeof a.dataset === "string"
              ? { type: a.dataset }
              : { ...(a.dataset as Record<string, unknown>) };
            return ctx.createDataset({ ...inner, filepath }, `${ctx.name}/${id}`);
          },
        }),
      {
        schema: z.strictObject({
          path: z.string().min(1),
          dataset: z.union([z.string(), z.looseObject({ type: z.string() })]),
          filename_suffix: z.string().optional(),
          overwrite: z.boolean().optional(),
          credentials: z.unknown().optional(),
        }),
      },
    );
    const db = { filepath: z.string().min(1), credentials: z.unknown().optional() };
    r.register(
      ["sqlite_table", "SqliteTableDataset", "sql.SQLTableDataset"],
      (a) =>
        new SqliteTableDataset({
          filepath: a.filepath as string,
          tableName: a.table_name as string,
          saveArgs: a.save_args as Record<string, unknown>,
        }),
      {
        schema: z.strictObject({
          ...db,
          table_name: z.string().min(1),
          load_args: z.strictObject({}).optional(),
          save_args: z.strictObject({ if_exists: z.enum(["replace", "append", "fail"]).optional() })
            .optional(),
        }),
      },
    );
    r.register(
      ["sqlite_query", "SqliteQueryDataset", "sql.SQLQueryDataset"],
      (a) =>
        new SqliteQueryDataset({
          filepath: a.filepath as string,
          sql: a.sql as string,
          loadArgs: a.load_args as Record<string, unknown>,
        }),
      {
        schema: z.strictObject({
          ...db,
          sql: z.string().min(1),
          load_args: z.strictObject({ params: z.union([z.array(z.unknown()), Args]).optional() }).optional(),
        }),
      },
    );
    return r;
  }

  /** Registers `factory` under every name in `names` (later registrations win). */
  register(
    names: string[],
    factory: DatasetFactory,
    options: { schema?: z.ZodType; versionable?: boolean } = {},
  ): void {
    const type: DatasetType = {
      names,
      factory,
      schema: options.schema ?? Args,
      versionable: options.versionable ?? false,
    };
    for (const name of names) this.#types.set(name, type);
  }

  /** The type registered under `name`. */
  lookup(name: string): DatasetType | undefined {
    return this.#types.get(name);
  }

  /** Canonical names of all types (first name of each). */
  typeNames(): string[] {
    return [...new Set([...this.#types.values()].map((t) => t.names[0]))];
  }

  /** Every accepted name (for did-you-mean). */
  allNames(): string[] {
    return [...this.#types.keys()];
  }
}

function fileOptions(a: Record<string, unknown>, ctx: DatasetFactoryContext): FileDatasetOptions {
  return {
    filepath: a.filepath as string,
    loadArgs: a.load_args as Record<string, unknown> | undefined,
    saveArgs: a.save_args as Record<string, unknown> | undefined,
    version: ctx.version,
    name: ctx.name,
    metadata: ctx.metadata,
  };
}
