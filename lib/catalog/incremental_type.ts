/**
 * The incremental dataset type (kedro-datasets' partitions.IncrementalDataset): a partitioned folder plus
 * a checkpoint, configured by `checkpoint:` (a string is the `force_checkpoint` shorthand, as in Kedro).
 */
import { join } from "../path.ts";
import { z } from "../zod/mod.ts";
import { DatasetError } from "../errors.ts";
import type { Dataset } from "./dataset.ts";
import { IncrementalDataset, type PartitionComparison } from "./datasets/incremental_dataset.ts";
import { importProjectExport, isCustomType } from "./custom_type.ts";
import { PARTITIONED_HINTS } from "./kedro_arguments.ts";
import { entryCredentialsReach, partitionsOf } from "./partitioned_type.ts";
import type { DatasetFactoryContext } from "./dataset_factory.ts";
import type { DatasetTypeDefinition } from "./registry.ts";

/** `incremental`: `partitioned` without `overwrite`, plus `checkpoint`. */
export const incrementalType: DatasetTypeDefinition = {
  factory: incremental,
  schema: z.strictObject({
    path: z.string().check(z.minLength(1)),
    dataset: z.union([
      z.string().check(z.minLength(1)),
      z.looseObject({ type: z.string().check(z.minLength(1)) }),
    ]),
    checkpoint: z.optional(z.union([z.string(), z.record(z.string(), z.unknown())])),
    filepath_arg: z.optional(z.string().check(z.minLength(1))),
    // fsspec find()'s: how many folder levels to list (1: the folder's own files only).
    load_args: z.optional(z.strictObject({ maxdepth: z.optional(z.int().check(z.gte(1))) })),
    filename_suffix: z.optional(z.string()),
    credentials: z.optional(z.unknown()),
  }),
  argumentHints: PARTITIONED_HINTS,
};

/** Python's `operator` functions, the ones Kedro users name in `comparison_func`. */
const OPERATORS: Readonly<Record<string, PartitionComparison>> = {
  "operator.gt": (id, checkpoint) => id > checkpoint,
  "operator.ge": (id, checkpoint) => id >= checkpoint,
  "operator.lt": (id, checkpoint) => id < checkpoint,
  "operator.le": (id, checkpoint) => id <= checkpoint,
  "operator.eq": (id, checkpoint) => id === checkpoint,
  "operator.ne": (id, checkpoint) => id !== checkpoint,
};

const CHECKPOINT_FILE = "CHECKPOINT";

async function incremental(args: Record<string, unknown>, ctx: DatasetFactoryContext): Promise<Dataset> {
  const partitions = await partitionsOf(args, ctx);
  const config: Record<string, unknown> = typeof args.checkpoint === "string"
    ? { force_checkpoint: args.checkpoint }
    : { ...(args.checkpoint as Record<string, unknown> | undefined) };
  const { force_checkpoint: force, comparison_func: comparisonFunc, ...datasetConfig } = config;
  for (const key of ["versioned", "version"]) {
    if (key in datasetConfig) {
      throw checkpointError(ctx, [key], `The ${keyName(ctx, [])} of "${ctx.name}" cannot be versioned`, {
        hint: `the checkpoint holds one partition id, rewritten by each confirm; remove ${
          keyName(ctx, [key])
        }`,
        atKey: true,
      });
    }
  }
  if (force !== undefined && typeof force !== "string") {
    throw checkpointError(
      ctx,
      typeof args.checkpoint === "string" ? [] : ["force_checkpoint"],
      `${keyName(ctx, ["force_checkpoint"])} of "${ctx.name}" must be a partition id (text), got ${
        force === null ? "null" : typeof force
      }`,
      {
        hint: 'quote it so YAML keeps it as text: force_checkpoint: "2024-01-31" (use "" to reload every ' +
          "partition)",
      },
    );
  }
  await assertCheckpointTakesFile(datasetConfig, ctx);
  // The entry's credentials reach the checkpoint too, unless it sets its own.
  const credentials = entryCredentialsReach(datasetConfig, ["checkpoint"], "checkpoint", args, ctx);
  const checkpointConfig = {
    type: "text",
    filepath: join(args.path as string, CHECKPOINT_FILE),
    ...(credentials ? { credentials: args.credentials } : {}),
    ...datasetConfig,
  };
  return new IncrementalDataset({
    path: args.path as string,
    filenameSuffix: args.filename_suffix as string | undefined,
    maxDepth: (args.load_args as { maxdepth?: number } | undefined)?.maxdepth,
    metadata: ctx.metadata,
    ...partitions,
    checkpoint: await ctx.createDataset(checkpointConfig, `${ctx.name}/checkpoint`, ["checkpoint"], {
      // Its default file is in the folder `path` names.
      givenBy: {
        ...("filepath" in datasetConfig ? {} : { filepath: ["path"] }),
        ...(credentials ? { credentials: ["credentials"] } : {}),
      },
    }),
    checkpointPath: typeof checkpointConfig.filepath === "string" ? checkpointConfig.filepath : undefined,
    forceCheckpoint: force,
    comparison: await comparisonOf(comparisonFunc, ctx),
  });
}

// The checkpoint's file is `<path>/CHECKPOINT` unless it sets its own: a type that takes no filepath (memory)
// cannot keep it. Said at its type, where Kedro fails on an argument the user never wrote.
async function assertCheckpointTakesFile(
  config: Record<string, unknown>,
  ctx: DatasetFactoryContext,
): Promise<void> {
  if ("filepath" in config || typeof config.type !== "string") return;
  const takes = await ctx.argumentsOf?.(config.type);
  if (!takes || takes.has("filepath")) return;
  throw checkpointError(
    ctx,
    ["type"],
    `The ${keyName(ctx, [])} of "${ctx.name}" cannot be a ${config.type} dataset: ${config.type} takes no ` +
      "filepath, and the checkpoint is kept in the file <path>/CHECKPOINT",
    {
      hint: `use a file type (text, Kedro's default, or json, yaml, …), or remove ${keyName(ctx, ["type"])}`,
    },
  );
}

// `comparison_func`: one of Python's operator functions, or a TypeScript function of the project.
async function comparisonOf(
  value: unknown,
  ctx: DatasetFactoryContext,
): Promise<PartitionComparison | undefined> {
  if (value === undefined) return undefined;
  const choices = `${Object.keys(OPERATORS).join(", ")} (operator.gt is the default)`;
  if (typeof value !== "string") {
    throw checkpointError(
      ctx,
      ["comparison_func"],
      `${keyName(ctx, ["comparison_func"])} of "${ctx.name}" must be text`,
      {
        hint: `name one of ${choices}, or a TypeScript function: ./src/compare.ts#isNewer`,
      },
    );
  }
  if (OPERATORS[value]) return OPERATORS[value];
  if (!isCustomType(value)) {
    throw checkpointError(
      ctx,
      ["comparison_func"],
      `${keyName(ctx, ["comparison_func"])} of "${ctx.name}" names "${value}", a Python function: kmlf ` +
        "cannot run it",
      {
        hint: `use one of ${choices}, or write it in TypeScript — export function isNewer(partitionId: ` +
          "string, checkpoint: string): boolean — and name it as ./src/compare.ts#isNewer (module path " +
          "relative to the project root)",
      },
    );
  }
  const source = ctx.locate?.(["checkpoint", "comparison_func"]) ?? ctx.source;
  const fn = await importProjectExport(value, ctx.projectRoot, {
    noun: "comparison function",
    codePrefix: "catalog/comparison",
    example: "./src/compare.ts#isNewer",
    classHint: "",
    exportNoun: "function",
  }, source);
  if (typeof fn !== "function") {
    throw checkpointError(
      ctx,
      ["comparison_func"],
      `"${value}" (${keyName(ctx, ["comparison_func"])}) is not a function`,
      {
        hint: "export function isNewer(partitionId: string, checkpoint: string): boolean { … }",
      },
    );
  }
  return async (id, checkpoint) => Boolean(await fn(id, checkpoint));
}

// `checkpoint.<key>` as the entry wrote it (under `dataset.` when the incremental dataset is itself nested).
function keyName(ctx: DatasetFactoryContext, keyPath: string[]): string {
  return (ctx.written?.(["checkpoint", ...keyPath]) ?? ["checkpoint", ...keyPath]).join(".");
}

function checkpointError(
  ctx: DatasetFactoryContext,
  keyPath: string[],
  message: string,
  options: { hint: string; atKey?: boolean },
): DatasetError {
  const path = ["checkpoint", ...keyPath];
  return new DatasetError("catalog/bad-checkpoint", message, {
    // A key that must not be there is wrong whatever its value: located at the key itself.
    source: (options.atKey ? ctx.locateKey : ctx.locate)?.(path) ?? ctx.source,
    hint: options.hint,
  });
}
