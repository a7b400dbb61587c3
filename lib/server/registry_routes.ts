/**
 * Model registry endpoints, read-only, for stores that hold a registry (an MLflow SQLite database):
 * search/get registered models and model versions, and a version's download URI. Writes answer
 * 501 NOT_IMPLEMENTED with a hint, as does every registry call on a store without one.
 *
 * @module
 */
import { mlflowError, type ModelRegistryReader } from "../tracking/mod.ts";
import { int, type RequestMessage, requiredStr, str } from "./request_message.ts";
import { pageBody } from "./responses.ts";

type RegistryRead = (registry: ModelRegistryReader, msg: RequestMessage) => unknown;

/** The read RPCs by path (GET in MLflow; searches and get-latest-versions also accept POST). */
const READS: Record<string, RegistryRead> = {
  "registered-models/search": (r, msg) => {
    const page = r.searchRegisteredModels({
      filter: str(msg, "filter"),
      maxResults: int(msg, "max_results"),
      pageToken: str(msg, "page_token"),
    });
    return pageBody("registered_models", page.registeredModels, page.nextPageToken);
  },
  "registered-models/get": (r, msg) => ({ registered_model: r.getRegisteredModel(requiredStr(msg, "name")) }),
  "registered-models/get-latest-versions": (r, msg) => {
    const versions = r.getRegisteredModel(requiredStr(msg, "name")).latest_versions ?? [];
    return versions.length ? { model_versions: versions } : {};
  },
  "model-versions/search": (r, msg) => {
    const page = r.searchModelVersions({
      filter: str(msg, "filter"),
      maxResults: int(msg, "max_results"),
      pageToken: str(msg, "page_token"),
    });
    return pageBody("model_versions", page.modelVersions, page.nextPageToken);
  },
  "model-versions/get": (r, msg) => ({
    model_version: r.getModelVersion(requiredStr(msg, "name"), requiredStr(msg, "version")),
  }),
  "model-versions/get-download-uri": (r, msg) => ({
    artifact_uri: r.getModelVersion(requiredStr(msg, "name"), requiredStr(msg, "version")).source ?? "",
  }),
};

/**
 * Answers a registry RPC (`rest` = the path after `/api/2.0/mlflow/`).
 *
 * @example
 * ```ts
 * handleRegistry(store.registry, "GET", "registered-models/search", {});
 * ```
 */
export function handleRegistry(
  registry: ModelRegistryReader | undefined,
  method: string,
  rest: string,
  msg: RequestMessage,
): unknown {
  const read = READS[rest];
  if (!registry) {
    throw mlflowError(
      "NOT_IMPLEMENTED",
      `This store has no model registry (${rest})`,
      "kmlf serves the registry of an MLflow SQLite database; use an MLflow server for a file store's registry",
    );
  }
  const postAllowed = rest.endsWith("/search") || rest === "registered-models/get-latest-versions";
  if (!read || (method !== "GET" && !(method === "POST" && postAllowed))) {
    throw mlflowError(
      "NOT_IMPLEMENTED",
      `kmlf serves the model registry read-only; ${method} ${rest} is not supported`,
      "register and edit models with an MLflow server pointed at the same database",
    );
  }
  return read(registry, msg);
}
