/**
 * Which local folders a client of the server may name as a new experiment's `artifact_location`. The server
 * itself writes and reads a run's artifacts there (the UI's upload, `artifacts/list`, `/get-artifact`, logged
 * models), so a local location chosen by any client — `/home/me/.ssh`, `/etc/cron.d` — would let that client
 * make the server create files anywhere its user can write. MLflow 2.17 accepts any location; kmlf accepts a
 * local one only inside the server's own artifact roots (the proxy's destination, the store's default
 * artifact root) or a folder the operator allowed with `--allowed-artifact-roots`. Remote locations
 * (`s3://…`, `mlflow-artifacts:/…`) are accepted as MLflow accepts them: clients write those themselves.
 * Rows written before that check (or by a process writing the store directly) can still name any folder,
 * so the server reads local artifacts only inside those roots and the folders its store keeps runs in.
 *
 * @module
 */
import { dirname, isAbsolute, join, resolve } from "../path.ts";
import { resolvesInside } from "../fs_utils.ts";
import { type ArtifactRepository, localPathOfUri, mlflowError } from "../tracking/mod.ts";
import { proxiedPathOfUri } from "./artifact_paths.ts";
import {
  ALLOWED_ARTIFACT_ROOTS_ENV,
  ALLOWED_ARTIFACT_ROOTS_FLAG,
  isRemoteDestination,
} from "./server_options.ts";

/** A server's artifact roots: local folders (absolute) and remote prefixes (`s3://bucket/prefix`). */
export interface ArtifactRoots {
  local: readonly string[];
  remote: readonly string[];
}

/**
 * The server's artifact roots among `roots` (paths, `file://` and remote URIs; `mlflow-artifacts:` roots,
 * which always map into the destination, and undefined dropped).
 *
 * @example
 * ```ts
 * artifactRootsOf(["/srv/mlartifacts", "mlflow-artifacts:/", "s3://b/mlflow/"]);
 * // { local: ["/srv/mlartifacts"], remote: ["s3://b/mlflow"] }
 * ```
 */
export function artifactRootsOf(roots: readonly (string | undefined)[]): ArtifactRoots {
  const local: string[] = [];
  const remote: string[] = [];
  for (const root of roots) {
    if (root === undefined || proxiedPathOfUri(root) !== undefined) continue;
    const path = localPathOfUri(root);
    if (path !== undefined) local.push(resolve(path));
    else if (isRemoteDestination(root)) remote.push(root.replace(/\/+$/, ""));
  }
  return { local, remote };
}

function inside(root: string, path: string): boolean {
  return (path === root || path.startsWith(root === "/" ? "/" : `${root}/`)) && resolvesInside(root, path);
}

/**
 * Refuses (PERMISSION_DENIED, 403) a client's experiment artifact location that is a local folder outside
 * every local one of `roots`; anything else passes. The message names the location and
 * the flag that allows it (MLflow's wire carries no hint).
 *
 * @example
 * ```ts
 * const roots = artifactRootsOf(["/srv/mlruns"]);
 * checkClientArtifactLocation("file:///srv/mlruns/7", roots); // passes
 * checkClientArtifactLocation("/home/me/.ssh", roots); // throws PERMISSION_DENIED
 * checkClientArtifactLocation("s3://bucket/exp", roots); // passes: the client writes it
 * ```
 */
export function checkClientArtifactLocation(location: string, roots: ArtifactRoots): void {
  const local = location === "" ? undefined : localPathOfUri(location);
  if (local === undefined) return;
  const path = resolve(local);
  if (roots.local.some((root) => inside(root, path))) return;
  throw mlflowError(
    "PERMISSION_DENIED",
    `artifact_location '${location}' is a local folder outside this server's artifact roots: the server ` +
      "writes and reads run artifacts there for any client, so it keeps local locations inside its " +
      `artifact roots (${roots.local.join(", ") || "none"}). Leave artifact_location out, give a remote ` +
      `one (s3://…), or start the server with ${ALLOWED_ARTIFACT_ROOTS_FLAG} ${path} ` +
      `(or ${ALLOWED_ARTIFACT_ROOTS_ENV}) to allow it.`,
    `start the server with ${ALLOWED_ARTIFACT_ROOTS_FLAG} ${path}, or leave artifact_location out`,
  );
}

/**
 * Refuses (PERMISSION_DENIED, 403) a server-side write (the UI's upload) into run `runId`'s artifact root
 * `rootUri` when it lies outside the server's artifact roots: a run of an experiment whose location a client
 * chose (`s3://` elsewhere, with the server's credentials), or one made before locations were checked. The
 * client writes such roots itself, as MLflow's clients do.
 *
 * @example
 * ```ts
 * checkServerWritableRoot("abc", "mlflow-artifacts:/1/abc/artifacts", roots); // passes
 * checkServerWritableRoot("abc", "s3://other/x/abc/artifacts", roots); // throws PERMISSION_DENIED
 * ```
 */
export function checkServerWritableRoot(runId: string, rootUri: string, roots: ArtifactRoots): void {
  if (proxiedPathOfUri(rootUri) !== undefined) return;
  const local = localPathOfUri(rootUri);
  if (local !== undefined && roots.local.some((root) => inside(root, resolve(local)))) return;
  if (local === undefined && roots.remote.some((root) => rootUri.startsWith(`${root}/`))) return;
  const location = rootUri.replace(/\/[^/]*\/artifacts\/*$/, "");
  throw mlflowError(
    "PERMISSION_DENIED",
    `The server does not write the artifacts of run '${runId}' to '${rootUri}': it writes only inside its ` +
      `artifact roots (${[...roots.local, ...roots.remote].join(", ") || "none"}). Log the file from the ` +
      `client (mlflow.log_artifact), or start the server with ${ALLOWED_ARTIFACT_ROOTS_FLAG} ${location} ` +
      `(or ${ALLOWED_ARTIFACT_ROOTS_ENV}) to allow it.`,
    `log the file from the client, or start the server with ${ALLOWED_ARTIFACT_ROOTS_FLAG} ${location}`,
  );
}

/**
 * The local folders `store` keeps its own runs' artifacts in, which the server reads besides its artifact
 * roots: a file store's mlruns folder, and next to a SQLite database the folders MLflow (`./mlruns`) and
 * kmlf (`./mlartifacts`) use by default when the database was created there. Paths, not the store's URI,
 * which keeps a relative path as given.
 *
 * @example
 * ```ts
 * storeRunFolders(SqliteStore.open("/p/mlflow.db")); // ["/p/mlruns", "/p/mlartifacts"]
 * storeRunFolders(await FileStore.open("/p/mlruns")); // ["/p/mlruns"]
 * ```
 */
export function storeRunFolders(store: { kind: string; path?: unknown; root?: unknown }): string[] {
  if (store.kind === "sqlite" && typeof store.path === "string" && isAbsolute(store.path)) {
    const dir = dirname(store.path);
    return [join(dir, "mlruns"), join(dir, "mlartifacts")];
  }
  if (store.kind === "file" && typeof store.root === "string") return [resolve(store.root)];
  return [];
}

/**
 * `resolver` refusing (PERMISSION_DENIED, 403) a local artifact root outside every local one of
 * `readable`: a run, logged model or model version whose location an old or hand-written row points at
 * `/home/me/.ssh` is not read for any client. Proxied and remote roots pass, as MLflow serves them.
 *
 * @example
 * ```ts
 * const read = refusingUnreadableRoots(resolver, artifactRootsOf(["/srv/mlartifacts"]));
 * read("file:///etc/1/abc/artifacts"); // throws PERMISSION_DENIED naming --allowed-artifact-roots
 * ```
 */
export function refusingUnreadableRoots(
  resolver: (artifactUri: string) => ArtifactRepository,
  readable: ArtifactRoots,
): (artifactUri: string) => ArtifactRepository {
  return (artifactUri) => {
    const local = proxiedPathOfUri(artifactUri) === undefined ? localPathOfUri(artifactUri) : undefined;
    if (local === undefined || readable.local.some((root) => inside(root, resolve(local)))) {
      return resolver(artifactUri);
    }
    // The experiment's folder: a run's root is <location>/<run>/artifacts, a logged model's
    // <location>/models/<model>/artifacts, a model version's a folder below either.
    const location = resolve(local).replace(/(\/models)?\/[^/]+\/artifacts(\/.*)?$/, "");
    throw mlflowError(
      "PERMISSION_DENIED",
      `The server does not read artifacts at '${artifactUri}': a local folder outside its artifact roots and ` +
        `its store's run folders (${readable.local.join(", ") || "none"}). An experiment row written ` +
        "before the server checked locations, or by a process writing the store directly, can name any " +
        `folder. Start the server with ${ALLOWED_ARTIFACT_ROOTS_FLAG} ${location} ` +
        `(or ${ALLOWED_ARTIFACT_ROOTS_ENV}) to serve it.`,
      `start the server with ${ALLOWED_ARTIFACT_ROOTS_FLAG} ${location} if that folder is meant to be served`,
    );
  };
}
