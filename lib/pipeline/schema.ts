/**
 * The shape of pipeline YAML files (zod schemas) and the conversion of YAML `inputs:`/`outputs:` forms
 * into node bindings. The YAML keys are the same words as the TypeScript API, so nothing is renamed.
 */
import { deferredIn, laterSchema, type Zod } from "../zod/on_demand.ts";
import type { KeyPath } from "../yaml/parse_yaml.ts";
import type { InputBinding, OutputBinding } from "./node.ts";
import { InferenceEntry } from "./inference_schema.ts";

// Built when a pipeline file is not in the validation cache (lib/validation_cache.ts).
const schemas = lazy((z: Zod) => {
  const NAME = z.string().check(z.regex(/^[\w.-]+$/, "use letters, digits, _ . - only"));
  // Pipeline files are not interpolated (only conf/ is): `${…}` would silently name a dataset "${…}".
  const DATASET = z.string().check(
    z.minLength(1),
    z.refine((name) => !name.includes("${"), {
      error: "pipeline files are not interpolated (only conf/ files are), so this would name a dataset " +
        "literally",
      params: { hint: "write the dataset's name, or params:<key> for a parameter" },
    }),
  );
  const Names = z.optional(z.nullable(z.union([DATASET, z.array(DATASET), z.record(z.string(), DATASET)])));
  const TagList = z.optional(z.union([NAME, z.array(NAME)]));
  const node = z.strictObject({
    name: z.optional(NAME),
    func: z.string().check(z.refine((ref) => /^.+#[A-Za-z_$][\w$]*$/.test(ref), {
      error: 'must look like "./module.ts#exportName"',
      params: {
        hint: 'write the module\'s path relative to this file, "#" and the exported function, e.g. ' +
          '"./nodes.ts#splitData" (Kedro\'s dotted Python paths do not apply)',
      },
    })),
    inputs: Names,
    outputs: Names,
    tags: TagList,
    namespace: z.optional(NAME),
    confirms: z.optional(z.union([DATASET, z.array(DATASET)])),
  });
  const Mapping = z.optional(z.union([DATASET, z.array(DATASET), z.record(z.string(), DATASET)]));
  const include = z.strictObject({
    pipeline: z.string().check(z.minLength(1)),
    namespace: z.optional(NAME),
    inputs: Mapping,
    outputs: Mapping,
    parameters: Mapping,
    tags: TagList,
    // Kedro 1.x: false groups the nodes under the namespace (node names, --namespaces) but keeps dataset
    // and parameter names.
    prefix_datasets_with_namespace: z.optional(z.boolean()),
  });
  const file = z.strictObject({
    nodes: z.array(z.unknown()),
    tags: TagList,
    // Built when a file has one (most projects' pipeline files have none).
    inference: z.optional(deferredIn(z, () => InferenceEntry.now(z))),
  });
  return { node, include, file };
});

/** One `- name: …, func: …` entry of `nodes:`. */
export const NodeEntry = laterSchema("pipeline:node", (z) => schemas(z).node);

/** One `- pipeline: ./file.yml` entry of `nodes:` (modular pipeline reuse). */
export const IncludeEntry = laterSchema("pipeline:include", (z) => schemas(z).include);

/** A whole pipeline file (`inference:` is kedro-mlflow's pipeline_ml_factory, see inference.ts). */
export const PipelineFile = laterSchema("pipeline:file", (z) => schemas(z).file);

function lazy<T>(build: (z: Zod) => T): (z: Zod) => T {
  let built: T | undefined;
  return (z) => built ??= build(z);
}

/** A node's datasets as written, with the bindings they imply. */
export interface BoundNames {
  /** Dataset names in order. */
  names: string[];
  /** For a map: the function-side keys, parallel to `names`. */
  keys?: string[];
  binding: InputBinding;
  outBinding: OutputBinding;
  /** Key path of `names[i]` below the `inputs`/`outputs` key. */
  pathOf(i: number): KeyPath;
}

/**
 * `null` → no datasets, a string → one (whole value), a list → positional, a map → one object.
 *
 * @example
 * ```ts
 * bindNames({ features: "X_train" }).binding; // { kind: "object", keys: ["features"] }
 * ```
 */
export function bindNames(value: string | string[] | Record<string, string> | null | undefined): BoundNames {
  if (value == null) {
    return { names: [], binding: { kind: "none" }, outBinding: { kind: "none" }, pathOf: () => [] };
  }
  if (typeof value === "string") {
    return { names: [value], binding: { kind: "single" }, outBinding: { kind: "single" }, pathOf: () => [] };
  }
  if (Array.isArray(value)) {
    return {
      names: value,
      binding: { kind: "positional" },
      outBinding: { kind: "list" },
      pathOf: (i) => [i],
    };
  }
  const keys = Object.keys(value);
  return {
    names: Object.values(value),
    keys,
    binding: { kind: "object", keys },
    outBinding: { kind: "object", keys },
    pathOf: (i) => [keys[i]],
  };
}

/**
 * `"a"` → `["a"]`, a list as is, nothing → `[]`.
 *
 * @example
 * ```ts
 * toList("training"); // ["training"]
 * ```
 */
export function toList(value: string | string[] | undefined | null): string[] {
  return value == null ? [] : Array.isArray(value) ? value : [value];
}

/**
 * An include mapping: a string or list keeps names (`{x: x}`), a map renames.
 *
 * @example
 * ```ts
 * toMapping(["raw"]); // { raw: "raw" }
 * ```
 */
export function toMapping(
  value: string | string[] | Record<string, string> | undefined,
): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value === "string") return { [value]: value };
  if (Array.isArray(value)) return Object.fromEntries(value.map((v) => [v, v]));
  return value;
}

/**
 * `"./iris/nodes.ts#splitData"` → `["./iris/nodes.ts", "splitData"]`.
 *
 * @example
 * ```ts
 * splitRef("./ops.ts#double"); // ["./ops.ts", "double"]
 * ```
 */
export function splitRef(ref: string): [string, string] {
  const hash = ref.lastIndexOf("#");
  return [ref.slice(0, hash), ref.slice(hash + 1)];
}
