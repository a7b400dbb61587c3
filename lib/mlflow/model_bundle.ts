/**
 * Writes the MLflow Model directory of an inference pipeline (kedro-mlflow's KedroPipelineModel, in kmlf's
 * terms): `MLmodel` with the `kmlf` flavor, `code/` (the inference pipeline YAML and every local module it
 * needs, transitively, in their relative layout, plus `deno.json` pinning its npm imports), `artifacts/`
 * (each persisted inference input and each parameter), and the input example files.
 */
import { basename, dirname, join, relative, resolve, sep } from "../path.ts";
import type { Catalog } from "../catalog/catalog.ts";
import { hasFilePath } from "../catalog/file_dataset.ts";
import { builtinRegistry } from "../catalog/builtin_types.ts";
import { KmlfError } from "../errors.ts";
import { v8Serialize } from "../v8_serializer.ts";
import { inferenceOutput, type InferenceSpec, isParameter } from "../pipeline/mod.ts";
import { readYamlFile } from "../yaml/parse_yaml.ts";
import { MlflowArtifactDataset } from "./datasets/artifact_dataset.ts";
import { moduleGraph } from "./module_graph.ts";
import { modelImports, type ProjectAlias, projectAliases } from "./model_pins.ts";
import { projectModuleFile } from "../project_aliases.ts";
import { rewriteImports } from "../import_scan.ts";
import denoJson from "../../deno.json" with { type: "json" };
import { copyFile, readTextFile, writeFile, writeTextFile } from "../file_io.ts";
import { resolvesInside, statIfAny } from "../fs_utils.ts";

/** What to bundle. */
export interface BundleOptions {
  spec: InferenceSpec;
  /** The training run's catalog: persisted inference inputs are copied from it, parameters read from it. */
  catalog: Catalog;
  projectRoot: string;
  kmlfVersion: string;
  /** Number of example rows written to input_example.json (default 5). */
  exampleRows?: number;
}

/** The written bundle, before MLmodel (the caller adds run id, artifact path and time). */
export interface Bundle {
  /** The `kmlf` flavor of MLmodel. */
  flavor: Record<string, unknown>;
  /** `input_name`'s data, when the signature or input example needs it. */
  inputData?: unknown;
  /** Parameter values of the inference pipeline (by key, without `params:`). */
  params: Record<string, unknown>;
  /** Notes for the user (things left out of the bundle). */
  notes: string[];
}

const NPM_PINS = denoJson.imports as Record<string, string>;

/**
 * Writes `code/` and `artifacts/` into `dir` and returns the flavor describing them.
 *
 * @example
 * ```ts
 * const bundle = await writeBundle(tmpDir, { spec, catalog, projectRoot, kmlfVersion: "0.1.0" });
 * ```
 */
export async function writeBundle(dir: string, options: BundleOptions): Promise<Bundle> {
  const { spec, catalog } = options;
  const notes: string[] = [];
  const inputs = [...spec.pipeline.inputs()].filter((i) => i !== spec.inputName).sort();
  const artifacts: Record<string, Record<string, unknown>> = {};
  const params: Record<string, unknown> = {};
  const customModules: string[] = [];
  for (const name of inputs) {
    if (isParameter(name)) {
      const value = await catalog.load(name);
      const key = name === "parameters" ? "parameters" : name.slice("params:".length);
      params[key] = value;
      const file = `artifacts/params/${safeFileName(key)}.json`;
      await writeInto(join(dir, file), JSON.stringify(value, null, 2));
      artifacts[name] = { type: "json", filepath: file };
      continue;
    }
    artifacts[name] = await bundleDataset(dir, name, options, customModules, notes);
  }
  const yamlFiles = await pipelineYamlFiles(spec.file);
  // The project's import-map aliases (`@/util.ts`) are followed like relative imports, copied, and written
  // as relative imports in the copies: Deno resolves a module's bare imports with the loading process's
  // configuration, never with the deno.json beside the module, so a map in code/ alone would not load them.
  const aliasOf = projectAliases(options.projectRoot);
  const aliases = new Map<string, ProjectAlias>();
  const graph = await moduleGraph([...yamlFiles.modules, ...customModules], (spec) => {
    const alias = aliasOf(spec);
    if (alias) aliases.set(spec, alias);
    return alias?.file;
  });
  for (const u of graph.unresolved) notes.push(`computed import not bundled (${u})`);
  const all = [...yamlFiles.yaml, ...graph.local];
  const base = commonDir([options.projectRoot, ...all]);
  for (const file of all) {
    const target = join(dir, "code", relative(base, file));
    if (aliases.size === 0 || !MODULE_FILE.test(file)) await copyInto(file, target);
    else {await writeInto(
        target,
        rewriteImports(await readTextFile(file), (spec) => relativeImport(file, aliases.get(spec))),
      );}
  }
  // Custom dataset types resolve against the model folder at load time (an aliased one, `@/x.ts#X`, too).
  const moduleFile = projectModuleFile(options.projectRoot);
  for (const entry of Object.values(artifacts)) {
    const type = String(entry.type);
    if (type.includes("#")) {
      const [mod, cls] = type.split("#");
      entry.type = `./code/${relative(base, moduleFile(mod))}#${cls}`;
    }
  }
  // "kmlf" is whichever kmlf loads the model (its version is in the flavor): not a path into code/. The
  // other packages are pinned as the project maps them (its own `deno add`s included), else as kmlf does.
  const { pins, aliased } = modelImports(graph.external, options.projectRoot, NPM_PINS);
  for (const spec of aliased) {
    notes.push(
      `"${spec}" (a project file through deno.json's imports) is not bundled: the model loads only in this ` +
        "project; import it by a relative path to carry it",
    );
  }
  // The aliases are mapped too, for editors and `deno check` in code/ (the copies import them relatively).
  for (const { key, target } of aliases.values()) {
    const path = relative(base, target).split(sep).join("/");
    if (!path.startsWith("..")) pins[key] = `./${path}${key.endsWith("/") && path ? "/" : ""}`;
  }
  await writeInto(join(dir, "code", "deno.json"), JSON.stringify({ imports: pins }, null, 2) + "\n");
  const needsData = spec.logModel.signature === "auto" || spec.logModel.inputExample === "auto";
  return {
    flavor: {
      kmlf_version: options.kmlfVersion,
      deno_version: Deno.version.deno,
      code: "code",
      pipeline: `code/${relative(base, spec.file).split(sep).join("/")}`,
      input_name: spec.inputName,
      output_name: inferenceOutput(spec),
      copy_mode: spec.copyMode,
      artifacts,
    },
    inputData: needsData ? await catalog.load(spec.inputName) : undefined,
    params,
    notes,
  };
}

// A persisted input: its file (or folder) copied under artifacts/<name>/, with the dataset config that
// loads it there; a dataset without local files is saved as a pickle of its loaded value.
async function bundleDataset(
  dir: string,
  name: string,
  options: BundleOptions,
  customModules: string[],
  notes: string[],
): Promise<Record<string, unknown>> {
  const { catalog } = options;
  let dataset = await catalog.get(name);
  let config = { ...(catalog.resolveConfig(name) ?? {}) };
  if (dataset instanceof MlflowArtifactDataset) {
    dataset = dataset.options.inner;
    const inner = config.dataset;
    config = typeof inner === "string" ? { type: inner } : { ...(inner as Record<string, unknown>) };
  }
  config = withoutCredentials(config);
  delete config.versioned;
  delete config.metadata;
  const type = String(config.type ?? "");
  if (type.includes("#")) customModules.push(projectModuleFile(options.projectRoot)(type.split("#")[0]));
  const folder = (dataset as { path?: unknown }).path;
  // A model loads its artifacts with kmlf's built-in types and the project's own classes (`module#Class`,
  // copied into code/): a type a plugin registers (mlflow_model_local, a project plugin's) is not there when
  // the model predicts, so such an input is bundled as its loaded value, like one without a local file.
  const loadable = type.includes("#") || builtinRegistry().lookup(type) !== undefined;
  if (!loadable) {
    return await bundleValue(
      dir,
      name,
      options.catalog,
      notes,
      `the model cannot load its type "${type}" (a plugin's)`,
    );
  }
  if (hasFilePath(dataset)) {
    const source = dataset.filePath();
    const file = `artifacts/${safeFileName(name)}/${basename(source)}`;
    // A dataset whose file is a folder (mlflow_model_local: an MLflow model folder) is copied whole.
    const info = Deno.statSync(source);
    if (info.isDirectory) await copyFolder(source, join(dir, file), options.projectRoot, notes);
    else if (info.isFile) await copyInto(source, join(dir, file));
    else throw notRegularFile(name, source);
    return { ...config, filepath: file };
  }
  if (typeof folder === "string" && "path" in config) {
    const target = `artifacts/${safeFileName(name)}/${basename(folder)}`;
    await copyFolder(folder, join(dir, target), options.projectRoot, notes);
    return { ...config, path: target };
  }
  return await bundleValue(dir, name, catalog, notes, "it has no local file");
}

// An input the model cannot load from a copy of its file: its loaded value, as a pickle (V8 serialization).
async function bundleValue(
  dir: string,
  name: string,
  catalog: Catalog,
  notes: string[],
  why: string,
): Promise<Record<string, unknown>> {
  let bytes: Uint8Array;
  try {
    bytes = await v8Serialize(await catalog.load(name));
  } catch (cause) {
    throw new KmlfError(
      "model/cannot-bundle",
      `Cannot take inference input "${name}" (${
        catalog.typeName(name)
      }) into the model: ${why} and its value cannot be serialized`,
      {
        hint: `persist it with a file dataset kmlf has (pickle, json, csv, …) in ${catalog.catalogFile()}`,
        cause,
      },
    );
  }
  const file = `artifacts/${safeFileName(name)}.pkl`;
  await writeInto(join(dir, file), bytes);
  notes.push(`"${name}" (${catalog.typeName(name)}): ${why}, so its loaded value is bundled as ${file}`);
  return { type: "pickle", filepath: file };
}

// The pipeline YAML, the YAML files it includes, and the node modules they reference.
async function pipelineYamlFiles(file: string): Promise<{ yaml: string[]; modules: string[] }> {
  const yaml = new Set<string>();
  const modules = new Set<string>();
  const visit = async (path: string) => {
    if (yaml.has(path)) return;
    yaml.add(path);
    const src = await readYamlFile(path);
    const nodes = (src.value as { nodes?: unknown } | null)?.nodes;
    for (const entry of Array.isArray(nodes) ? nodes : []) {
      if (!entry || typeof entry !== "object") continue;
      const e = entry as { func?: unknown; pipeline?: unknown };
      if (typeof e.func === "string") {
        modules.add(resolve(dirname(path), e.func.slice(0, e.func.lastIndexOf("#"))));
      }
      if (typeof e.pipeline === "string") await visit(resolve(dirname(path), e.pipeline));
    }
  };
  await visit(file);
  return { yaml: [...yaml], modules: [...modules] };
}

const MODULE_FILE = /\.[cm]?[jt]sx?$/;

// `alias`'s file as an import from `file` (both are copied with the same layout), or undefined for no alias.
function relativeImport(file: string, alias: ProjectAlias | undefined): string | undefined {
  if (alias === undefined) return undefined;
  const path = relative(dirname(file), alias.file).split(sep).join("/");
  return path.startsWith("../") ? path : `./${path}`;
}

function commonDir(paths: string[]): string {
  const split = paths.map((p) => resolve(p).split(sep));
  const first = split[0];
  let n = first.length;
  for (const parts of split.slice(1)) {
    let i = 0;
    while (i < n && i < parts.length && parts[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join(sep) || sep;
}

function safeFileName(name: string): string {
  return name.replace(/[^\w.@-]/g, "_");
}

async function writeInto(path: string, data: string | Uint8Array): Promise<void> {
  Deno.mkdirSync(dirname(path), { recursive: true });
  if (typeof data === "string") await writeTextFile(path, data);
  else await writeFile(path, data);
}

async function copyInto(source: string, target: string): Promise<void> {
  Deno.mkdirSync(dirname(target), { recursive: true });
  await copyFile(source, target);
}

// A persisted input that is a pipe, a socket or a device: reading it could block forever, and a model
// cannot carry it.
function notRegularFile(name: string, source: string): KmlfError {
  return new KmlfError(
    "mlflow/model-input-not-a-file",
    `The inference input "${name}" is ${source}, which is not a regular file or folder: a model cannot carry it`,
    { hint: `point "${name}"'s filepath at a file, or leave it out of the inference pipeline's inputs` },
  );
}

/**
 * Copies an input folder into the model. A symlink is followed (its target copied) while it stays inside
 * the project or the folder itself (DVC's cache, a shared data folder); one leading elsewhere, a link
 * loop, and pipes, sockets and devices are left out with a note — a model shared with whoever reads the
 * run must not carry /etc/passwd, and reading a FIFO would block the run's end forever.
 */
async function copyFolder(
  source: string,
  target: string,
  projectRoot: string,
  notes: string[],
): Promise<void> {
  const roots = [resolve(projectRoot), resolve(source)];
  // Real paths of the folders being copied, outermost first: a link to one of them would never end.
  const copy = async (from: string, to: string, ancestors: readonly string[]): Promise<void> => {
    const real = Deno.realPathSync(from);
    if (ancestors.includes(real)) {
      notes.push(`${from} not bundled: it is a symlink back to a folder that holds it`);
      return;
    }
    Deno.mkdirSync(to, { recursive: true });
    for (const e of Deno.readDirSync(from)) {
      const path = join(from, e.name);
      let info: { isFile: boolean; isDirectory: boolean } = e;
      if (e.isSymlink) {
        const followed = roots.some((root) => resolvesInside(root, path)) ? statIfAny(path) : undefined;
        if (!followed) {
          notes.push(`${path} not bundled: it is a symlink leading out of the project (or nowhere)`);
          continue;
        }
        info = followed;
      }
      if (info.isDirectory) await copy(path, join(to, e.name), [...ancestors, real]);
      else if (info.isFile) await copyFile(path, join(to, e.name));
      else notes.push(`${path} not bundled: it is not a regular file (a pipe, socket or device)`);
    }
  };
  await copy(source, target, []);
}

// The model's MLmodel is shared with whoever can read the run: no credentials block (an inline one holds
// secrets) at any depth, e.g. a partitioned dataset's `dataset: {credentials: …}`.
function withoutCredentials(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === "credentials") continue;
    out[key] = typeof value === "object" && value !== null && !Array.isArray(value)
      ? withoutCredentials(value as Record<string, unknown>)
      : value;
  }
  return out;
}
