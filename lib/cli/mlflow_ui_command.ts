/**
 * `kmlf mlflow ui`: serves the project's tracking store (from the env's mlflow.yml) with kmlf's
 * MLflow-compatible REST API and web UI — no Python needed. A bare URL opens on the project's
 * experiment (created if missing, as kedro-mlflow does). A remote `http(s)` tracking URI is not
 * served: the command prints its address instead.
 */
import { ConfigError } from "../errors.ts";
import { statIfAny } from "../fs_utils.ts";
import { EXIT } from "./exit_codes.ts";
import { projectTracking } from "./project_tracking.ts";
import { requireProject } from "./project.ts";
import { parsePort, serveTracking, type ServeTrackingOptions } from "./serve_tracking.ts";
import { err, out, style } from "./terminal.ts";
import { mlrunsLeftBehindNote } from "../mlflow/mlruns_left_behind.ts";
import { orphanedRuns, orphanedRunsNote } from "../mlflow/orphaned_runs.ts";
import { shellQuote } from "../shell_quote.ts";
import { maskUriCredentials } from "../uri_credentials.ts";
import type { ServeArtifactsFlags } from "./serve_artifacts_flags.ts";
import { resolveServeArtifacts } from "./serve_artifacts_options.ts";

/** Options of `kmlf mlflow ui` (with `mlflow server`'s artifact-serving flags, as `mlflow ui` takes). */
export interface MlflowUiOptions extends ServeArtifactsFlags {
  project?: string;
  env?: string;
  port?: string;
  host?: string;
}

/**
 * Serves the project's runs until Ctrl-C.
 *
 * @example
 * ```ts
 * await mlflowUi({ port: "5002" });
 * ```
 */
export async function mlflowUi(
  options: MlflowUiOptions,
  serveOptions: Pick<ServeTrackingOptions, "onListening" | "signal"> = {},
): Promise<number> {
  const root = outsideProjectHint(() => requireProject(options));
  const { trackingUri, config, projectName } = await projectTracking({ project: root, env: options.env });
  if (/^https?:\/\//i.test(trackingUri)) {
    out(
      `Runs of this project are tracked on a remote MLflow server; open ${
        style.bold(maskUriCredentials(trackingUri))
      }`,
    );
    return EXIT.ok;
  }
  const leftBehind = mlrunsLeftBehindNote(config, Deno.env.get("MLFLOW_TRACKING_URI") || undefined, root);
  if (leftBehind) err(leftBehind);
  // As `kedro mlflow ui` runs `mlflow ui --backend-store-uri <the project's store>` from the project root.
  const artifacts = resolveServeArtifacts(options, {
    cwd: root,
    trackingUri,
    storeSource: `project store (${maskUriCredentials(trackingUri)}, from the env's mlflow.yml)`,
    defaultRoot: "store",
  });
  return await serveTracking({
    trackingUri,
    baseDir: root,
    host: options.host ?? config?.ui.host ?? "127.0.0.1",
    port: parsePort(options.port ?? config?.ui.port ?? 5000, "--port"),
    ...artifacts,
    experiment: {
      name: config?.tracking.experiment.name ?? projectName ?? "Default",
      create: config !== undefined,
      artifactLocation: config?.tracking.experiment.artifactLocation,
      tags: config?.tracking.experiment.tags,
      // Runs a killed `kmlf run` left RUNNING are named here too, with the command that ends them.
      opened: async (runs, experimentId) => {
        const note = orphanedRunsNote(
          await orphanedRuns(runs, experimentId).catch(() => []),
          options.env ? `--env ${shellQuote(options.env)}` : "",
        );
        if (note) err(note);
      },
    },
    ...serveOptions,
  });
}

/**
 * `mlflow ui` serves whatever store is in the working directory; `kmlf mlflow ui` needs a project. Outside
 * one, the error names `kmlf server`, which serves a store as `mlflow ui` does (the one here, when there is).
 */
function outsideProjectHint(find: () => string): string {
  try {
    return find();
  } catch (error) {
    if (!(error instanceof ConfigError) || error.code !== "project/not-found") throw error;
    const here = statIfAny("mlflow.db")?.isFile
      ? "sqlite:///mlflow.db"
      : statIfAny("mlruns")?.isDirectory
      ? "./mlruns"
      : undefined;
    const serve = here
      ? `to browse the store here, \`kmlf server --backend-store-uri ${here}\``
      : "to browse a store outside a project, `kmlf server --backend-store-uri <uri>`";
    const { source, cause } = error;
    throw new ConfigError(error.code, error.message, { source, hint: `${serve}; ${error.hint}`, cause });
  }
}
