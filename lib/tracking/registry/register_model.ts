/**
 * `registerModel`: MLflow's `mlflow.register_model(model_uri, name)` over a tracking store — creates
 * the registered model when it does not exist yet (an existing one is fine) and adds a version. A
 * `runs:/<run id>/<path>` URI is registered as the run's artifact URI plus the path, with the run id
 * recorded, as MLflow's client does. When the version is refused, a registered model this call created is
 * removed again (MLflow's client leaves it behind, empty).
 *
 * @module
 */
import { TrackingError } from "../../errors.ts";
import { percentDecode } from "../../path.ts";
import { joinArtifactUri } from "../artifacts/artifact_uri_join.ts";
import type { TrackingStore } from "../stores/store.ts";
import { mlflowError } from "../tracking_errors.ts";
import type { ModelVersion } from "./entities.ts";

/** Options of {@link registerModel}. */
export interface RegisterModelOptions {
  /** Tags of the new version. */
  tags?: Record<string, string>;
  /** Description of the new version. */
  description?: string;
}

/**
 * Registers the model at `modelUri` as the next version of `name`.
 *
 * @example
 * ```ts
 * const v = await registerModel(store, `runs:/${runId}/model`, "iris");
 * await store.registry.setRegisteredModelAlias("iris", "champion", v.version);
 * ```
 */
export async function registerModel(
  store: TrackingStore,
  modelUri: string,
  name: string,
  options: RegisterModelOptions = {},
): Promise<ModelVersion> {
  // Surrounding spaces (a shell quoting slip) are no part of a location: model loading ignores them too.
  let source = modelUri.trim();
  let runId: string | undefined;
  // Spelled as model loading reads it (parseModelUri: `RUNS:/`, `runs:///`, surrounding spaces): any
  // runs:/ URI is the run's artifact location, never stored as typed with no run id.
  const runs = source.match(/^runs:\/+([^/]+)(?:\/(.*))?$/is);
  if (runs) {
    runId = runs[1];
    const path = (runs[2] ?? "").replace(/^\/+|\/+$/g, "");
    if (!path) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `Cannot register '${modelUri}': a runs:/ URI needs the model's artifact path`,
        "write runs:/<run id>/<artifact path>, e.g. runs:/abc123/model",
      );
    }
    // Also percent-encoded (%2e%2e), as a local artifact location is read.
    if ([path, percentDecode(path)].some((form) => form.split("/").includes(".."))) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `Cannot register '${modelUri}': '..' is not allowed in the artifact path`,
        "name the model folder inside the run, e.g. runs:/abc123/model",
      );
    }
    const run = await store.getRun(runId);
    // Encoded as the run's artifact URI reads it: a model folder named `a%20b` or `q?x` is that folder.
    source = joinArtifactUri(run.info.artifactUri, path);
  }
  let created = false;
  try {
    await store.registry.createRegisteredModel(name);
    created = true;
  } catch (error) {
    if (!(error instanceof TrackingError && error.code === "RESOURCE_ALREADY_EXISTS")) throw error;
  }
  try {
    return await store.registry.createModelVersion(name, source, {
      runId,
      tags: options.tags,
      description: options.description,
    });
  } catch (error) {
    // A refused version (a bad tag, source or description) must not leave behind the empty model this call
    // created: the registry is as it was before. A model another writer gave a version meanwhile stays.
    if (created) await dropIfEmpty(store, name);
    throw error;
  }
}

async function dropIfEmpty(store: TrackingStore, name: string): Promise<void> {
  try {
    const model = await store.registry.getRegisteredModel(name);
    if (model.latestVersions.length === 0) await store.registry.deleteRegisteredModel(name);
  } catch {
    // Best effort: the version's own error is the one to report.
  }
}
