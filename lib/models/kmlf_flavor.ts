/**
 * The `kmlf` flavor for the Mlflow model datasets: a model kmlf logged from an inference pipeline (the
 * training pipeline's `inference:`, or `kmlf mlflow modelify`). Loading gives a {@link KmlfModel}; saving
 * takes one (loaded earlier in the run, e.g. from the registry) and writes its folder again — its pipeline
 * code, artifacts, signature and input example — so a model can be copied into a run or onto disk. A new
 * inference-pipeline model comes from `inference:`, which logs it after training.
 *
 * @module
 */
import { join } from "../path.ts";
import { TrackingError } from "../errors.ts";
import type { ModelFlavor } from "../tracking/mod.ts";
import { type KmlfModel, loadModelDir } from "./load_model.ts";

/**
 * The `kmlf` flavor.
 *
 * @example
 * ```ts
 * const model = await loadModelFolder("/tmp/downloaded/model", kmlfFlavor);
 * await model.predict([{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }]);
 * ```
 */
export const kmlfFlavor: ModelFlavor<KmlfModel> = {
  name: "kmlf",
  saveArgs: [],
  loadArgs: [],
  async save(model, dir) {
    if (!isKmlfModel(model)) {
      throw new TrackingError(
        "model/not-a-kmlf-model",
        `The kmlf flavor saves a model kmlf loaded (an inference pipeline), got ${describe(model)}`,
        {
          hint: "kmlf logs a training pipeline's inference pipeline itself (declare inference: in the " +
            "training pipeline); to save any other JS model object use flavor: js_value",
        },
      );
    }
    const { metadata } = model;
    // node:fs loads Deno's stream polyfills (~13 ms): only saving a model needs it, not serving one.
    const { cp } = await import("node:fs/promises");
    // Everything but MLmodel, which the caller writes for the new place (run id, artifact path, uuid).
    await cp(model.dir, dir, { recursive: true, filter: (source) => source !== join(model.dir, "MLmodel") });
    const { kmlf_version: _, ...entry } = metadata.flavors.kmlf;
    return { entry, signature: metadata.signature, savedInputExampleInfo: metadata.savedInputExampleInfo };
  },
  load: (dir) => loadModelDir(dir),
};

function isKmlfModel(value: unknown): value is KmlfModel {
  const m = value as Partial<KmlfModel> | null;
  return typeof m?.predict === "function" && typeof m.dir === "string" && !!m.metadata?.flavors?.kmlf;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") {
    return `an object (${Object.keys(value).slice(0, 5).join(", ") || "no keys"})`;
  }
  return `a ${typeof value}`;
}
