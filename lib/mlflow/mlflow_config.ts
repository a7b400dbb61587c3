/**
 * `mlflow.yml`: kedro-mlflow 2.0's schema (server / tracking / ui), validated strictly so a typo is an
 * error with file:line:column and did-you-mean, plus kmlf's `tracking.log_files` and
 * `tracking.log_outputs_not_in_catalog`. The tracking URI it names, and the checks on it, are in
 * tracking_uri_rules.ts.
 */
import { foreignPathProblem, isAbsolute, pathToFileUri, resolve } from "../path.ts";
import type { z } from "../zod/mod.ts";
import { type LaterOutput, laterSchema, type Zod } from "../zod/on_demand.ts";
import { ConfigError, type SourceLocation, throwIfAny } from "../errors.ts";
import { legacyLayoutErrors } from "./legacy_mlflow_yml.ts";
import type { KeyPath } from "../yaml/parse_yaml.ts";
import { validateLater } from "../yaml/validate.ts";

/**
 * mlflow.yml's schema: built, with zod loaded, only when the validation cache does not know the file's value
 * (its ~60 schemas took a tracked run ~8 ms to build: bench/README.md).
 */
export const MlflowYml = laterSchema("mlflow.yml", (z) => mlflowYmlSchema(z));

const mlflowYmlSchema = (z: Zod) => {
  const Nullable = <T extends z.ZodMiniType>(t: T) => z.optional(z.nullable(t));
  return z.strictObject({
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
  });
};

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

/** The merged `mlflow` config as loaded: its value, files and where each key came from. */
export interface LoadedMlflowYml {
  /** The merged value. */
  data: Record<string, unknown>;
  /** The files that contributed. */
  files: string[];
  /** Where a key came from. */
  locate(path: KeyPath): SourceLocation | undefined;
}

/** What {@link readMlflowConfig} needs besides the file: the project's name and root. */
export interface MlflowConfigOptions {
  /** The experiment name's default. */
  projectName: string;
  /** Relative paths resolve against it. */
  projectRoot?: string;
}

/** Options of validating mlflow.yml. */
export const MLFLOW_YML_VALIDATION = { code: "mlflow/config-invalid", what: "mlflow.yml" };

/**
 * Validates the merged `mlflow` config (lib/mlflow/parse_mlflow_config.ts's `parseMlflowConfig`, loading zod
 * only when the validation cache does not know the value); the experiment name defaults to the project name.
 *
 * @example
 * ```ts
 * const cfg = await readMlflowConfig({ data: {}, files: [], locate: () => undefined }, { projectName: "iris" });
 * cfg.tracking.experiment.name; // "iris"
 * ```
 */
export async function readMlflowConfig(
  loaded: LoadedMlflowYml,
  options: MlflowConfigOptions,
): Promise<MlflowConfig> {
  checkLegacyLayout(loaded);
  return mlflowConfigFrom(
    await validateLater(MlflowYml, loaded.data ?? {}, loaded, MLFLOW_YML_VALIDATION),
    loaded,
    options,
  );
}

/**
 * Refuses kedro-mlflow 0.7's layout: it would be unknown keys with no guidance, so it says where each moved,
 * all together.
 *
 * @example
 * ```ts
 * checkLegacyLayout({ data: { mlflow_tracking_uri: "mlruns" }, files: [], locate: () => undefined }); // throws
 * ```
 */
export function checkLegacyLayout(loaded: LoadedMlflowYml): void {
  throwIfAny(legacyLayoutErrors(loaded.data ?? {}, (path) => loaded.locate(path)), "Invalid mlflow.yml");
}

/**
 * The config of a validated mlflow.yml value: defaults filled in, the port and artifact location checked.
 *
 * @example
 * ```ts
 * const raw = await validateLater(MlflowYml, loaded.data, loaded, MLFLOW_YML_VALIDATION);
 * const cfg = mlflowConfigFrom(raw, loaded, { projectName: "iris" });
 * ```
 */
export function mlflowConfigFrom(
  raw: LaterOutput<typeof MlflowYml>,
  loaded: LoadedMlflowYml,
  options: MlflowConfigOptions,
): MlflowConfig {
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
