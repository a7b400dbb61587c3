/**
 * Which local folders a client of the server may name as a new experiment's `artifact_location`. The server
 * itself writes and reads a run's artifacts there (the UI's upload, `artifacts/list`, `/get-artifact`, logged
 * models), so a local location chosen by any client — `/home/me/.ssh`, `/etc/cron.d` — would let that client
 * make the server create files anywhere its user can write. MLflow 2.17 accepts any location; kmlf accepts a
 * local one only inside the server's own artifact roots (the proxy's destination, the store's default
 * artifact root) or a folder the operator allowed with `--allowed-artifact-roots`. Remote locations
 * (`s3://…`, `mlflow-artifacts:/…`) are accepted as MLflow accepts them: clients write those themselves.
 *
 * @module
 */
import { resolve } from "../path.ts";
import { resolvesInside } from "../fs_utils.ts";
import { localPathOfUri, mlflowError } from "../tracking/mod.ts";
import { ALLOWED_ARTIFACT_ROOTS_ENV, ALLOWED_ARTIFACT_ROOTS_FLAG } from "./server_options.ts";

/**
 * The local folders among `roots` (paths, `file://` URIs; remote URIs and undefined dropped), absolute.
 *
 * @example
 * ```ts
 * localRoots(["/srv/mlartifacts", "mlflow-artifacts:/", "file:///srv/mlruns"]); // ["/srv/mlartifacts", "/srv/mlruns"]
 * ```
 */
export function localRoots(roots: readonly (string | undefined)[]): string[] {
  return roots.flatMap((root) => {
    const path = root === undefined ? undefined : localPathOfUri(root);
    return path === undefined ? [] : [resolve(path)];
  });
}

function inside(root: string, path: string): boolean {
  return (path === root || path.startsWith(root === "/" ? "/" : `${root}/`)) && resolvesInside(root, path);
}

/**
 * Refuses (PERMISSION_DENIED, 403) a client's experiment artifact location that is a local folder outside
 * every one of `allowedRoots` (absolute folders); anything else passes. The message names the location and
 * the flag that allows it (MLflow's wire carries no hint).
 *
 * @example
 * ```ts
 * checkClientArtifactLocation("file:///srv/mlruns/7", ["/srv/mlruns"]); // passes
 * checkClientArtifactLocation("/home/me/.ssh", ["/srv/mlruns"]); // throws PERMISSION_DENIED
 * checkClientArtifactLocation("s3://bucket/exp", ["/srv/mlruns"]); // passes: the client writes it
 * ```
 */
export function checkClientArtifactLocation(location: string, allowedRoots: readonly string[]): void {
  const local = location === "" ? undefined : localPathOfUri(location);
  if (local === undefined) return;
  const path = resolve(local);
  if (allowedRoots.some((root) => inside(root, path))) return;
  throw mlflowError(
    "PERMISSION_DENIED",
    `artifact_location '${location}' is a local folder outside this server's artifact roots: the server ` +
      "writes and reads run artifacts there for any client, so it keeps local locations inside its " +
      `artifact roots (${allowedRoots.join(", ") || "none"}). Leave artifact_location out, give a remote ` +
      `one (s3://…), or start the server with ${ALLOWED_ARTIFACT_ROOTS_FLAG} ${path} ` +
      `(or ${ALLOWED_ARTIFACT_ROOTS_ENV}) to allow it.`,
    `start the server with ${ALLOWED_ARTIFACT_ROOTS_FLAG} ${path}, or leave artifact_location out`,
  );
}
