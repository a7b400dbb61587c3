/**
 * The yaml type (kedro-datasets' yaml.YAMLDataset), which a catalog loads only when it uses one: with the
 * PyYAML-compatible writer it saves with.
 *
 * @module
 */
import { z } from "../zod/mod.ts";
import { YamlDataset } from "./datasets/yaml_dataset.ts";
import { fileSchema, fileType, NoArgs } from "./file_types.ts";
import { YAML_HINTS } from "./kedro_arguments.ts";

/**
 * The yaml type's definition; `save_args` are yaml.dump's keywords that shape the bytes, block style
 * (kedro-datasets' default) only.
 *
 * @example
 * ```ts
 * registry.registerLazy(["yaml", "YAMLDataset"], () => Promise.resolve(yamlType));
 * ```
 */
export const yamlType = fileType(
  YamlDataset,
  fileSchema(
    z,
    NoArgs.now(z),
    z.strictObject({
      default_flow_style: z.optional(z.literal(false)),
      allow_unicode: z.optional(z.boolean()),
      sort_keys: z.optional(z.boolean()),
      indent: z.optional(z.int().check(z.gte(2), z.lte(9))),
      width: z.optional(z.number().check(z.positive())),
    }),
  ),
  YAML_HINTS,
);
