/**
 * A model version whose source is another registered version (`models:/<name>/<version>`,
 * `models:/<name>/<stage>`, `models:/<name>/latest`, `models:/<name>@<alias>`) stores where that
 * version's files are (MLflow's `storage_location`), so downloads do not chase a chain of URIs.
 *
 * @module
 */
import { TrackingError } from "../../errors.ts";
import { mlflowError } from "../tracking_errors.ts";
import { MODEL_VERSION_STAGES, type ModelVersion } from "./entities.ts";
import { type ModelUri, parseModelUri } from "../models/model_uri.ts";
import type { ModelRegistryStore } from "./registry_store.ts";

/** The registry reads that resolving a `models:/` source needs. */
export type ModelSourceReader = Pick<
  ModelRegistryStore,
  "getModelVersion" | "getModelVersionDownloadUri" | "getModelVersionByAlias" | "getLatestVersions"
>;

/** A parsed `models:/…` URI. */
export type ModelsUri = Extract<ModelUri, { kind: "models" }>;

/**
 * The registered version a parsed `models:/` URI names: by number, the version an alias points at, the
 * latest in a stage, or the latest overall. The one place `models:/` URIs meet the registry (model loading
 * and `models:/` version sources both go through it).
 *
 * @example
 * ```ts
 * const v = await versionOfModelUri(store.registry, parseModelUri("models:/iris@champion") as ModelsUri);
 * ```
 */
export async function versionOfModelUri(registry: ModelSourceReader, ref: ModelsUri): Promise<ModelVersion> {
  if ("version" in ref) return await registry.getModelVersion(ref.name, ref.version);
  if ("alias" in ref) return await registry.getModelVersionByAlias(ref.name, ref.alias);
  if ("stage" in ref) {
    const stage = MODEL_VERSION_STAGES.find((s) => s.toLowerCase() === ref.stage.toLowerCase()) ?? ref.stage;
    const [latest] = await registry.getLatestVersions(ref.name, [stage]);
    if (!latest) {
      throw mlflowError(
        "RESOURCE_DOES_NOT_EXIST",
        `Registered model '${ref.name}' has no version in stage '${stage}'`,
      );
    }
    return latest;
  }
  const versions = await registry.getLatestVersions(ref.name);
  if (!versions.length) {
    throw mlflowError("RESOURCE_DOES_NOT_EXIST", `Registered model '${ref.name}' has no versions`);
  }
  return versions.reduce((a, b) => (Number(b.version) > Number(a.version) ? b : a));
}

/**
 * Where a new version's files are: the source itself, or — for a `models:/` source — the download URI
 * of the version it names.
 *
 * @example
 * ```ts
 * await storageLocationOf(store.registry, "models:/iris@champion"); // "file:///…/artifacts/model"
 * ```
 */
export async function storageLocationOf(registry: ModelSourceReader, source: string): Promise<string> {
  if (!/^models:/i.test(source.trim())) return source;
  try {
    const version = await versionOfModelUri(registry, parseModelUri(source) as ModelsUri);
    return await registry.getModelVersionDownloadUri(version.name, version.version);
  } catch (error) {
    if (!(error instanceof TrackingError)) throw error;
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Unable to fetch model from model URI source artifact location '${source}'. Error: ${error.message}`,
      "point the source at an existing version: models:/<name>/<version>, models:/<name>@<alias>",
    );
  }
}
