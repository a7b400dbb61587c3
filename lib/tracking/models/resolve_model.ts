/**
 * From a model URI to a local folder holding the model: run artifacts and registry versions through the
 * tracking store, downloads cached by run id (artifacts of local stores are read where they are).
 *
 * @module
 */
import { dirname, join, posix } from "../../path.ts";
import { TrackingError } from "../../errors.ts";
import { statOrUndefined } from "../../fs_utils.ts";
import { localPathOfUri } from "../artifacts/local_repository.ts";
import type { ModelVersion, RegisteredModel } from "../registry/entities.ts";
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
      if (!info?.isDirectory) {
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
      const dir = await fetchArtifacts(store, run.info.artifactUri, parsed.path, {
        cacheKey: join(parsed.runId, parsed.path),
        cacheDir: options.cacheDir,
        what: parsed.uri,
      });
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
        throw await explainRegistryMiss(store, parsed, error);
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
      const source = version.source.startsWith("runs:") || !version.runId
        ? version.source
        : runsUriOf(version);
      const resolved = await resolveParsed(parseModelUri(source, options), options, depth + 1);
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
    throw await explainRegistryMiss(store, parsed, error);
  });
}

// The registry's own words (MLflow's) name no way out: say which aliases or versions the model has.
async function explainRegistryMiss(
  store: TrackingStore,
  ref: Extract<ModelUri, { kind: "models" }>,
  error: unknown,
): Promise<unknown> {
  if (!(error instanceof TrackingError)) return error;
  let model: RegisteredModel;
  try {
    model = await store.registry.getRegisteredModel(ref.name);
  } catch (lookup) {
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
      filter: `name = '${ref.name.replaceAll("'", "\\'")}'`,
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

// A version whose source is an artifact location under its run: read it through the run.
function runsUriOf(version: ModelVersion): string {
  const m = version.source!.match(/\/artifacts\/(.+)$/);
  return m ? `runs:/${version.runId}/${m[1]}` : version.source!;
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
  Deno.mkdirSync(dirname(target), { recursive: true });
  const partial = await Deno.makeTempDir({ dir: dirname(target), prefix: ".download-" });
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
