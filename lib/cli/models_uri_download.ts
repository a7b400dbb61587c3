/**
 * `kmlf artifacts download --artifact-uri models:/…`, as MLflow 2.17.2's `download_artifacts` resolves it
 * (`ModelsArtifactRepository`): the URI splits into the version (`models:/<name>/<version|stage|latest>`
 * or `models:/<name>@<alias>`) and a path inside it; the registry gives the version's download URI, and the
 * files come from that artifact repository. A download of the model's root (a folder holding `MLmodel`)
 * gets MLflow's `registered_model_meta` file naming the version.
 *
 * Where kmlf differs on purpose: without `--dest-path` the files always go to a new temp folder (MLflow
 * hands back a local store's own folder and writes `registered_model_meta` into the run's artifacts).
 *
 * @module
 */
import { join } from "../path.ts";
import { statOrUndefined } from "../fs_utils.ts";
import { makeTempFolder } from "../temp_folder.ts";
import { pyyamlDump } from "../yaml/pyyaml_dump.ts";
import { writeTextFile } from "../file_io.ts";
import { modelVersionOfUri, safeArtifactPath, type TrackingStore } from "../tracking/mod.ts";
import { runIdNotFound } from "./cli_store.ts";

/**
 * MLflow's `ModelsArtifactRepository.split_models_uri`: `models:/iris/1/data/x` → `["models:/iris/1",
 * "data/x"]`, `models:/iris@champion/data` → `["models:/iris@champion", "data"]`.
 *
 * @example
 * ```ts
 * splitModelsUri("models:/iris/1/MLmodel"); // ["models:/iris/1", "MLmodel"]
 * ```
 */
export function splitModelsUri(uri: string): [string, string] {
  const text = uri.trim().replace(/\/+$/, "");
  const body = text.replace(/^models:\/*/i, "");
  const parts = body.split("/");
  const cut = parts[0].includes("@") ? 1 : 2;
  if (parts.length <= cut) return [text, ""];
  return [`models:/${parts.slice(0, cut).join("/")}`, parts.slice(cut).join("/")];
}

/**
 * Downloads the registered version (or a path inside it) a `models:/` URI names into `destPath` (else a
 * new temp folder) and returns the local path.
 *
 * @example
 * ```ts
 * await downloadModelsUri(store, "models:/iris@champion", "out", "sqlite:///mlflow.db (…)"); // "out"
 * ```
 */
export async function downloadModelsUri(
  store: TrackingStore,
  uri: string,
  destPath: string | undefined,
  where: string,
): Promise<string> {
  const [versionUri, path] = splitModelsUri(uri);
  const inside = path === "" ? "" : safeArtifactPath(path);
  const version = await modelVersionOfUri(store, versionUri);
  const location = await store.registry.getModelVersionDownloadUri(version.name, version.version);
  const dest = destPath ?? await makeTempFolder("kmlf-model-");
  const repo = await versionRepository(store, location, where, `the source of --artifact-uri ${uri}`);
  const local = await repo.downloadArtifacts(inside, dest);
  if (statOrUndefined(join(local, "MLmodel"))?.isFile) {
    // MLflow's `_add_registered_model_meta_file`: which version these files are.
    await writeTextFile(
      join(local, "registered_model_meta"),
      pyyamlDump({ model_name: version.name, model_version: String(version.version) }),
    );
  }
  return local;
}

// A version's files: an artifact location, or (sources registered as such) `runs:/<run_id>/<path>`.
async function versionRepository(store: TrackingStore, location: string, where: string, flag: string) {
  const runs = location.match(/^runs:\/+([^/]+)\/?(.*?)\/*$/i);
  if (!runs) return store.getArtifactRepository(location);
  const run = await store.getRun(runs[1]).catch((error) => {
    throw runIdNotFound(error, runs[1], where, flag);
  });
  const root = run.info.artifactUri.replace(/\/+$/, "");
  return store.getArtifactRepository(runs[2] ? `${root}/${safeArtifactPath(runs[2])}` : root);
}
