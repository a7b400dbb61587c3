/** User dataset classes: `type: ./datasets/my_dataset.ts#MyDataset` (module relative to the project root). */
import { pathToFileURL, resolve } from "../path.ts";
import { explainFailedImport } from "../failed_import.ts";
import { DatasetError, didYouMeanHint, type SourceLocation } from "../errors.ts";
import type { Dataset } from "./dataset.ts";
import type { DatasetFactoryContext } from "./dataset_factory.ts";

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
  const Cls = await importProjectClass(type, ctx.projectRoot, DATASET_CLASS, source) as new (
    options: Record<string, unknown>,
  ) => Dataset;
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

/** What kind of project class {@link importProjectClass} imports, for its messages and codes. */
export interface ProjectClassKind {
  /** "dataset", "flavor": named in messages ("Cannot find dataset module …"). */
  noun: string;
  /** Codes are `<prefix>-type`, `<prefix>-module-not-found`, …: `catalog/custom`, `mlflow/flavor`. */
  codePrefix: string;
  /** An example reference: `./datasets/my_dataset.ts#MyDataset`. */
  example: string;
  /** How the class is written, for an export that is not one. */
  classHint: string;
  /** What the export is, for a reference without `#`: "class" (the default), "function". */
  exportNoun?: string;
}

const DATASET_CLASS: ProjectClassKind = {
  noun: "dataset",
  codePrefix: "catalog/custom",
  example: "./datasets/my_dataset.ts#MyDataset",
  classHint: "export a class implementing Dataset: export class MyDataset { load() {…} save(d) {…} … }",
};

/**
 * Imports the export a project reference names (`./module.ts#name`, relative to the project root). Each
 * failure (no `#`, missing module, failed import, missing export) is an error naming the file and the fix.
 *
 * @example
 * ```ts
 * const compare = await importProjectExport("./src/compare.ts#newer", "/p", { noun: "comparison", codePrefix: "catalog/comparison", example: "./src/compare.ts#newer", classHint: "", exportNoun: "function" });
 * ```
 */
export async function importProjectExport(
  type: string,
  projectRoot: string,
  kind: ProjectClassKind,
  source?: SourceLocation,
): Promise<unknown> {
  const code = (what: string) => `${kind.codePrefix}-${what}`;
  const placeholder = kind.example.slice(kind.example.lastIndexOf("#") + 1);
  const hash = type.lastIndexOf("#");
  if (hash < 0 || hash === type.length - 1) {
    const exported = kind.exportNoun ?? "class";
    throw new DatasetError(code("type"), `Custom ${kind.noun} type "${type}" does not name a ${exported}`, {
      source,
      hint: `write the module path, "#" and the exported ${exported}: ${
        hash < 0 ? type : type.slice(0, -1)
      }#${placeholder}`,
    });
  }
  const file = await projectModule(type.slice(0, hash), projectRoot, kind, source);
  const exportName = type.slice(hash + 1);
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (error) {
    const failure = await explainFailedImport(error, { module: file });
    throw new DatasetError(
      code("import-failed"),
      `Cannot import ${kind.noun} module ${file}: ${failure.reason}`,
      {
        source,
        cause: failure.cause,
        userCode: failure.userCode,
        hint: failure.hint,
      },
    );
  }
  if (!(exportName in mod)) {
    const exports = Object.keys(mod);
    throw new DatasetError(
      code("export-not-found"),
      `Module ${file} has no export "${exportName}"`,
      {
        source,
        hint: didYouMeanHint(exportName, exports) || `its exports: ${exports.join(", ") || "(none)"}`,
      },
    );
  }
  return mod[exportName];
}

/**
 * Imports the class a project reference names (`./module.ts#ExportedClass`, relative to the project root):
 * custom dataset types and custom model flavors. Each failure is an error naming the file and the fix.
 *
 * @example
 * ```ts
 * const Flavor = await importProjectClass("./flavors/onnx.ts#OnnxFlavor", "/p", { noun: "flavor", codePrefix: "mlflow/flavor", example: "./flavors/my_flavor.ts#MyFlavor", classHint: "export class MyFlavor { save(model, dir) {…} load(dir) {…} }" });
 * ```
 */
export async function importProjectClass(
  type: string,
  projectRoot: string,
  kind: ProjectClassKind,
  source?: SourceLocation,
): Promise<new (options?: Record<string, unknown>) => unknown> {
  const Cls = await importProjectExport(type, projectRoot, kind, source);
  const code = (what: string) => `${kind.codePrefix}-${what}`;
  const exportName = type.slice(type.lastIndexOf("#") + 1);
  const file = await projectModule(type.slice(0, type.lastIndexOf("#")), projectRoot, kind, source);
  // Arrow functions and methods have no prototype and cannot be constructed.
  if (typeof Cls !== "function" || !Cls.prototype) {
    throw new DatasetError(code("not-a-class"), `Export "${exportName}" of ${file} is not a class`, {
      source,
      hint: kind.classHint,
    });
  }
  return Cls as new (options?: Record<string, unknown>) => unknown;
}

// The file a reference's module names: a path relative to the project root, or a specifier the project's
// import map maps to its files (`@/datasets.ts` with `"@/": "./src/"`), as its code's imports resolve.
async function projectModule(
  spec: string,
  projectRoot: string,
  kind: ProjectClassKind,
  source: SourceLocation | undefined,
): Promise<string> {
  const code = (what: string) => `${kind.codePrefix}-${what}`;
  // Loaded only for a bare specifier: a `./` path (what most projects write) needs no deno.json read.
  const aliases: typeof import("../project_aliases.ts") | undefined = /^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i
      .test(spec)
    ? undefined
    : await import(new URL("../project_aliases.ts", import.meta.url).href);
  const alias = aliases?.projectAliases(projectRoot)(spec);
  const mappedIn = alias && aliases?.projectImports(projectRoot).file;
  const mapped = alias ? undefined : aliases && mappedElsewhere(aliases, projectRoot, spec);
  if (mapped) {
    throw new DatasetError(
      code("module-not-found"),
      `${kind.noun[0].toUpperCase()}${kind.noun.slice(1)} module ${spec} is mapped by ${mapped.file} ` +
        `("${mapped.key}": "${mapped.target}"), which is not one of the project's files`,
      {
        source,
        hint: `map "${mapped.key}" to a folder or file of the project (e.g. "@/": "./src/"), or write the ` +
          `module's path relative to the project root, e.g. ${kind.example}`,
      },
    );
  }
  const file = alias?.file ?? resolve(projectRoot, spec);
  try {
    if (!Deno.statSync(file).isFile) throw new Deno.errors.NotFound(file);
  } catch {
    throw new DatasetError(
      code("module-not-found"),
      `Cannot find ${kind.noun} module ${file}` +
        (alias ? ` (${spec}: ${mappedIn} maps "${alias.key}" to ${alias.target})` : ""),
      {
        source,
        hint: alias
          ? `fix the path after "${alias.key}", or what "${alias.key}" maps to in ${mappedIn}`
          : `custom ${kind.noun} module paths are relative to the project root, e.g. ${kind.example}`,
      },
    );
  }
  return file;
}

// The project's import-map entry for a bare specifier whose target is not one of its files (a package).
function mappedElsewhere(
  aliases: typeof import("../project_aliases.ts"),
  projectRoot: string,
  spec: string,
): { key: string; target: string; file: string } | undefined {
  const { imports, file } = aliases.projectImports(projectRoot);
  const hit = file === undefined ? undefined : aliases.importMapLookup(imports, spec);
  return hit && file ? { key: hit[0], target: hit[1], file } : undefined;
}
