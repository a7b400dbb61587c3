/**
 * Why a `models:/` URI found nothing, in words that name the way out: the registered models there, the
 * model's versions, its aliases or its latest versions (MLflow's own messages name none). Loaded only when a
 * registry lookup fails.
 *
 * @module
 */
import { TrackingError } from "../../errors.ts";
import type { RegisteredModel } from "../registry/entities.ts";
import type { TrackingStore } from "../stores/store.ts";
import type { ModelUri } from "./model_uri.ts";
import { maskUriCredentials } from "../../uri_credentials.ts";

/**
 * The error to show for `error`, raised looking up `ref` in `store`'s registry: a kmlf error naming what the
 * registry has, or `error` itself when the store could not answer.
 *
 * @example
 * ```ts
 * throw await explainRegistryMiss(store, parseModelUri("models:/iris@champion"), error);
 * ```
 */
export async function explainRegistryMiss(
  store: TrackingStore,
  ref: Extract<ModelUri, { kind: "models" }>,
  error: unknown,
): Promise<unknown> {
  if (!(error instanceof TrackingError)) return error;
  let model: RegisteredModel;
  try {
    model = await store.registry.getRegisteredModel(ref.name);
  } catch (lookup) {
    // A name the store refuses to look up ("..", a path separator in the file store) is the URI's problem.
    if (lookup instanceof TrackingError && lookup.code === "INVALID_PARAMETER_VALUE") {
      return new TrackingError("model/bad-uri", `Cannot use model URI "${ref.uri}": ${lookup.message}`, {
        hint: "write models:/<registered model name>/<version>, with the name as the registry lists it",
      });
    }
    // Only a model the store says it does not have is "unknown"; an unreachable store keeps its own error.
    if (!(lookup instanceof TrackingError && lookup.code === "RESOURCE_DOES_NOT_EXIST")) return error;
    const where = maskUriCredentials(store.uri);
    const { registeredModels } = await store.registry.searchRegisteredModels({ maxResults: 20 })
      .catch(() => ({ registeredModels: [] }));
    return new TrackingError("model/unknown-model", `No registered model "${ref.name}" in ${where}`, {
      cause: error,
      hint: registeredModels.length
        ? `registered models: ${registeredModels.map((m) => m.name).join(", ")}`
        : "none is registered there yet: kmlf models register -m runs:/<run_id>/model -n <name> " +
          "(or check the tracking URI: mlflow.yml, else MLFLOW_TRACKING_URI)",
    });
  }
  if ("version" in ref) {
    if (error.code !== "RESOURCE_DOES_NOT_EXIST") return error;
    const { modelVersions } = await store.registry.searchModelVersions({
      // A backslash before each quote and backslash (registry_api.js's quote): a name like a\'b reads back.
      filter: `name = '${ref.name.replace(/[\\']/g, "\\$&")}'`,
      orderBy: ["version_number DESC"],
      maxResults: 20,
    }).catch(() => ({ modelVersions: [] }));
    return new TrackingError(
      "model/unknown-version",
      `Registered model "${ref.name}" has no version ${ref.version}`,
      {
        cause: error,
        hint: modelVersions.length
          ? `its versions: ${
            modelVersions.map((v) => v.version).join(", ")
          }; or use models:/${ref.name}/latest`
          : `it has no versions yet: kmlf models register -m runs:/<run_id>/model -n ${ref.name}`,
      },
    );
  }
  if ("alias" in ref) {
    const aliases = Object.entries(model.aliases).map(([alias, v]) => `${alias} → ${v}`);
    return new TrackingError(
      "model/unknown-alias",
      `Registered model "${ref.name}" has no alias "${ref.alias}"`,
      {
        cause: error,
        hint: aliases.length
          ? `aliases: ${aliases.join(", ")}`
          : `set one first: kmlf models alias ${ref.name} ${ref.alias} <version> (or on the model's page in kmlf's UI), or use models:/${ref.name}/<version>`,
      },
    );
  }
  const versions = model.latestVersions.map((v) => `${v.version} (${v.currentStage})`);
  return new TrackingError(
    "model/no-version",
    "stage" in ref
      ? `Registered model "${ref.name}" has no version in stage ${ref.stage}`
      : `Registered model "${ref.name}" has no versions`,
    { cause: error, hint: `latest versions: ${versions.join(", ") || "none"}` },
  );
}
