/** What the file dataset types share: their catalog arguments' schema and the options their classes take. */
import { z } from "../zod/mod.ts";
import type { Dataset } from "./dataset.ts";
import type { FileDatasetOptions } from "./file_dataset.ts";
import { FS_ARGS_HINTS } from "./kedro_arguments.ts";
import type { DatasetFactoryContext, DatasetTypeDefinition } from "./registry.ts";

/** No arguments: `load_args: {}` / `save_args: {}` only. */
export const NoArgs = z.strictObject({});

/**
 * The schema of a file type's entry: `filepath`, `load_args`, `save_args`, `versioned`, and
 * `credentials`, which Kedro users write everywhere (resolved and passed through, though local files
 * need none).
 *
 * @example
 * ```ts
 * fileSchema(NoArgs, z.strictObject({ indent: z.optional(z.number()) }));
 * ```
 */
export function fileSchema(load: z.core.$ZodType = NoArgs, save: z.core.$ZodType = NoArgs): z.ZodMiniType {
  return z.strictObject({
    filepath: z.string().check(z.minLength(1)),
    load_args: z.optional(load),
    save_args: z.optional(save),
    versioned: z.optional(z.boolean()),
    credentials: z.optional(z.unknown()),
  });
}

/**
 * The options a file dataset class gets from its validated entry.
 *
 * @example
 * ```ts
 * new JsonDataset(fileOptions(args, ctx));
 * ```
 */
export function fileOptions(args: Record<string, unknown>, ctx: DatasetFactoryContext): FileDatasetOptions {
  return {
    filepath: args.filepath as string,
    loadArgs: args.load_args as Record<string, unknown> | undefined,
    saveArgs: args.save_args as Record<string, unknown> | undefined,
    version: ctx.version,
    name: ctx.name,
    metadata: ctx.metadata,
  };
}

/**
 * A versionable file type whose class takes {@link fileOptions}; Kedro's `fs_args` gets a hint.
 *
 * @example
 * ```ts
 * registry.registerLazy(["text", "TextDataset"], () => Promise.resolve(fileType(TextDataset)));
 * ```
 */
export function fileType(
  Cls: new (options: FileDatasetOptions) => Dataset,
  schema: z.core.$ZodType = fileSchema(),
  argumentHints: Readonly<Record<string, string>> = {},
): DatasetTypeDefinition {
  return {
    factory: (args, ctx) => new Cls(fileOptions(args, ctx)),
    schema,
    versionable: true,
    argumentHints: { ...FS_ARGS_HINTS, ...argumentHints },
  };
}
