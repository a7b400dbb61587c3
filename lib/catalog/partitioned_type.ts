/** The partitioned dataset type (kedro's partitions.PartitionedDataset): one dataset per file of a folder. */
import { join } from "../path.ts";
import { z } from "../zod/mod.ts";
import { DatasetError } from "../errors.ts";
import type { Dataset } from "./dataset.ts";
import { PartitionedDataset, type PartitionedOptions } from "./datasets/partitioned_dataset.ts";
import { PARTITIONED_HINTS } from "./kedro_arguments.ts";
import { localFilePath } from "./local_path.ts";
import type { DatasetFactoryContext, DatasetTypeDefinition } from "./registry.ts";

/** `partitioned`: its `dataset` is any other type, built once per partition file. */
export const partitionedType: DatasetTypeDefinition = {
  factory: partitioned,
  schema: z.strictObject({
    path: z.string().check(z.minLength(1)),
    dataset: z.union([
      z.string().check(z.minLength(1)),
      z.looseObject({ type: z.string().check(z.minLength(1)) }),
    ]),
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
    overwrite: args.overwrite as boolean | undefined,
    metadata: ctx.metadata,
    ...await partitionsOf(args, ctx),
  });
}

/**
 * The underlying dataset of a partitioned entry's `dataset:` (shared with the incremental type), checked
 * now so a bad underlying type or argument fails with the catalog, not mid-run.
 *
 * @example
 * ```ts
 * const { datasetType, createPartition } = await partitionsOf({ path: "/p/parts", dataset: "json" }, ctx);
 * ```
 */
export async function partitionsOf(
  args: Record<string, unknown>,
  ctx: DatasetFactoryContext,
): Promise<Pick<PartitionedOptions, "datasetType" | "createPartition">> {
  localFilePath(args.path as string, "path"); // before join() below folds "s3://" into "s3:/"
  const inner = args.dataset as string | Record<string, unknown>;
  for (const key of ["filepath", "versioned"]) {
    if (typeof inner !== "string" && key in inner) {
      throw new DatasetError(
        "catalog/bad-argument",
        `The ${(ctx.written?.(["dataset"]) ?? ["dataset"]).join(".")} of "${ctx.name}" must not set ${key}`,
        {
          source: ctx.locate?.(["dataset", key]) ?? ctx.source,
          hint: key === "filepath"
            ? "partition files are <path>/<partition id><filename_suffix>; remove dataset.filepath"
            : "partitioned datasets are not versioned; remove dataset.versioned",
        },
      );
    }
  }
  // Errors of the underlying dataset name `<entry>.dataset.<key>` at its line; its filepath is `path`'s.
  const partition = (filepath: string, name: string) =>
    ctx.createDataset(
      { ...(typeof inner === "string" ? { type: inner } : inner), filepath },
      name,
      ["dataset"],
      { givenBy: { filepath: ["path"], ...(typeof inner === "string" ? { type: ["dataset"] } : {}) } },
    );
  await partition(join(args.path as string, "partition"), ctx.name);
  return {
    datasetType: typeof inner === "string" ? inner : String(inner.type),
    createPartition: (filepath, id) => partition(filepath, `${ctx.name}/${id}`),
  };
}
