/**
 * From a model URI to a local folder holding the model: run artifacts and registry versions through the
 * tracking store, downloads cached by run id (artifacts of local stores are read where they are).
 *
 * @module
 */
import { basename, dirname, join, posix } from "../../path.ts";
import { TrackingError } from "../../errors.ts";
import { statOrUndefined } from "../../fs_utils.ts";
import { localPathOfUri } from "../artifacts/local_repository.ts";
import { artifactPathInUri } from "../artifacts/artifact_uri_join.ts";
import type { ModelVersion } from "../registry/entities.ts";
import { versionOfModelUri } from "../registry/models_source.ts";
import type { TrackingStore } from "../stores/store.ts";
import { type ModelUri, parseModelUri } from "./model_uri.ts";
import { writeTextFile } from "../../file_io.ts";
import { maskUriCredentials } from "../../uri_credentials.ts";

/** Where a model was found. */
export interface ResolvedModel {
  /** The local model folder (holds `MLmodel`). */
  dir: string;
  /** The URI as given. */
  uri: string;
  /** The run that logged it, when known. */
  runId?: string;
  /** For `models:/` URIs: the registered version it resolved to. */
  version?: ModelVersion;
}

/** Options of {@link resolveModel}. */
export interface ResolveModelOptions {
  /** The tracking store (needed for `runs:/`, `models:/` and `mlflow-artifacts:/`). */
  store?: TrackingStore;
  /** Downloads of remote artifacts go to `<cacheDir>/<run id>/<path>` and are reused. */
  cacheDir: string;
  /** Relative local paths resolve against it (default: the working directory). */
  baseDir?: string;
}

/**
 * Resolves a model URI to a local folder (downloading remote artifacts once per run and path).
 *
 * @example
 * ```ts
 * const { dir } = await resolveModel("runs:/0a1b…/model", { store, cacheDir: "/home/me/.cache/kmlf/models" });
 * ```
 */
export async function resolveModel(uri: string, options: ResolveModelOptions): Promise<ResolvedModel> {
  return await resolveParsed(parseModelUri(uri, options), options, 0);
}

async function resolveParsed(
  parsed: ModelUri,
  options: ResolveModelOptions,
  depth: number,
): Promise<ResolvedModel> {
  switch (parsed.kind) {
    case "local": {
      const info = statOrUndefined(parsed.path);
      if (info && !info.isDirectory) {
        // The MLmodel file itself (or another file of the model) is a near miss: name the folder to pass.
        const mlmodel = basename(parsed.path) === "MLmodel";
        throw new TrackingError("model/not-found", `${parsed.path} is a file, not a model folder`, {
          hint: mlmodel
            ? `pass the folder holding it: ${dirname(parsed.path)}`
            : "pass the folder holding MLmodel, or runs:/<run_id>/model",
        });
      }
      if (!info) {
        throw new TrackingError("model/not-found", `Model folder ${parsed.path} does not exist`, {
          hint: "pass the folder holding MLmodel, or runs:/<run_id>/model",
        });
      }
      return { dir: parsed.path, uri: parsed.uri };
    }
    case "runs": {
      const store = needStore(parsed.uri, options);
      const run = await store.getRun(parsed.runId).catch((cause) => {
        throw new TrackingError(
          "model/run-not-found",
          `Cannot find run ${parsed.runId} of ${parsed.uri} in ${maskUriCredentials(store.uri)}`,
          {
            hint:
              "check the run id, and that the tracking URI (mlflow.yml or MLFLOW_TRACKING_URI) is the store the run was logged to",
            cause,
          },
        );
      });
      // A path that holds no model (a typo, a file, a folder of other artifacts) is refused here, with the
      // paths of the run that do hold one: loading would only say which folder lacks MLmodel.
      const noModel = async (cause?: unknown) =>
        new TrackingError("model/not-found", `No model at ${parsed.uri}`, {
          cause,
          hint: await runModelsHint(store, run.info.artifactUri, parsed.runId),
        });
      const dir = await fetchArtifacts(store, run.info.artifactUri, parsed.path, {
        cacheKey: join(parsed.runId, parsed.path),
        cacheDir: options.cacheDir,
        what: parsed.uri,
      }).catch(async (error) => {
        throw error instanceof TrackingError && error.code === "model/not-found"
          ? await noModel(error.cause)
          : error;
      });
      if (!statOrUndefined(join(dir, "MLmodel"))?.isFile) throw await noModel();
      return { dir, uri: parsed.uri, runId: parsed.runId };
    }
    case "mlflow-artifacts": {
      const store = needStore(parsed.uri, options);
      if (store.kind !== "rest") {
        throw new TrackingError(
          "model/needs-server",
          `Cannot read ${parsed.uri} from ${maskUriCredentials(store.uri)}`,
          {
            hint:
              "mlflow-artifacts:/ URIs are served by a tracking server: set MLFLOW_TRACKING_URI=http://<host>:<port>",
          },
        );
      }
      const parent = posix.dirname(parsed.path);
      const dir = await fetchArtifacts(
        store,
        `mlflow-artifacts:/${parent === "." ? "" : parent}`,
        posix.basename(parsed.path),
        { cacheKey: join("mlflow-artifacts", parsed.path), cacheDir: options.cacheDir, what: parsed.uri },
      );
      return { dir, uri: parsed.uri };
    }
    case "models": {
      const store = needStore(parsed.uri, options);
      const version = await versionOfModelUri(store.registry, parsed).catch(async (error) => {
        throw await (await registryMiss()).explainRegistryMiss(store, parsed, error);
      });
      if (!version.source || depth > 2) {
        throw new TrackingError(
          "model/bad-source",
          `Model version ${version.name}/${version.version} has no usable source`,
          {
            hint: "register the version from runs:/<run_id>/<path>",
          },
        );
      }
      // A models:/ source named another version as it was at registration: its files are the location the
      // registry recorded then (MLflow's storage_location), not what the URI names now (an alias since
      // moved to another model, or that version deleted).
      const location = /^models:/i.test(version.source)
        ? await store.registry.getModelVersionDownloadUri(version.name, version.version)
        : version.source;
      const resolved = await versionFiles(store, version, location, options, depth).catch((error) => {
        throw versionFilesMissing(parsed.uri, version, location, error);
      });
      return { ...resolved, uri: parsed.uri, runId: resolved.runId ?? version.runId ?? undefined, version };
    }
  }
}

/**
 * The registered version a `models:/` URI names (`/<version>`, `/<stage>`, `/latest`, `@<alias>`); a miss
 * names the model's versions or aliases, as model loading does.
 *
 * @example
 * ```ts
 * const version = await modelVersionOfUri(store, "models:/iris@champion");
 * ```
 */
export async function modelVersionOfUri(store: TrackingStore, uri: string): Promise<ModelVersion> {
  const parsed = parseModelUri(uri);
  if (parsed.kind !== "models") {
    throw new TrackingError("model/bad-uri", `Cannot use model URI "${uri}": it is not a models:/ URI`, {
      hint: "write models:/<name>/<version|stage|latest> or models:/<name>@<alias>",
    });
  }
  return await versionOfModelUri(store.registry, parsed).catch(async (error) => {
    throw await (await registryMiss()).explainRegistryMiss(store, parsed, error);
  });
}

// A version whose source is an artifact location under its run is read through the run (its artifact
// repository, cached by run id); when the run is gone (deleted by MLflow's gc, or from another store), the
// files are read from the source itself, as MLflow's ModelsArtifactRepository always does.
async function versionFiles(
  store: TrackingStore,
  version: ModelVersion,
  source: string,
  options: ResolveModelOptions,
  depth: number,
): Promise<ResolvedModel> {
  // The source's tail is encoded as its scheme reads it (registerModel's joinArtifactUri; MLflow's reader
  // decodes it too): `…/artifacts/my%20model` is the folder `my model`.
  const tail = !/^(runs|models):/i.test(source) && version.runId
    ? source.match(/\/artifacts\/(.+)$/)?.[1]
    : undefined;
  const underRun = tail === undefined ? undefined : artifactPathInUri(source, tail);
  if (underRun === undefined) return await resolveParsed(parseModelUri(source, options), options, depth + 1);
  const viaRun = `runs:/${version.runId}/${underRun}`;
  try {
    return await resolveParsed(parseModelUri(viaRun, options), options, depth + 1);
  } catch (error) {
    if (!(isMissing(error) && error.code === "model/run-not-found")) throw error;
  }
  const cut = source.replace(/\/+$/, "").lastIndexOf("/");
  const dir = await fetchArtifacts(
    store,
    source.slice(0, cut),
    artifactPathInUri(source, source.slice(cut + 1)),
    {
      cacheKey: join(version.runId!, underRun),
      cacheDir: options.cacheDir,
      what: source,
    },
  );
  return { dir, uri: source };
}

// A run or model folder the store says is not there (not one it could not reach).
function isMissing(error: unknown): error is TrackingError {
  if (!(error instanceof TrackingError) || !/^model\/(not-found|run-not-found)$/.test(error.code)) {
    return false;
  }
  const cause = error.cause;
  return cause === undefined || (cause instanceof TrackingError && cause.code === "RESOURCE_DOES_NOT_EXIST");
}

// A registered version whose files cannot be read: said of the version the user named, not of the run or
// folder it points at (which the user never typed), with the ways out.
function versionFilesMissing(uri: string, version: ModelVersion, source: string, error: unknown): unknown {
  if (!isMissing(error)) return error;
  return new TrackingError(
    "model/version-files-missing",
    `Cannot load ${uri}: registered model "${version.name}" version ${version.version} has no model at ` +
      `its source ${source}`,
    {
      cause: error.cause ?? error,
      hint: `register the model again from a run that has it (kmlf models register -m runs:/<run_id>/model ` +
        `-n ${version.name}) and point aliases at the new version (kmlf models alias ${version.name} ` +
        `<alias> <version>); delete version ${version.version} in the UI`,
    },
  );
}

// The run's top-level artifact folders holding an MLmodel file, as the hint of a path that holds none.
async function runModelsHint(store: TrackingStore, artifactUri: string, runId: string): Promise<string> {
  const repo = store.getArtifactRepository(artifactUri);
  const found: string[] = [];
  const folders = (await repo.listArtifacts().catch(() => [])).filter((f) => f.isDir).slice(0, 50);
  for (const folder of folders) {
    const inside = await repo.listArtifacts(folder.path).catch(() => []);
    if (inside.some((f) => !f.isDir && posix.basename(f.path) === "MLmodel")) found.push(folder.path);
  }
  return found.length
    ? `the run's models: ${found.map((path) => `runs:/${runId}/${path}`).join(", ")}`
    : "this run logged no model: kmlf run logs one for a training pipeline with an inference: section " +
      "(log_model.name names its folder, model by default)";
}

function needStore(uri: string, options: ResolveModelOptions): TrackingStore {
  if (!options.store) {
    throw new TrackingError("model/no-store", `Cannot resolve ${uri} without a tracking store`, {
      hint: "run inside a kmlf project (its mlflow.yml names the store) or set MLFLOW_TRACKING_URI",
    });
  }
  return options.store;
}

// Local artifact roots are read in place; others are downloaded once into the cache.
async function fetchArtifacts(
  store: TrackingStore,
  rootUri: string,
  path: string,
  cache: { cacheKey: string; cacheDir: string; what: string },
): Promise<string> {
  const repo = store.getArtifactRepository(rootUri);
  const notFound = (cause?: unknown) =>
    new TrackingError("model/not-found", `No model at ${cache.what}`, {
      hint:
        "check the artifact path (kmlf logs the model under `model/` unless log_model.name says otherwise)",
      cause,
    });
  if (localPathOfUri(repo.rootUri) !== undefined) {
    const dir = await repo.downloadArtifacts(path).catch((cause) => {
      throw notFound(cause);
    });
    if (!statOrUndefined(dir)?.isDirectory) throw notFound();
    return dir;
  }
  const target = join(cache.cacheDir, cache.cacheKey);
  if (statOrUndefined(join(target, ".kmlf-complete"))) return target;
  let partial: string;
  try {
    Deno.mkdirSync(dirname(target), { recursive: true });
    partial = await Deno.makeTempDir({ dir: dirname(target), prefix: ".download-" });
  } catch (cause) {
    // The cache folder comes from the environment ($KMLF_CACHE_DIR, $XDG_CACHE_HOME, $HOME).
    throw new TrackingError(
      "model/cache-unwritable",
      `Cannot download ${cache.what} into the model cache ${cache.cacheDir}: ${(cause as Error).message}`,
      { hint: "set KMLF_CACHE_DIR to a folder kmlf can write (models are downloaded to <it>/models)", cause },
    );
  }
  try {
    const got = await repo.downloadArtifacts(path, partial).catch((cause) => {
      throw notFound(cause);
    });
    if (!statOrUndefined(got)?.isDirectory) throw notFound();
    await writeTextFile(join(got, ".kmlf-complete"), new Date().toISOString());
    await Deno.remove(target, { recursive: true }).catch(() => {});
    Deno.renameSync(got, target);
    return target;
  } finally {
    await Deno.remove(partial, { recursive: true }).catch(() => {});
  }
}

/**
 * The default download cache for models: `$KMLF_CACHE_DIR/models`, `$XDG_CACHE_HOME/kmlf/models`, or
 * `~/.cache/kmlf/models`.
 *
 * @example
 * ```ts
 * defaultModelCacheDir({ HOME: "/home/me" }); // "/home/me/.cache/kmlf/models"
 * ```
 */
export function defaultModelCacheDir(env: Record<string, string> = Deno.env.toObject()): string {
  if (env.KMLF_CACHE_DIR) return join(env.KMLF_CACHE_DIR, "models");
  const base = env.XDG_CACHE_HOME ?? join(env.HOME ?? env.USERPROFILE ?? Deno.cwd(), ".cache");
  return join(base, "kmlf", "models");
}

// By computed URL: loaded only when a registry lookup fails.
const registryMiss = (): Promise<typeof import("./registry_miss.ts")> =>
  import(new URL("./registry_miss.ts", import.meta.url).href);
