/**
 * `kmlf server`: the tracking server outside a project, like `mlflow server`: a backend store URI,
 * artifacts served through the `mlflow-artifacts` proxy from `--artifacts-destination` (the
 * artifact-serving options are `serve_artifacts_options.ts`, shared with `kmlf mlflow ui`). Each flag
 * falls back on the environment variable `mlflow server` reads for it (a flag wins, as in click).
 */
import { KmlfError, UsageError } from "../errors.ts";
import { parseTrackingUri } from "../tracking/stores/tracking_uri.ts";
import { parsePort, serveTracking, type ServeTrackingOptions } from "./serve_tracking.ts";
import type { ServeArtifactsFlags } from "./serve_artifacts_flags.ts";
import { resolveServeArtifacts } from "./serve_artifacts_options.ts";
import { err, style } from "./terminal.ts";

/** Options of `kmlf server` (`mlflow server`'s flags). */
export interface ServerOptions extends ServeArtifactsFlags {
  backendStoreUri?: string;
  registryStoreUri?: string;
  host?: string;
  port?: string;
  staticPrefix?: string;
  workers?: string;
  gunicornOpts?: string;
  waitressOpts?: string;
  dev?: boolean;
  exposePrometheus?: string;
  appName?: string;
}

// click reads an unset or empty variable as not given.
const fromEnv = (env: Record<string, string | undefined>, name: string) => env[name] ? env[name] : undefined;

/** A flag's value, else its variable's, with the name to quote in an error. */
function pick(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  flagName: string,
  variable: string,
): { value?: string; source: string } {
  if (flag !== undefined) return { value: flag, source: flagName };
  return { value: fromEnv(env, variable), source: `${variable} (for ${flagName})` };
}

/**
 * `--static-prefix` checked as `mlflow server` checks it: it starts with `/` and does not end with one.
 *
 * @example
 * ```ts
 * checkStaticPrefix("/mlflow", "--static-prefix"); // "/mlflow"
 * ```
 */
export function checkStaticPrefix(value: string, source: string): string {
  const problem = !value.startsWith("/")
    ? "must begin with a '/'"
    : value.endsWith("/")
    ? "should not end with a '/'"
    : /[?#\s]/.test(value)
    ? "is a URL path: no spaces, '?' or '#'"
    : undefined;
  if (problem === undefined) return value;
  throw new UsageError("cli/static-prefix", `${source} ${problem}, got '${value}'`, {
    hint: "e.g. --static-prefix /mlflow (the UI is then at http://host:port/mlflow/)",
  });
}

/** Whether two store URIs name one store (`mlflow.db` and `sqlite:///mlflow.db` do). */
function sameStore(a: string, b: string, baseDir: string): boolean {
  const where = (uri: string) => {
    try {
      const target = parseTrackingUri(uri, { baseDir });
      return `${target.kind}:${"path" in target ? target.path : target.url}`;
    } catch (error) {
      if (error instanceof KmlfError) return uri;
      throw error;
    }
  };
  return a === b || where(a) === where(b);
}

/** The settings kmlf has no use for, accepted with a note; those it cannot honour, refused. */
function checkMlflowOnlyFlags(
  options: ServerOptions,
  env: Record<string, string | undefined>,
  backend: string,
) {
  const registry = pick(options.registryStoreUri, env, "--registry-store-uri", "MLFLOW_REGISTRY_STORE_URI");
  if (registry.value !== undefined && !sameStore(registry.value, backend, Deno.cwd())) {
    throw new UsageError(
      "cli/registry-store-uri",
      `${registry.source} names another store ('${registry.value}') than the backend store ('${backend}'): ` +
        "kmlf keeps the model registry in the backend store",
      { hint: "leave --registry-store-uri out (or give the backend store's URI)" },
    );
  }
  const prometheus = pick(options.exposePrometheus, env, "--expose-prometheus", "MLFLOW_EXPOSE_PROMETHEUS");
  if (prometheus.value !== undefined) {
    throw new UsageError(
      "cli/unsupported-flag",
      `${prometheus.source}: kmlf's server has no Prometheus exporter`,
      {
        hint: "leave it out (monitor the server through GET /health)",
      },
    );
  }
  if (options.appName !== undefined) {
    throw new UsageError(
      "cli/unsupported-flag",
      `--app-name '${options.appName}': kmlf's server has no MLflow app plugins`,
      {
        hint: "for basic-auth, set KMLF_SERVER_USERNAME and KMLF_SERVER_PASSWORD (or KMLF_SERVER_TOKEN) " +
          "and leave --app-name out",
      },
    );
  }
  if (options.dev && options.gunicornOpts !== undefined) {
    throw new UsageError("cli/usage", "'--dev' and '--gunicorn-opts' cannot be specified together.", {
      hint: "give one of them (kmlf uses neither)",
    });
  }
  const workers = pick(options.workers, env, "--workers", "MLFLOW_WORKERS");
  if (workers.value !== undefined && !/^[1-9][0-9]*$/.test(workers.value.trim())) {
    throw new UsageError(
      "cli/workers",
      `${workers.source} must be a positive number, got '${workers.value}'`,
      {
        hint: "e.g. --workers 4, or leave it out: kmlf answers requests concurrently in one process",
      },
    );
  }
  const ignored = [
    workers.value !== undefined ? workers.source.split(" ")[0] : undefined,
    pick(options.gunicornOpts, env, "--gunicorn-opts", "MLFLOW_GUNICORN_OPTS").value !== undefined
      ? "--gunicorn-opts"
      : undefined,
    options.waitressOpts !== undefined ? "--waitress-opts" : undefined,
    options.dev ? "--dev" : undefined,
  ].filter((name): name is string => name !== undefined);
  if (ignored.length > 0) {
    err(style.yellow(
      `Note: ${ignored.join(", ")} ignored: kmlf's server runs no gunicorn or waitress ` +
        "(one process answers requests concurrently).",
    ));
  }
}

/**
 * Serves a store until Ctrl-C.
 *
 * @example
 * ```ts
 * await serverCommand({ backendStoreUri: "sqlite:///mlflow.db", port: "5000" });
 * ```
 */
export async function serverCommand(
  options: ServerOptions,
  serveOptions: Pick<ServeTrackingOptions, "onListening" | "signal"> = {},
  env: Record<string, string | undefined> = Deno.env.toObject(),
): Promise<number> {
  const cwd = Deno.cwd();
  const backend = pick(options.backendStoreUri, env, "--backend-store-uri", "MLFLOW_BACKEND_STORE_URI");
  const trackingUri = backend.value ?? "mlflow.db";
  checkMlflowOnlyFlags(options, env, trackingUri);
  const prefix = pick(options.staticPrefix, env, "--static-prefix", "MLFLOW_STATIC_PREFIX");
  const port = pick(options.port, env, "--port", "MLFLOW_PORT");
  const artifacts = resolveServeArtifacts(options, {
    cwd,
    trackingUri,
    storeSource: backend.value === undefined
      ? undefined
      : `${backend.source.split(" ")[0]} (got '${backend.value}')`,
    defaultRoot: "mlflow-server",
    env,
  });
  return await serveTracking({
    trackingUri,
    baseDir: cwd,
    host: pick(options.host, env, "--host", "MLFLOW_HOST").value ?? "127.0.0.1",
    port: port.value === undefined
      ? 5000
      : parsePort(port.value, "--port", port.source === "--port" ? undefined : "MLFLOW_PORT"),
    staticPrefix: prefix.value === undefined ? undefined : checkStaticPrefix(prefix.value, prefix.source),
    ...artifacts,
    ...serveOptions,
  });
}
