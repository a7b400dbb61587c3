/**
 * Loading a model logged by kmlf (kedro-mlflow's KedroPipelineModel `load_context` + `predict`): the
 * inference pipeline from the model's own `code/`, its artifacts loaded once into memory, and a `predict`
 * that runs the pipeline on a fresh in-memory catalog for every call (no state shared between calls).
 *
 * @module
 */
import { isAbsolute, join, normalize } from "../path.ts";
import { z } from "../zod/mod.ts";
// The catalog's class and memory datasets, not every dataset type (tests/layers.ts, START_UP_ENTRIES).
import { Catalog } from "../catalog/catalog.ts";
import { type CopyMode, MemoryDataset } from "../catalog/datasets/memory_dataset.ts";
import { KmlfError } from "../errors.ts";
import { HookManager } from "../hooks/mod.ts";
import { loadPipelineFile, type Pipeline } from "../pipeline/mod.ts";
import { SequentialRunner } from "../runner/sequential_runner.ts";
import type { TrackingStore } from "../tracking/mod.ts";
// What loading a model needs of tracking, without the rest of it (tests/layers.ts, START_UP_ENTRIES).
import { type MlModel, parseMlmodel } from "../tracking/models/mlmodel.ts";
import { parseModelUri } from "../tracking/models/model_uri.ts";
import { defaultModelCacheDir, resolveModel } from "../tracking/models/resolve_model.ts";
import { type ModelSignature, parseSignature } from "../tracking/models/signature.ts";
import { openStore } from "../tracking/stores/open_store.ts";
import { convertColumns, enforceColumns, enforceParams, type Row } from "./enforce.ts";
import { ScoringError } from "./scoring_error.ts";
import { predictionInput } from "./prediction_input.ts";
import { pyRepr } from "../py_repr.ts";
import { readTextFile } from "../file_io.ts";
import { resolvesInside } from "../fs_utils.ts";
import { pinnedVersionNotes } from "./pinned_versions.ts";

const Mode = z.enum(["assign", "copy", "deepcopy"]);
const KmlfFlavor = z.looseObject({
  kmlf_version: z.optional(z.string()),
  code: z._default(z.string(), "code"),
  pipeline: z.string(),
  input_name: z.string(),
  output_name: z.string(),
  copy_mode: z._default(z.union([Mode, z.record(z.string(), Mode)]), "assign"),
  artifacts: z._default(z.record(z.string(), z.record(z.string(), z.unknown())), {}),
});

/** Where a model was loaded from. */
export interface ModelOrigin {
  /** The URI as given (`models:/iris@champion`, `runs:/…/model`, a folder). */
  uri: string;
  /** The run that logged it, when known. */
  runId?: string;
  /** For `models:/` URIs: the registered version the URI resolved to. */
  registered?: { name: string; version: string };
}

/** A loaded model. */
export interface KmlfModel {
  /** Where it was loaded from (set by {@link loadModel}). */
  readonly origin?: ModelOrigin;
  /** The parsed MLmodel file. */
  readonly metadata: MlModel;
  /** The signature, when the model has one. */
  readonly signature?: ModelSignature;
  /** The local model folder. */
  readonly dir: string;
  /**
   * Notes for the user on what the model runs with: each npm package its `code/deno.json` pins at another
   * version than this kmlf gives its code (MLflow warns of such requirement mismatches too).
   */
  readonly notes?: readonly string[];
  /** The inference pipeline's input dataset the data to score goes to (kedro-mlflow's `input_name`). */
  readonly inputName: string;
  /** The inference pipeline's output dataset the predictions come from. */
  readonly outputName: string;
  /**
   * Runs the inference pipeline on `input` (rows of records, or values for an unnamed-column model) and
   * returns its output. Signature columns are converted and checked; `params` override declared params.
   * `columns` are the input frame's column names when the request named them (a frame without rows keeps
   * them: the pipeline then predicts on zero rows). `quote` is how errors quote data that was not a frame
   * (the scoring protocol's text of an `inputs` / `instances` body).
   */
  predict(
    input: unknown,
    params?: Record<string, unknown>,
    columns?: readonly string[],
    quote?: string,
  ): Promise<unknown>;
}

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** A tracking store for `runs:/`, `models:/` and `mlflow-artifacts:/` URIs (opened from `trackingUri` if absent). */
  store?: TrackingStore;
  /** The tracking URI to open when no `store` is given (default `$MLFLOW_TRACKING_URI`, else `mlflow.db`). */
  trackingUri?: string;
  /** Where remote artifacts are downloaded (default `$XDG_CACHE_HOME/kmlf/models`, else `~/.cache/kmlf/models`). */
  cacheDir?: string;
  /** Relative folder paths resolve against it (default: the working directory). */
  baseDir?: string;
}

/**
 * Loads a model by URI (`runs:/<run_id>/model`, `models:/<name>/<version>`, `models:/<name>@<alias>`, a
 * folder, …).
 *
 * @example
 * ```ts
 * const model = await loadModel("runs:/0a1b…/model", { store });
 * const predictions = await model.predict([{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }]);
 * ```
 */
export async function loadModel(uri: string, options: LoadModelOptions = {}): Promise<KmlfModel> {
  const { dir, origin } = await locateModel(uri, options);
  return await loadModelDir(dir, { origin });
}

/**
 * Where a model URI's folder is on this machine (downloaded into the cache when remote), without loading
 * its code: `kmlf models predict|serve` decide from its `code/deno.json` which process loads it.
 *
 * @example
 * ```ts
 * const { dir, origin } = await locateModel("models:/iris@champion", { store });
 * ```
 */
export async function locateModel(
  uri: string,
  options: LoadModelOptions = {},
): Promise<{ dir: string; origin: ModelOrigin }> {
  const baseDir = options.baseDir ?? Deno.cwd();
  const needsStore = !options.store && parseModelUri(uri, { baseDir }).kind !== "local";
  const store = needsStore
    ? await openStore(options.trackingUri ?? Deno.env.get("MLFLOW_TRACKING_URI") ?? "mlflow.db", { baseDir })
    : options.store;
  try {
    const resolved = await resolveModel(uri, {
      store,
      cacheDir: options.cacheDir ?? defaultModelCacheDir(),
      baseDir,
    });
    const registered = resolved.version
      ? { name: resolved.version.name, version: resolved.version.version }
      : undefined;
    return {
      dir: resolved.dir,
      origin: { uri, runId: resolved.runId, ...(registered ? { registered } : {}) },
    };
  } finally {
    if (needsStore) await store?.close();
  }
}

/**
 * Loads a model folder: reads MLmodel, imports the pipeline from `code/`, loads every artifact once.
 *
 * @example
 * ```ts
 * const model = await loadModelDir("/tmp/downloaded/model");
 * ```
 */
export async function loadModelDir(
  dir: string,
  options: {
    origin?: ModelOrigin;
    /**
     * The process gives the model's code its pins already (kmlf's process of the model's own scopes its
     * `code/` folder to them): nothing to note, though its top-level imports map other versions.
     */
    pinsGiven?: boolean;
  } = {},
): Promise<KmlfModel> {
  const file = join(dir, "MLmodel");
  const text = await readTextFile(file).catch((cause) => {
    throw new KmlfError("model/no-mlmodel", `${dir} holds no MLmodel file`, {
      hint:
        "point at the folder logged by the run (e.g. runs:/<run_id>/model), not at the run or a file in it",
      cause,
    });
  });
  const metadata = parseMlmodel(text, file);
  const raw = metadata.flavors.kmlf;
  if (!raw) {
    throw new KmlfError(
      "model/not-kmlf",
      `The model at ${dir} has no kmlf flavor (flavors: ${
        Object.keys(metadata.flavors).join(", ") || "none"
      })`,
      {
        hint: "kmlf serves and predicts with kmlf-flavor models (a training pipeline's inference:, or kmlf " +
          "mlflow modelify); a model of another flavor (js_value, a flavor class) loads in a pipeline through " +
          "an Mlflow model dataset with that flavor (type: mlflow_model_registry, flavor: js_value, …)",
      },
    );
  }
  const parsed = KmlfFlavor.safeParse(raw);
  if (!parsed.success) {
    throw new KmlfError(
      "model/bad-flavor",
      `${file}: flavors.kmlf is invalid: ${parsed.error.issues[0].message} at ${
        parsed.error.issues[0].path.join(".")
      }`,
      {
        hint: "re-log the model with this version of kmlf",
      },
    );
  }
  const flavor = parsed.data;
  let signature: ModelSignature | undefined;
  try {
    signature = metadata.signature ? parseSignature(metadata.signature) : undefined;
  } catch (error) {
    throw new KmlfError("model/bad-signature", `${file}: ${(error as Error).message}`, {
      hint: "re-log the model",
    });
  }
  checkInsideModel(dir, file, "flavors.kmlf.pipeline", flavor.pipeline);
  for (const [name, config] of Object.entries(flavor.artifacts)) {
    checkArtifactPaths(dir, file, `flavors.kmlf.artifacts.${name}`, config);
  }
  // The model's modules (nodes, custom dataset types) import what code/deno.json pins.
  // Versions are compared once the model's code has imported its packages (Deno resolves an npm name only
  // after some import loaded it), whether that worked or not.
  const { pipeline, catalog, loaded } = await loadCode(dir, file, flavor).catch(async (error) => {
    const { withModelPinHint, withVersionNotes } = await pinHint();
    const notes = options.pinsGiven ? [] : await pinnedVersionNotes(dir);
    throw withVersionNotes(await withModelPinHint(error, dir), notes);
  });
  const model = new LoadedModel(dir, metadata, signature, pipeline, flavor, loaded, catalog);
  model.origin = options.origin ?? { uri: dir, runId: metadata.runId ?? undefined };
  model.notes = options.pinsGiven ? [] : await pinnedVersionNotes(dir);
  return model;
}

async function loadCode(dir: string, file: string, flavor: z.infer<typeof KmlfFlavor>) {
  const pipeline = await loadPipelineFile(join(dir, flavor.pipeline));
  checkArtifacts(pipeline, flavor, file);
  const catalog = await Catalog.fromConfig(
    { data: flavor.artifacts, locate: () => ({ file, keyPath: "flavors.kmlf.artifacts" }) },
    { projectRoot: dir },
  );
  const loaded = new Map<string, unknown>();
  for (const name of Object.keys(flavor.artifacts)) loaded.set(name, await catalog.load(name));
  return { pipeline, catalog, loaded };
}

// By computed URL: loaded only when a model's code fails to import.
const pinHint = (): Promise<typeof import("./model_pin_hint.ts")> =>
  import(new URL("./model_pin_hint.ts", import.meta.url).href);

// Predicting reads only the model folder: a path in MLmodel that leaves it — `..`, absolute, a URL (s3://,
// https://, file:), or a symlink inside the folder leading out — is an edited or foreign file.
function checkInsideModel(dir: string, file: string, key: string, path: string): void {
  const norm = normalize(path).replaceAll("\\", "/");
  const leaves = isAbsolute(path) || norm === ".." || norm.startsWith("../") || URL_LIKE.test(path) ||
    !resolvesInside(dir, join(dir, path));
  if (leaves) {
    throw new KmlfError("model/bad-flavor", `${file}: ${key} (${path}) leaves the model folder`, {
      hint:
        "paths in MLmodel are relative to the folder holding it, and links there stay inside it; re-log the " +
        "model (or download it again)",
    });
  }
}

const URL_LIKE = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
// The catalog's path keys (lib/catalog/entry.ts), in an entry and in its inner `dataset:` (a partitioned
// or an artifact dataset's).
const PATH_KEYS = ["filepath", "path", "filename"];

function checkArtifactPaths(dir: string, file: string, key: string, config: unknown): void {
  if (typeof config !== "object" || config === null) return;
  const entry = config as Record<string, unknown>;
  for (const k of PATH_KEYS) {
    if (typeof entry[k] === "string") checkInsideModel(dir, file, `${key}.${k}`, entry[k] as string);
  }
  checkArtifactPaths(dir, file, `${key}.dataset`, entry.dataset);
}

// kedro-mlflow's load_context check: the artifacts are exactly the inputs other than input_name, and
// output_name is what the pipeline produces.
function checkArtifacts(pipeline: Pipeline, flavor: z.infer<typeof KmlfFlavor>, file: string): void {
  const { input_name: inputName, output_name: outputName } = flavor;
  const artifacts = Object.keys(flavor.artifacts);
  const inputs = [...pipeline.inputs()].filter((i) => i !== inputName);
  const missing = inputs.filter((i) => !artifacts.includes(i));
  const extra = artifacts.filter((a) => !inputs.includes(a));
  if (!pipeline.outputs().has(outputName)) {
    throw new KmlfError(
      "model/artifacts-mismatch",
      `${file}: output_name "${outputName}" is not an output of the inference pipeline`,
      {
        hint: `the pipeline's outputs: ${[...pipeline.outputs()].join(", ") || "none"}; re-log the model`,
      },
    );
  }
  if (missing.length || extra.length || !pipeline.inputs().has(inputName)) {
    throw new KmlfError(
      "model/artifacts-mismatch",
      `${file}: the artifacts do not match the inference pipeline's inputs`,
      {
        hint: [
          missing.length ? `inputs without an artifact: ${missing.join(", ")}` : "",
          extra.length ? `artifacts no node reads: ${extra.join(", ")}` : "",
          pipeline.inputs().has(inputName) ? "" : `input_name "${inputName}" is not an input of the pipeline`,
        ].filter(Boolean).join("; ") + "; re-log the model",
      },
    );
  }
}

class LoadedModel implements KmlfModel {
  origin?: ModelOrigin;
  notes?: readonly string[];
  readonly inputName: string;
  readonly outputName: string;
  readonly #pipeline: Pipeline;
  readonly #artifacts: Map<string, unknown>;
  readonly #modeOf: (name: string) => CopyMode | undefined;
  readonly #registry: Catalog["registry"];
  readonly #hooks = new HookManager();
  readonly #runner = new SequentialRunner();
  readonly #datasets: string[];
  // One version for every prediction's catalog (nothing is versioned there; this saves a clock read per call).
  readonly #version: string | undefined;

  constructor(
    readonly dir: string,
    readonly metadata: MlModel,
    readonly signature: ModelSignature | undefined,
    pipeline: Pipeline,
    flavor: z.infer<typeof KmlfFlavor>,
    artifacts: Map<string, unknown>,
    artifactsCatalog: Catalog,
  ) {
    this.inputName = flavor.input_name;
    this.outputName = flavor.output_name;
    this.#pipeline = pipeline;
    this.#artifacts = artifacts;
    this.#registry = artifactsCatalog.registry;
    this.#version = artifactsCatalog.saveVersion;
    const mode = flavor.copy_mode;
    // kedro-mlflow's copy_mode: one mode for every dataset, or a map (others keep the default).
    this.#modeOf = typeof mode === "string" ? () => mode : (name) => mode[name];
    this.#datasets = [...pipeline.datasets()];
  }

  async predict(
    input: unknown,
    params?: Record<string, unknown>,
    frameColumns?: readonly string[],
    quote?: string,
  ): Promise<unknown> {
    const columns = this.signature?.inputs;
    let data = predictionInput(input, columns);
    if (columns && Array.isArray(data) && data.every(isRow)) {
      data = enforceColumns(convertColumns(data as Row[], columns), columns, frameColumns, input, quote);
    } else if (columns?.some((c) => c.name !== undefined) && Array.isArray(data)) {
      // Plain values for a model whose signature names columns would reach the nodes unchecked.
      const names = columns.filter((c) => c.name !== undefined).map((c) => c.name!);
      const index = data.findIndex((v) => !isRow(v));
      throw new ScoringError(
        400,
        "BAD_REQUEST",
        `Invalid input. The model's signature names the columns ${pyRepr(names)}, but row ${index} is ` +
          `${JSON.stringify(data[index])?.slice(0, 80)}${
            data.some(isRow) ? " while other rows are records" : ""
          }: ` +
          `send every row the same way, as a record ({"column": value, ...}) or as a list of values in that ` +
          `column order`,
      );
    }
    const paramValues = enforceParams(params, this.signature?.params);
    const catalog = Catalog.empty({ registry: this.#registry, saveVersion: this.#version });
    for (const name of this.#datasets) {
      if (name === this.inputName || this.#artifacts.has(name)) continue;
      catalog.add(name, new MemoryDataset({ copyMode: this.#modeOf(name) }));
    }
    for (const [name, value] of this.#artifacts) {
      const key = name.startsWith("params:") ? name.slice("params:".length) : undefined;
      const given = key !== undefined && Object.hasOwn(paramValues, key) ? paramValues[key] : value;
      catalog.add(name, new MemoryDataset({ data: given, copyMode: this.#modeOf(name) ?? "assign" }));
    }
    catalog.add(
      this.inputName,
      new MemoryDataset({ data, copyMode: this.#modeOf(this.inputName) ?? "assign" }),
    );
    const result = await this.#runner.run(this.#pipeline, catalog, { runId: "predict", hooks: this.#hooks });
    return await result.outputs[this.outputName].load();
  }
}

function isRow(v: unknown): v is Row {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}
