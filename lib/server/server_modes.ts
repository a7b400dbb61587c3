/**
 * `mlflow server`'s two serving switches as MLflow 2.17.2 answers them: with `--no-serve-artifacts`
 * the `mlflow-artifacts` proxy is off, with `--artifacts-only` everything but the proxy (and the
 * artifact downloads `/get-artifact` and `/model-versions/get-artifact`) is. A switched-off endpoint
 * answers 503 with MLflow's plain-text sentence naming the Flask rule, after routing and the method
 * check (an unknown path stays a 404, a wrong method a 405).
 *
 * @module
 */

/** Which parts of the API a server answers. */
export interface ServeMode {
  /** The `mlflow-artifacts` proxy (default true; `--no-serve-artifacts` turns it off). */
  serveArtifacts: boolean;
  /** Only the proxy: tracking, registry and logged-model calls answer 503 (`--artifacts-only`). */
  artifactsOnly: boolean;
}

/**
 * The Flask rule MLflow names for a `mlflow-artifacts` request (`rest` is the path after
 * `/<prefix>/2.0/mlflow-artifacts/`).
 *
 * @example
 * ```ts
 * artifactsRule("api", "artifacts/1/abc/artifacts/x.txt"); // "/api/2.0/mlflow-artifacts/artifacts/<path:artifact_path>"
 * ```
 */
export function artifactsRule(prefix: string, rest: string): string {
  const base = `/${prefix}/2.0/mlflow-artifacts/`;
  const mpu = rest.match(/^mpu\/(create|complete|abort)\//);
  if (mpu) return `${base}mpu/${mpu[1]}/<path:artifact_path>`;
  return rest === "artifacts" ? `${base}artifacts` : `${base}artifacts/<path:artifact_path>`;
}

/**
 * MLflow's 503 for an endpoint the server's mode switches off (`rule` as Flask names it, e.g.
 * `/api/2.0/mlflow/runs/search`).
 *
 * @example
 * ```ts
 * disabledEndpoint("/api/2.0/mlflow/runs/search", "artifacts-only"); // 503 "Endpoint: … `--artifacts-only` mode. …"
 * ```
 */
export function disabledEndpoint(rule: string, why: "artifacts-only" | "no-serve-artifacts"): Response {
  const text = why === "artifacts-only"
    ? `Endpoint: ${rule} disabled due to the mlflow server running in \`--artifacts-only\` mode. ` +
      "To enable tracking server functionality, run `mlflow server` without `--artifacts-only`"
    : `Endpoint: ${rule} disabled due to the mlflow server running with \`--no-serve-artifacts\`. ` +
      "To enable artifacts server functionality, run `mlflow server` with `--serve-artifacts`";
  return new Response(text, { status: 503, headers: { "content-type": "text/html; charset=utf-8" } });
}
