/** User dataset classes: `type: ./datasets/my_dataset.ts#MyDataset` (module relative to the project root). */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DatasetError, didYouMeanHint, type SourceLocation } from "../errors.ts";
import type { Dataset } from "./dataset.ts";
import type { DatasetFactoryContext } from "./registry.ts";

const REQUIRED_METHODS = ["load", "save", "exists", "describe"] as const;

/**
 * Whether a `type:` value names a user module rather than a registered type.
 *
 * @example
 * ```ts
 * isCustomType("./datasets/my_dataset.ts#MyDataset"); // true
 * isCustomType("pandas.CSVDataset"); // false
 * ```
 */
export function isCustomType(type: string): boolean {
  return type.includes("#") || /^\.{0,2}\//.test(type) || /\.(ts|js|mts|mjs|tsx|jsx)$/.test(type);
}

/**
 * The class name shown for a custom type: the export name.
 *
 * @example
 * ```ts
 * customTypeName("./datasets/my_dataset.ts#MyDataset"); // "MyDataset"
 * ```
 */
export function customTypeName(type: string): string {
  const hash = type.lastIndexOf("#");
  return hash >= 0 ? type.slice(hash + 1) : type;
}

/**
 * Imports the module, checks the export is a class implementing the Dataset contract and constructs it
 * with the camelCased arguments (plus `metadata`, and `version` when versioned).
 *
 * @example
 * ```ts
 * const ds = await createCustomDataset("./datasets/upper.ts#UpperDataset", { file_path: "/p/x.txt" }, ctx, source);
 * ```
 */
export async function createCustomDataset(
  type: string,
  args: Record<string, unknown>,
  ctx: DatasetFactoryContext,
  source: SourceLocation | undefined,
): Promise<Dataset> {
  const Cls = await importClass(type, ctx.projectRoot, source);
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) options[camelCase(key)] = value;
  if (ctx.metadata !== undefined) options.metadata = ctx.metadata;
  if (ctx.version !== undefined) options.version = ctx.version;
  const dataset = new Cls(options);
  const missing = REQUIRED_METHODS.filter((m) =>
    typeof (dataset as unknown as Record<string, unknown>)[m] !== "function"
  );
  if (missing.length > 0) {
    throw new DatasetError(
      "catalog/custom-incomplete",
      `Dataset class ${customTypeName(type)} does not implement ${missing.map((m) => `${m}()`).join(", ")}`,
      { source, hint: "implement the Dataset interface: load(), save(data), exists(), describe()" },
    );
  }
  return dataset;
}

/** `load_args` → `loadArgs`. */
export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

async function importClass(
  type: string,
  projectRoot: string,
  source: SourceLocation | undefined,
): Promise<new (options: Record<string, unknown>) => Dataset> {
  const hash = type.lastIndexOf("#");
  if (hash < 0 || hash === type.length - 1) {
    throw new DatasetError("catalog/custom-type", `Custom dataset type "${type}" does not name a class`, {
      source,
      hint: `write the module path, "#" and the exported class: ${
        hash < 0 ? type : type.slice(0, -1)
      }#MyDataset`,
    });
  }
  const file = resolve(projectRoot, type.slice(0, hash));
  const exportName = type.slice(hash + 1);
  try {
    if (!(await Deno.stat(file)).isFile) throw new Deno.errors.NotFound(file);
  } catch {
    throw new DatasetError("catalog/custom-module-not-found", `Cannot find dataset module ${file}`, {
      source,
      hint:
        "custom dataset module paths are relative to the project root, e.g. ./datasets/my_dataset.ts#MyDataset",
    });
  }
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (cause) {
    throw new DatasetError(
      "catalog/custom-import-failed",
      `Cannot import dataset module ${file}: ${(cause as Error).message.split("\n")[0]}`,
      { source, cause, hint: "fix the module so that it imports cleanly (run `deno check` on it)" },
    );
  }
  if (!(exportName in mod)) {
    const exports = Object.keys(mod);
    throw new DatasetError(
      "catalog/custom-export-not-found",
      `Module ${file} has no export "${exportName}"`,
      {
        source,
        hint: didYouMeanHint(exportName, exports) || `its exports: ${exports.join(", ") || "(none)"}`,
      },
    );
  }
  const Cls = mod[exportName];
  // Arrow functions and methods have no prototype and cannot be constructed.
  if (typeof Cls !== "function" || !Cls.prototype) {
    throw new DatasetError("catalog/custom-not-a-class", `Export "${exportName}" of ${file} is not a class`, {
      source,
      hint: "export a class implementing Dataset: export class MyDataset { load() {…} save(d) {…} … }",
    });
  }
  return Cls as new (options: Record<string, unknown>) => Dataset;
}
