/**
 * A model version whose source is another registered version (`models:/<name>/<version>`,
 * `models:/<name>/<stage>`, `models:/<name>/latest`, `models:/<name>@<alias>`) stores where that
 * version's files are (MLflow's `storage_location`), so downloads do not chase a chain of URIs.
 *
 * @module
 */
import { TrackingError } from "../../errors.ts";
import { mlflowError } from "../tracking_errors.ts";
import { MODEL_VERSION_STAGES } from "./entities.ts";
import type { ModelRegistryStore } from "./registry_store.ts";

/** The registry reads that resolving a `models:/` source needs. */
export type ModelSourceReader = Pick<
  ModelRegistryStore,
  "getModelVersionDownloadUri" | "getModelVersionByAlias" | "getLatestVersions"
>;

/** The version a `models:/` URI names, as its parts (undefined when the URI is not `models:/…`). */
function parseModelsSource(source: string): { name: string; ref: string; isAlias: boolean } | undefined {
  const m = source.match(/^models:\/(?!\/)(.+)$/);
  if (!m) return undefined;
  const body = m[1];
  const at = body.lastIndexOf("@");
  const slash = body.lastIndexOf("/");
  if (at > slash && at > 0) return { name: body.slice(0, at), ref: body.slice(at + 1), isAlias: true };
  if (slash <= 0) return { name: body, ref: "", isAlias: false };
  return { name: body.slice(0, slash), ref: body.slice(slash + 1), isAlias: false };
}

async function versionOf(
  registry: ModelSourceReader,
  name: string,
  ref: string,
  isAlias: boolean,
): Promise<string> {
  if (isAlias) return (await registry.getModelVersionByAlias(name, ref)).version;
  if (/^\d+$/.test(ref)) return ref;
  if (ref.toLowerCase() === "latest") {
    const versions = await registry.getLatestVersions(name);
    if (!versions.length) {
      throw mlflowError("RESOURCE_DOES_NOT_EXIST", `Registered model '${name}' has no versions`);
    }
    return String(Math.max(...versions.map((v) => Number(v.version))));
  }
  const stage = MODEL_VERSION_STAGES.find((s) => s.toLowerCase() === ref.toLowerCase());
  if (!stage) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `'${ref}' is neither a version number, a stage (${MODEL_VERSION_STAGES.join(", ")}) nor 'latest'`,
    );
  }
  const [latest] = await registry.getLatestVersions(name, [stage]);
  if (!latest) {
    throw mlflowError(
      "RESOURCE_DOES_NOT_EXIST",
      `Registered model '${name}' has no version in stage '${stage}'`,
    );
  }
  return latest.version;
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
  const parsed = parseModelsSource(source);
  if (!parsed) return source;
  try {
    if (!parsed.ref) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        "expected models:/<name>/<version> or models:/<name>@<alias>",
      );
    }
    const version = await versionOf(registry, parsed.name, parsed.ref, parsed.isAlias);
    return await registry.getModelVersionDownloadUri(parsed.name, version);
  } catch (error) {
    if (!(error instanceof TrackingError)) throw error;
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Unable to fetch model from model URI source artifact location '${source}'. Error: ${error.message}`,
      "point the source at an existing version: models:/<name>/<version>, models:/<name>@<alias>",
    );
  }
}
