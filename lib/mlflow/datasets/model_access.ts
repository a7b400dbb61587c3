/**
 * What the three Mlflow model datasets share: their save settings (signature, input example, the flavor's
 * own arguments), loading a model URI through the run's tracking store, and the notes they print.
 *
 * @module
 */
import { DatasetError, didYouMeanHint, KmlfError, type SourceLocation } from "../../errors.ts";
import type { ModelFlavor, SignatureStrings } from "../../tracking/mod.ts";
import type { MlflowRunState } from "../run_state.ts";
import type { ResolvedModelRef } from "../tracking_port.ts";

/** How a model folder is written (MlflowModelTrackingDataset and MlflowModelLocalFileSystemDataset). */
export interface ModelSaveSettings {
  /** `auto` (from the input example), MLflow's specs, or none. */
  signature: "auto" | SignatureStrings | null;
  inputExample?: unknown;
  /** The flavor's own save arguments (`serialization` for js_value, anything for a custom flavor). */
  flavorArgs: Record<string, unknown>;
}

/** What every model dataset knows. */
export interface ModelDatasetBase {
  /** The catalog entry's name. */
  name: string;
  flavor: ModelFlavor;
  state: MlflowRunState;
  projectRoot: string;
  /** The flavor's own load arguments. */
  loadArgs: Record<string, unknown>;
}

/**
 * Splits `args` (a `save_args` or `load_args` mapping) into the dataset's own keys and the flavor's; a key
 * neither takes is an error naming the keys the flavor takes.
 *
 * @example
 * ```ts
 * const { own, flavorArgs } = splitArgs({ name: "m", serialization: "v8" }, ["name"], jsValueFlavor, { dataset: "model", group: "save_args" });
 * ```
 */
export function splitArgs(
  args: Record<string, unknown> | undefined,
  ownKeys: readonly string[],
  flavor: ModelFlavor,
  where: {
    dataset: string;
    group: "save_args" | "load_args";
    /** Where a key is written (`DatasetFactoryContext.locateKey`): an unknown key is wrong whatever its value. */
    locateKey?(keyPath: string[]): SourceLocation | undefined;
    /** The key path as written, from the catalog entry's top (`DatasetFactoryContext.written`). */
    written?(keyPath: string[]): readonly (string | number)[];
  },
): { own: Record<string, unknown>; flavorArgs: Record<string, unknown> } {
  const own: Record<string, unknown> = {};
  const flavorArgs: Record<string, unknown> = {};
  const allowed = where.group === "save_args" ? flavor.saveArgs : flavor.loadArgs;
  for (const [key, value] of Object.entries(args ?? {})) {
    if (ownKeys.includes(key)) own[key] = value;
    else if (allowed === undefined || allowed.includes(key)) flavorArgs[key] = value;
    else {
      const takes = [...ownKeys, ...allowed];
      throw new DatasetError(
        "catalog/bad-argument",
        `Unknown key "${where.dataset}.${
          (where.written?.([where.group, key]) ?? [where.group, key]).join(".")
        }" for flavor ${flavor.name}`,
        {
          source: where.locateKey?.([where.group, key]),
          hint: [
            didYouMeanHint(key, takes),
            takes.length ? `${where.group} takes: ${takes.join(", ")}` : `remove ${where.group}`,
          ].filter(Boolean).join(" "),
        },
      );
    }
  }
  return { own, flavorArgs };
}

/**
 * `save_args.signature`: `auto`, null, or MLflow's specs as a mapping (`inputs: [{name, type}]`,
 * optional `outputs`, `params`), checked now so a bad one fails before the run.
 *
 * @example
 * ```ts
 * await signatureArg({ inputs: [{ name: "x", type: "double" }] }, "model"); // { inputs: '[{"type": …}]', … }
 * ```
 */
export async function signatureArg(
  value: unknown,
  dataset: string,
  source?: SourceLocation,
): Promise<ModelSaveSettings["signature"]> {
  if (value === undefined || value === null || value === false) return null;
  if (value === "auto") return "auto";
  const { parseSignature, pythonJson, signatureToStrings } = await import("../../tracking/mod.ts");
  const spec = value as Record<string, unknown>;
  const strings: SignatureStrings = {
    inputs: pythonJson(spec.inputs ?? null),
    outputs: spec.outputs === undefined || spec.outputs === null ? null : pythonJson(spec.outputs),
    params: spec.params === undefined || spec.params === null ? null : pythonJson(spec.params),
  };
  try {
    return signatureToStrings(parseSignature(strings)); // MLflow's key order, required: true filled in
  } catch (error) {
    throw new DatasetError(
      "mlflow/bad-signature",
      `save_args.signature of dataset "${dataset}" is not valid: ${(error as Error).message}`,
      {
        source,
        hint: "write auto (columns of input_example), or inputs: [{name: sepal_length, type: double}, …] " +
          "with MLflow's types (boolean, integer, long, float, double, string, binary, datetime)",
      },
    );
  }
}

/**
 * Runs `check` (a URI parse, a registry rule) and gives what it throws the location of the key it checked.
 *
 * @example
 * ```ts
 * await located(ctx.locate?.(["load_args", "model_uri"]), () => parseModelUri(uri));
 * ```
 */
export async function located<T>(
  source: SourceLocation | undefined,
  check: () => T | Promise<T>,
): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (!(error instanceof KmlfError) || error.source) throw error;
    throw new DatasetError(error.code, error.message, { source, hint: error.hint, cause: error.cause });
  }
}

/**
 * The local folder of a model URI: through the run's tracking client, or — when tracking is off — only
 * a local folder (anything else needs the store, which is an error saying so).
 *
 * @example
 * ```ts
 * const { dir, runId } = await resolveModelUri("models:/iris@champion", base);
 * ```
 */
export async function resolveModelUri(uri: string, base: ModelDatasetBase): Promise<ResolvedModelRef> {
  const tracking = await import("../../tracking/mod.ts");
  const options = { cacheDir: tracking.defaultModelCacheDir(), baseDir: base.projectRoot };
  // A local folder never needs the store: outside a run, only URIs in the store open it.
  const local = tracking.parseModelUri(uri, { baseDir: base.projectRoot }).kind === "local";
  const client = local ? base.state.client : await base.state.storeClient();
  if (client) return await client.resolveModel(uri, options);
  if (!local) {
    throw new DatasetError(
      "mlflow/no-tracking-store",
      `Dataset "${base.name}" loads ${uri}, which is in the tracking store, but tracking is off`,
      { hint: "add conf/<env>/mlflow.yml (kmlf mlflow init --env=base) so kmlf opens the store" },
    );
  }
  return await tracking.resolveModel(uri, options);
}

/**
 * Loads the model a URI names through the dataset's flavor.
 *
 * @example
 * ```ts
 * const { model } = await loadModelUri("runs:/0a1b…/model", base);
 * ```
 */
export async function loadModelUri(
  uri: string,
  base: ModelDatasetBase,
): Promise<{ model: unknown; resolved: ResolvedModelRef }> {
  const resolved = await resolveModelUri(uri, base);
  const { loadModelFolder } = await import("../../tracking/mod.ts");
  return { model: await loadModelFolder(resolved.dir, base.flavor, base.loadArgs), resolved };
}
