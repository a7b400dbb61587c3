/**
 * `mlflow.yml`: kedro-mlflow 2.0's schema (server / tracking / ui), validated strictly so a typo is an
 * error with file:line:column and did-you-mean, plus kmlf's `tracking.log_files` and
 * `tracking.log_outputs_not_in_catalog`.
 */
import { foreignPathProblem, isAbsolute, pathToFileUri, percentDecode, resolve } from "../path.ts";
import { cachedSchema, z } from "../zod/mod.ts";
import { ConfigError, type SourceLocation, throwIfAny } from "../errors.ts";
import { legacyLayoutErrors } from "./legacy_mlflow_yml.ts";
import type { KeyPath } from "../yaml/parse_yaml.ts";
import { validateWith } from "../yaml/validate.ts";
import { statIfAny } from "../fs_utils.ts";
import { maskUriCredentials } from "../uri_credentials.ts";

const Nullable = <T extends z.ZodMiniType>(t: T) => z.optional(z.nullable(t));

const Schema = cachedSchema("mlflow.yml", () =>
  z.strictObject({
    server: z.prefault(
      z.strictObject({
        mlflow_tracking_uri: Nullable(z.string()),
        mlflow_registry_uri: Nullable(z.string()),
        credentials: Nullable(z.string()),
        request_header_provider: z.prefault(
          z.strictObject({
            type: Nullable(
              z.string().check(
                z.regex(
                  /^.+\.(ts|js|mts|mjs)#[A-Za-z_$][\w$]*$/,
                  // kedro-mlflow's value is a Python dotted path (my_package.auth.MyProvider).
                  'must name a TypeScript class as "./src/auth.ts#TokenProvider" (module from the project root, ' +
                    "then its export), where kedro-mlflow takes a Python path like my_package.auth.MyProvider",
                ),
              ),
            ),
            pass_context: z._default(z.boolean(), false),
            init_kwargs: z._default(z.nullable(z.record(z.string(), z.unknown())), {}),
          }),
          {},
        ),
      }),
      {},
    ),
    tracking: z.prefault(
      z.strictObject({
        disable_tracking: z.prefault(
          z.strictObject({
            disable_autologging: z._default(z.boolean(), true),
            pipelines: z._default(z.nullable(z.array(z.string())), []),
          }),
          {},
        ),
        experiment: z.prefault(
          z.strictObject({
            name: Nullable(z.string().check(z.minLength(1))),
            create_experiment_kwargs: z.prefault(
              z.strictObject({
                artifact_location: Nullable(z.string()),
                tags: Nullable(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
              }),
              {},
            ),
            restore_if_deleted: z._default(z.boolean(), true),
          }),
          {},
        ),
        run: z.prefault(
          z.strictObject({
            id: Nullable(z.string()),
            name: Nullable(z.string()),
            nested: z._default(z.boolean(), true),
          }),
          {},
        ),
        params: z.prefault(
          z.strictObject({
            dict_params: z.prefault(
              z.strictObject({
                flatten: z._default(z.boolean(), false),
                recursive: z._default(z.boolean(), true),
                sep: z._default(z.string(), "."),
              }),
              {},
            ),
            long_params_strategy: z._default(z.enum(["fail", "truncate", "tag"]), "fail"),
          }),
          {},
        ),
        log_files: z.prefault(
          z.strictObject({
            before: z._default(z.nullable(z.array(z.string())), []),
            after: z._default(z.nullable(z.array(z.string())), []),
          }),
          {},
        ),
        log_outputs_not_in_catalog: z._default(z.boolean(), false),
      }),
      {},
    ),
    ui: z.prefault(
      z.strictObject({
        // null (kedro-mlflow 0.7's template) means the default, as an absent key does.
        port: z._default(z.nullable(z.union([z.string().check(z.regex(/^\d+$/)), z.int()])), "5000"),
        host: z._default(z.nullable(z.string()), "127.0.0.1"),
      }),
      {},
    ),
  }));

/** The validated `mlflow.yml`, camelCase, with defaults filled in and paths still as written. */
export interface MlflowConfig {
  server: {
    trackingUri: string | null;
    registryUri: string | null;
    credentials: string | null;
    requestHeaderProvider: { type: string | null; passContext: boolean; initKwargs: Record<string, unknown> };
  };
  tracking: {
    disablePipelines: string[];
    disableAutologging: boolean;
    experiment: {
      name: string;
      artifactLocation: string | null;
      tags: Record<string, string>;
      restoreIfDeleted: boolean;
    };
    run: { id: string | null; name: string | null; nested: boolean };
    params: {
      flatten: boolean;
      recursive: boolean;
      sep: string;
      longParamsStrategy: "fail" | "truncate" | "tag";
    };
    /** Paths or globs relative to the project root. */
    logFiles: { before: string[]; after: string[] };
    /** pipelinex's auto-logging: node outputs not in the catalog as metrics (numbers) or params. */
    logOutputsNotInCatalog: boolean;
  };
  ui: { port: number; host: string };
  /** Where each key came from, for later errors (e.g. an unknown credentials name). */
  locate(path: KeyPath): SourceLocation | undefined;
  /** The files that contributed (empty when there is no mlflow.yml). */
  files: string[];
}

/**
 * Validates the merged `mlflow` config; the experiment name defaults to the project name.
 *
 * @example
 * ```ts
 * const cfg = parseMlflowConfig({ data: {}, files: [], locate: () => undefined }, { projectName: "iris" });
 * cfg.tracking.experiment.name; // "iris"
 * ```
 */
export function parseMlflowConfig(
  loaded: {
    data: Record<string, unknown>;
    files: string[];
    locate(path: KeyPath): SourceLocation | undefined;
  },
  options: { projectName: string; projectRoot?: string },
): MlflowConfig {
  // A 0.7 layout would be unknown keys with no guidance: say where each moved, all together.
  throwIfAny(legacyLayoutErrors(loaded.data ?? {}, (path) => loaded.locate(path)), "Invalid mlflow.yml");
  const raw = validateWith(Schema, loaded.data ?? {}, loaded, {
    code: "mlflow/config-invalid",
    what: "mlflow.yml",
  });
  const port = Number(raw.ui.port ?? "5000");
  if (port < 1 || port > 65535) {
    throw new ConfigError("mlflow/config-invalid", `ui.port ${port} is not a valid port`, {
      source: loaded.locate(["ui", "port"]),
      hint: "use a number from 1 to 65535",
    });
  }
  const tags = raw.tracking.experiment.create_experiment_kwargs.tags ?? {};
  const location = raw.tracking.experiment.create_experiment_kwargs.artifact_location ?? null;
  const foreign = location === null ? undefined : foreignPathProblem(location);
  if (foreign) {
    throw new ConfigError(
      "mlflow/config-invalid",
      `Cannot use artifact_location "${location}": ${foreign.problem}`,
      {
        source: loaded.locate(["tracking", "experiment", "create_experiment_kwargs", "artifact_location"]),
        hint: foreign.hint,
      },
    );
  }
  return {
    server: {
      trackingUri: raw.server.mlflow_tracking_uri ?? null,
      registryUri: raw.server.mlflow_registry_uri ?? null,
      credentials: raw.server.credentials ?? null,
      requestHeaderProvider: {
        type: raw.server.request_header_provider.type ?? null,
        passContext: raw.server.request_header_provider.pass_context,
        initKwargs: raw.server.request_header_provider.init_kwargs ?? {},
      },
    },
    tracking: {
      disablePipelines: raw.tracking.disable_tracking.pipelines ?? [],
      disableAutologging: raw.tracking.disable_tracking.disable_autologging,
      experiment: {
        name: raw.tracking.experiment.name ?? options.projectName,
        artifactLocation: resolveArtifactLocation(location, options.projectRoot),
        tags: Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)])),
        restoreIfDeleted: raw.tracking.experiment.restore_if_deleted,
      },
      run: {
        id: raw.tracking.run.id ?? null,
        name: raw.tracking.run.name ?? null,
        nested: raw.tracking.run.nested,
      },
      params: {
        flatten: raw.tracking.params.dict_params.flatten,
        recursive: raw.tracking.params.dict_params.recursive,
        sep: raw.tracking.params.dict_params.sep,
        longParamsStrategy: raw.tracking.params.long_params_strategy,
      },
      logFiles: { before: raw.tracking.log_files.before ?? [], after: raw.tracking.log_files.after ?? [] },
      logOutputsNotInCatalog: raw.tracking.log_outputs_not_in_catalog,
    },
    ui: { port, host: raw.ui.host ?? "127.0.0.1" },
    locate: (path) => loaded.locate(path),
    files: loaded.files,
  };
}

/**
 * The tracking URI to use: `mlflow.yml`, else `MLFLOW_TRACKING_URI`, else the project's `mlflow.db`
 * (like MLflow ≥ 3.7). Relative paths (and `sqlite:///rel.db`) resolve against the project root.
 *
 * @example
 * ```ts
 * resolveTrackingUri(null, { projectRoot: "/p", envUri: undefined }); // "sqlite:////p/mlflow.db"
 * ```
 */
export function resolveTrackingUri(
  configured: string | null,
  options: { projectRoot: string; envUri?: string },
): string {
  const uri = configured ?? options.envUri ?? "mlflow.db";
  if (/^sqlite:\/\/\//.test(uri)) {
    const path = uri.slice("sqlite:///".length);
    return path.startsWith("/") || foreignPathProblem(path)
      ? uri
      : `sqlite:///${resolve(options.projectRoot, path)}`;
  }
  // A URI, or a path no user means literally (`~/…`, `C:\\…`): as written, for the store to refuse. As in
  // kedro-mlflow's _validate_uri, "databricks" and "databricks-uc" are MLflow's names, not folders.
  if (/^[a-z][\w+.-]*:/i.test(uri) || /^databricks(-uc)?$/i.test(uri) || foreignPathProblem(uri)) return uri;
  const abs = isAbsolute(uri) ? uri : resolve(options.projectRoot, uri);
  return abs.endsWith(".db") ? `sqlite:///${abs}` : pathToFileUri(abs);
}

/**
 * `create_experiment_kwargs.artifact_location` as kedro-mlflow's `_validate_uri` makes it: a URI (`s3://…`,
 * `file:…`, `mlflow-artifacts:…`) as written, a path as a `file://` URI, a relative one from the project root
 * (not from wherever kmlf runs, which MLflow would store as a path no other folder can use).
 *
 * @example
 * ```ts
 * resolveArtifactLocation("my_artifacts", "/p"); // "file:///p/my_artifacts"
 * resolveArtifactLocation("s3://bucket/iris", "/p"); // "s3://bucket/iris"
 * ```
 */
export function resolveArtifactLocation(location: string | null, projectRoot?: string): string | null {
  if (location === null || projectRoot === undefined || /^[a-z][\w+.-]*:/i.test(location)) return location;
  return pathToFileUri(isAbsolute(location) ? location : resolve(projectRoot, location));
}

/**
 * kmlf keeps the model registry in the tracking store (`store.registry`), as MLflow does by default: a
 * `server.mlflow_registry_uri` naming another store is refused rather than ignored.
 *
 * @example
 * ```ts
 * checkRegistryUri(config, "sqlite:////p/mlflow.db", "/p"); // ok when unset or the same store
 * ```
 */
export function checkRegistryUri(config: MlflowConfig, trackingUri: string, projectRoot: string): void {
  const configured = config.server.registryUri;
  if (configured === null || resolveTrackingUri(configured, { projectRoot }) === trackingUri) return;
  throw new ConfigError(
    "mlflow/registry-uri",
    `mlflow.yml server.mlflow_registry_uri "${
      maskUriCredentials(configured)
    }" names another store than the ` +
      `tracking URI (${maskUriCredentials(trackingUri)})`,
    {
      source: config.locate(["server", "mlflow_registry_uri"]),
      hint: "kmlf keeps registered models in the tracking store: set mlflow_registry_uri to null",
    },
  );
}

/** Where a tracking URI came from, for errors about it. */
export interface TrackingUriOrigin {
  /** `mlflow.yml server.mlflow_tracking_uri`, `the MLFLOW_TRACKING_URI variable`, or the default. */
  what: string;
  source?: SourceLocation;
}

/**
 * Where the tracking URI in use comes from: mlflow.yml, else `MLFLOW_TRACKING_URI`, else the default.
 *
 * @example
 * ```ts
 * trackingUriOrigin(config, undefined).what; // "mlflow.yml server.mlflow_tracking_uri" when it is set
 * ```
 */
export function trackingUriOrigin(config: MlflowConfig, envUri: string | undefined): TrackingUriOrigin {
  if (config.server.trackingUri !== null) {
    return {
      what: "mlflow.yml server.mlflow_tracking_uri",
      source: config.locate(["server", "mlflow_tracking_uri"]),
    };
  }
  if (envUri !== undefined) {
    return { what: "the MLFLOW_TRACKING_URI variable", source: { keyPath: "MLFLOW_TRACKING_URI" } };
  }
  return { what: "the default tracking URI (mlflow.db at the project root)" };
}

/**
 * Refuses, before a run starts, a local tracking URI whose path is the wrong kind of thing: a SQLite
 * store's `.db` that is a folder, or a file store's folder that is a file (opening them later fails with
 * an operating-system message, or creates `<file>/.trash`).
 *
 * @example
 * ```ts
 * checkTrackingTarget("sqlite:////p/mlflow.db", { what: "mlflow.yml server.mlflow_tracking_uri" });
 * ```
 */
export function checkTrackingTarget(uri: string, origin: TrackingUriOrigin): void {
  const sqlite = uri.match(/^sqlite:\/\/\/(.+)$/);
  const file = uri.match(/^file:\/\/(\/.*)$/);
  const path = sqlite ? sqlite[1] : file ? percentDecode(file[1]) : undefined;
  if (path === undefined) return;
  const stat = statIfAny(path);
  if (!stat || (sqlite ? !stat.isDirectory : stat.isDirectory)) return;
  throw new ConfigError(
    "mlflow/bad-tracking-uri",
    `Cannot use tracking URI "${uri}" (from ${origin.what}): ${path} is a ${
      sqlite ? "folder" : "file"
    }, but ${sqlite ? "a SQLite store is one file" : "a file store is a folder"}`,
    {
      source: origin.source,
      hint: sqlite
        ? "name a new or existing SQLite file (*.db), or the folder without .db for MLflow's file store"
        : "name a folder (MLflow's mlruns file store) or a *.db file (SQLite store), or move that file away",
    },
  );
}
