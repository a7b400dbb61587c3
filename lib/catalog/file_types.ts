/** What the file dataset types share: their catalog arguments' schema and the options their classes take. */
import type { z } from "../zod/mod.ts";
import { laterSchema, type Zod } from "../zod/on_demand.ts";
import type { Dataset } from "./dataset.ts";
import type { FileDatasetOptions } from "./file_dataset.ts";
import { FS_ARGS_HINTS } from "./kedro_arguments.ts";
import type { DatasetFactoryContext } from "./dataset_factory.ts";
import type { ArgumentSchema, BuiltinTypeDefinition } from "./registry.ts";

/** No arguments: `load_args: {}` / `save_args: {}` only (`NoArgs.now(z)` where zod is loaded). */
export const NoArgs = laterSchema(undefined, (z) => z.strictObject({}));

// The arguments of a file type that takes no load_args or save_args (text, binary).
const FILE_ARGS = laterSchema(undefined, (z) => fileSchema(z));

/**
 * The schema of a file type's entry: `filepath`, `load_args`, `save_args`, `versioned`, and
 * `credentials`, which Kedro users write everywhere (resolved and passed through, though local files
 * need none).
 *
 * @example
 * ```ts
 * fileSchema(z, NoArgs.now(z), z.strictObject({ indent: z.optional(z.number()) }));
 * ```
 */
export function fileSchema(
  z: Zod,
  load: z.core.$ZodType = NoArgs.now(z),
  save: z.core.$ZodType = NoArgs.now(z),
): z.ZodMiniType {
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
 * registerBuiltinLazy(registry, ["text", "TextDataset"], () => Promise.resolve(fileType(TextDataset)));
 * ```
 */
export function fileType(
  Cls: new (options: FileDatasetOptions) => Dataset,
  schema: ArgumentSchema = FILE_ARGS,
  argumentHints: Readonly<Record<string, string>> = {},
): BuiltinTypeDefinition {
  return {
    factory: (args, ctx) => new Cls(fileOptions(args, ctx)),
    schema,
    versionable: true,
    argumentHints: { ...FS_ARGS_HINTS, ...argumentHints },
  };
}
