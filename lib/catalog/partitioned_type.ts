/** The partitioned dataset type (kedro's partitions.PartitionedDataset): one dataset per file of a folder. */
import { join } from "../path.ts";
import { z } from "../zod/mod.ts";
import { DatasetError } from "../errors.ts";
import type { Dataset } from "./dataset.ts";
import { PartitionedDataset, type PartitionedOptions } from "./datasets/partitioned_dataset.ts";
import { PARTITIONED_HINTS } from "./kedro_arguments.ts";
import { localFilePath } from "./local_path.ts";
import type { DatasetFactoryContext } from "./dataset_factory.ts";
import type { DatasetTypeDefinition } from "./registry.ts";

/** `partitioned`: its `dataset` is any other type, built once per partition file. */
export const partitionedType: DatasetTypeDefinition = {
  factory: partitioned,
  schema: z.strictObject({
    path: z.string().check(z.minLength(1)),
    dataset: z.union([
      z.string().check(z.minLength(1)),
      z.looseObject({ type: z.string().check(z.minLength(1)) }),
    ]),
    filepath_arg: z.optional(z.string().check(z.minLength(1))),
    // fsspec find()'s: how many folder levels to list (1: the folder's own files only).
    load_args: z.optional(z.strictObject({ maxdepth: z.optional(z.int().check(z.gte(1))) })),
    filename_suffix: z.optional(z.string()),
    overwrite: z.optional(z.boolean()),
    credentials: z.optional(z.unknown()),
  }),
  argumentHints: PARTITIONED_HINTS,
};

// Each partition is the underlying dataset at `<path>/<id><suffix>`; the entry must not set its filepath.
async function partitioned(args: Record<string, unknown>, ctx: DatasetFactoryContext): Promise<Dataset> {
  return new PartitionedDataset({
    path: args.path as string,
    filenameSuffix: args.filename_suffix as string | undefined,
    maxDepth: (args.load_args as { maxdepth?: number } | undefined)?.maxdepth,
    overwrite: args.overwrite as boolean | undefined,
    metadata: ctx.metadata,
    ...await partitionsOf(args, ctx),
  });
}

/**
 * The underlying dataset of a partitioned entry's `dataset:` (shared with the incremental type), checked
 * now so a bad underlying type or argument fails with the catalog, not mid-run. As in Kedro, each partition
 * gets its file as `filepath_arg` (default `filepath`) and the entry's `credentials` unless it sets its own.
 *
 * @example
 * ```ts
 * const { datasetType, createPartition } = await partitionsOf({ path: "/p/parts", dataset: "json" }, ctx);
 * ```
 */
export async function partitionsOf(
  args: Record<string, unknown>,
  ctx: DatasetFactoryContext,
): Promise<Pick<PartitionedOptions, "datasetType" | "createPartition" | "versioned">> {
  localFilePath(args.path as string, "path"); // before join() below folds "s3://" into "s3:/"
  const inner = args.dataset as string | Record<string, unknown>;
  const config = typeof inner === "string" ? { type: inner } : inner;
  const fileKey = (args.filepath_arg as string | undefined) ?? "filepath";
  if (fileKey in config) {
    throw new DatasetError(
      "catalog/bad-argument",
      `The ${(ctx.written?.(["dataset"]) ?? ["dataset"]).join(".")} of "${ctx.name}" must not set ${fileKey}`,
      {
        // At the key: its value (often `data/{name}.csv` in a factory pattern) is not what is wrong.
        source: ctx.locateKey?.(["dataset", fileKey]) ?? ctx.source,
        hint: `partition files are <path>/<partition id><filename_suffix>; remove dataset.${fileKey}`,
      },
    );
  }
  await assertTakesFile(String(config.type), fileKey, args, ctx);
  // (The entry's credentials are for the partitions only: kmlf's local files need them for nothing else.)
  const credentials = entryCredentialsReach(config, ["dataset"], "underlying dataset", args, ctx);
  // Errors of the underlying dataset name `<entry>.dataset.<key>` at its line; the keys set here, the
  // entry's keys they come from.
  const givenBy = {
    [fileKey]: ["path"],
    ...(credentials ? { credentials: ["credentials"] } : {}),
    ...(typeof inner === "string" ? { type: ["dataset"] } : {}),
  };
  const partition = (filepath: string, name: string) =>
    ctx.createDataset(
      { ...config, ...(credentials ? { credentials: args.credentials } : {}), [fileKey]: filepath },
      name,
      ["dataset"],
      { givenBy },
    );
  await partition(join(args.path as string, "partition"), ctx.name);
  return {
    datasetType: String(config.type),
    // Its type said it can be (kedro-datasets 2+ versions each partition: <id>/<version>/<id>).
    versioned: config.versioned === true,
    createPartition: (filepath, id) => partition(filepath, `${ctx.name}/${id}`),
  };
}

/**
 * Kedro's precedence of an entry's `credentials` over those of a definition it builds from (its `dataset`,
 * an incremental `checkpoint`): whether the entry's reach it. Its own win; when both are set, Kedro warns
 * that the entry's do not propagate, and so does kmlf, at the entry's `credentials` key.
 *
 * @example
 * ```ts
 * const credentials = entryCredentialsReach(config, ["dataset"], "underlying dataset", args, ctx);
 * ```
 */
export function entryCredentialsReach(
  config: Record<string, unknown>,
  keyPath: readonly string[],
  target: string,
  args: Record<string, unknown>,
  ctx: DatasetFactoryContext,
): boolean {
  // Kedro passes and warns about credentials that are set (`if credentials:`): null or {} reach nothing, so
  // a nested type that takes no credentials is not handed a key the user never meant for it.
  if (!credentialsGiven(args.credentials)) return false;
  if (!("credentials" in config)) return true;
  const top = (ctx.written?.(["credentials"]) ?? ["credentials"]).join(".");
  const own = (ctx.written?.([...keyPath, "credentials"]) ?? [...keyPath, "credentials"]).join(".");
  ctx.warn?.(["credentials"], {
    code: "catalog/credentials-not-propagated",
    message: `Top-level credentials of "${ctx.name}" will not propagate into the ${target} since ` +
      `credentials were explicitly defined in the ${target} config (${own})`,
    hint: `the ${target} uses ${own}, as in Kedro; remove ${top} or ${own}, whichever is not meant`,
  });
  return false;
}

// Given as Kedro's `if credentials:` reads them: a mapping with a key (kmlf resolves a credentials name to
// its block, and refuses anything but a mapping or null).
function credentialsGiven(credentials: unknown): boolean {
  return typeof credentials === "object" && credentials !== null && Object.keys(credentials).length > 0;
}

// A type that takes no file (memory, pandas.SQLTableDataset) cannot hold partitions: say so at the type, not
// as an unknown key the user never wrote. A project class is trusted to take `filepath_arg`.
async function assertTakesFile(
  type: string,
  fileKey: string,
  args: Record<string, unknown>,
  ctx: DatasetFactoryContext,
): Promise<void> {
  const takes = await ctx.argumentsOf?.(type);
  if (!takes || takes.has(fileKey)) return;
  const shorthand = typeof args.dataset === "string";
  const typeAt = shorthand ? ["dataset"] : ["dataset", "type"];
  // (A folder type's `path` is no file: partitions are the files of the folder.)
  const other = ["filepath", "filename"].find((key) => key !== fileKey && takes.has(key));
  const given = args.filepath_arg === undefined
    ? "filepath (Kedro's filepath_arg default)"
    : `${fileKey} (its filepath_arg)`;
  throw new DatasetError(
    "catalog/partition-needs-file",
    `The partitions of "${ctx.name}" cannot be ${type} datasets: ${type} takes no ${fileKey}, and a ` +
      `partitioned dataset gives each partition's file to its dataset as ${given}`,
    {
      source: ctx.locate?.(typeAt) ?? ctx.source,
      hint: other
        ? `${type} takes its file as ${other}: set filepath_arg: ${other}`
        : `use a file dataset type (json, csv, parquet, text, pickle, …) for ${
          (ctx.written?.(typeAt) ?? typeAt).join(".")
        }, or your own class, naming its file option in filepath_arg`,
    },
  );
}
