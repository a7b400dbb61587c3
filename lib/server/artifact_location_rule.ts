/**
 * Where the server itself reads and writes artifacts. It writes and reads a run's artifacts for any client
 * (the UI's upload, `artifacts/list`, `/get-artifact`, logged models, model versions), with its own file
 * permissions and its own S3 credentials, so a location chosen by any client — `/home/me/.ssh`, or
 * `s3://another-team-bucket/…` — would let that client make the server read or write there. MLflow 2.17 serves
 * any location (`get_artifact_repository(run.info.artifact_uri)` in its handlers). kmlf:
 *
 * - accepts a client's new experiment location when it is remote (the client writes it itself) or a local
 *   folder inside the server's artifact roots (`checkClientArtifactLocation`);
 * - reads and writes (one rule, `servesArtifactUri`) only proxied roots, local folders inside those roots
 *   or the folders its store keeps its own runs in, and remote prefixes inside its remote roots.
 *
 * The roots are the proxy's destination, the store's default artifact root and `--allowed-artifact-roots`;
 * every refusal is a 403 naming the value of that flag which would serve the experiment.
 *
 * @module
 */
import { dirname, isAbsolute, join, relative, resolve } from "../path.ts";
import { resolvesInside } from "../fs_utils.ts";
import {
  type ArtifactRepository,
  localPathOfUri,
  mlflowError,
  writtenLocalLocationProblem,
} from "../tracking/mod.ts";
import { decodeRepeatedly, proxiedPathOfUri } from "./artifact_paths.ts";
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

// A remote URI with its scheme in lower case and no trailing slash, as roots are compared.
const remoteKey = (uri: string) =>
  uri.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:/, (scheme) => scheme.toLowerCase()).replace(/\/+$/, "");

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
    else if (isRemoteDestination(root)) remote.push(remoteKey(root));
  }
  return { local, remote };
}

function inside(root: string, path: string): boolean {
  return (path === root || path.startsWith(root === "/" ? "/" : `${root}/`)) && resolvesInside(root, path);
}

// A key with `..`, `.` or `\` (also percent-encoded) is refused: the HTTP request that reads it would have
// its path normalised (WHATWG URLs resolve dot segments and read `\` as `/`), leaving the prefix.
function insideRemote(root: string, uri: string): boolean {
  const key = remoteKey(uri);
  const path = decodeRepeatedly(key).replace(/^[^:]+:\/\//, "");
  if (path.includes("\\") || path.split("/").some((segment) => segment === ".." || segment === ".")) {
    return false;
  }
  return key === root || key.startsWith(`${root}/`);
}

/**
 * Whether the server itself reads and writes artifacts at `uri`: a proxied root (`mlflow-artifacts:…`,
 * always inside the destination), a local folder inside a local one of `roots`, or a remote URI inside a
 * remote one. The one rule for the server's reads and its writes.
 *
 * @example
 * ```ts
 * const roots = artifactRootsOf(["/srv/mlruns", "s3://b/mlflow"]);
 * servesArtifactUri("/srv/mlruns/1/abc/artifacts", roots); // true
 * servesArtifactUri("s3://b/mlflow/1/abc/artifacts", roots); // true
 * servesArtifactUri("s3://other/exp/abc/artifacts", roots); // false
 * ```
 */
export function servesArtifactUri(uri: string, roots: ArtifactRoots): boolean {
  if (proxiedPathOfUri(uri) !== undefined) return true;
  const local = localPathOfUri(uri);
  if (local !== undefined) return roots.local.some((root) => inside(root, resolve(local)));
  return roots.remote.some((root) => insideRemote(root, uri));
}

/**
 * The experiment's folder (or prefix) of an artifact URI, as `--allowed-artifact-roots` takes it: a run's
 * root is `<location>/<run id>/artifacts`, a logged model's `<location>/models/m-<id>/artifacts`, a model
 * version's a folder below either; the last `artifacts` folder decides (a location may hold one too). A
 * local folder inside `cwd` (the directory the server resolves relative flag values against) is named
 * relative to it.
 *
 * @example
 * ```ts
 * allowedRootFor("s3://b/exp/abc/artifacts/model"); // "s3://b/exp"
 * allowedRootFor("file:///srv/x/1/abc/artifacts", "/srv"); // "x/1"
 * ```
 */
export function allowedRootFor(uri: string, cwd?: string): string {
  const local = proxiedPathOfUri(uri) === undefined ? localPathOfUri(uri) : undefined;
  const segments = (local === undefined ? uri : resolve(local)).split("/");
  const at = segments.lastIndexOf("artifacts");
  let end = at >= 2 ? at - 1 : segments.length;
  if (at >= 3 && segments[end].startsWith("m-") && segments[end - 1] === "models") end--;
  const location = segments.slice(0, end).join("/") || "/";
  if (local === undefined || !cwd || !inside(cwd, location) || location === cwd) return location;
  return relative(cwd, location);
}

// The local roots by name; the remote ones only counted (the server's own bucket is not the client's to learn).
function describeRoots(roots: ArtifactRoots): string {
  const parts = [...roots.local];
  const n = roots.remote.length;
  if (n) parts.push(`${n} remote prefix${n === 1 ? "" : "es"}`);
  return parts.join(", ") || "none";
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
export function checkClientArtifactLocation(location: string, roots: ArtifactRoots, cwd?: string): void {
  // A proxied location is checked as its reads will be (`mlflow-artifacts:/../x` is a 400 now, not a stored
  // location whose every run fails later).
  if (location !== "" && proxiedPathOfUri(location) !== undefined) return;
  const local = location === "" ? undefined : localPathOfUri(location);
  if (local === undefined) return;
  const path = resolve(local);
  if (roots.local.some((root) => inside(root, path))) return;
  const allow = path === cwd || !cwd || !inside(cwd, path) ? path : relative(cwd, path);
  throw mlflowError(
    "PERMISSION_DENIED",
    `artifact_location '${location}' is a local folder outside this server's artifact roots: the server ` +
      "writes and reads run artifacts there for any client, so it keeps local locations inside its " +
      `artifact roots (${roots.local.join(", ") || "none"}). Leave artifact_location out, give a remote ` +
      `one (s3://…), or start the server with ${ALLOWED_ARTIFACT_ROOTS_FLAG} ${allow} ` +
      `(or ${ALLOWED_ARTIFACT_ROOTS_ENV}) to allow it.`,
    `start the server with ${ALLOWED_ARTIFACT_ROOTS_FLAG} ${allow}, or leave artifact_location out`,
  );
}

/**
 * Refuses (PERMISSION_DENIED, 403) a server-side write (the UI's upload) into run `runId`'s artifact root
 * `rootUri` where the server does not serve artifacts (`servesArtifactUri` over `served`: its roots and its
 * store's run folders, the same rule as its reads): a run of an experiment whose location a client chose
 * (`s3://` elsewhere), or one a row named before locations were checked. The client writes such roots
 * itself, as MLflow's clients do.
 *
 * @example
 * ```ts
 * checkServerWritableRoot("abc", "mlflow-artifacts:/1/abc/artifacts", served); // passes
 * checkServerWritableRoot("abc", "s3://other/x/abc/artifacts", served); // throws PERMISSION_DENIED
 * ```
 */
export function checkServerWritableRoot(
  runId: string,
  rootUri: string,
  served: ArtifactRoots,
  cwd?: string,
): void {
  if (servesArtifactUri(rootUri, served)) return;
  const location = allowedRootFor(rootUri, cwd);
  throw mlflowError(
    "PERMISSION_DENIED",
    `The server does not write the artifacts of run '${runId}' to '${rootUri}': it writes only inside its ` +
      `artifact roots and its store's run folders (${describeRoots(served)}). Log the file from the ` +
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
 * `resolver` refusing (PERMISSION_DENIED, 403) an artifact URI the server does not serve
 * (`servesArtifactUri` over `served`): a run, logged model or model version whose location an old or
 * hand-written row points at `/home/me/.ssh`, or a client pointed at `s3://another-bucket/…`, is not read
 * for any client. Proxied roots and roots inside `served` resolve.
 *
 * @example
 * ```ts
 * const read = refusingUnreadableRoots(resolver, artifactRootsOf(["/srv/mlartifacts"]));
 * read("file:///etc/1/abc/artifacts"); // throws PERMISSION_DENIED naming --allowed-artifact-roots /etc
 * ```
 */
export function refusingUnreadableRoots(
  resolver: (artifactUri: string) => ArtifactRepository,
  served: ArtifactRoots,
  cwd?: string,
): (artifactUri: string) => ArtifactRepository {
  return (artifactUri) => {
    if (servesArtifactUri(artifactUri, served)) return resolver(artifactUri);
    // A stored location naming no folder of this machine (`file:`, `file:///C:/x`, `~/x`: written elsewhere or
    // before the rule) is no remote one, and no flag could allow it: say what it is.
    const unusable = writtenLocalLocationProblem(artifactUri);
    if (unusable) {
      throw mlflowError(
        "PERMISSION_DENIED",
        `The server does not read artifacts at '${artifactUri}': ${unusable.problem}, so it names no folder ` +
          "of this machine (a record written on another machine, or before kmlf checked locations).",
        `log or register it again where it names a folder of this machine (${unusable.hint})`,
      );
    }
    const location = allowedRootFor(artifactUri, cwd);
    const where = localPathOfUri(artifactUri) !== undefined
      ? `a local folder outside its artifact roots and its store's run folders (${describeRoots(served)}). ` +
        "An experiment row written before the server checked locations, or by a process writing the store " +
        "directly, can name any folder."
      : "a remote location outside its artifact roots: the server would read it with its own credentials, " +
        "for any client (a client that chose it reads it itself).";
    throw mlflowError(
      "PERMISSION_DENIED",
      `The server does not read artifacts at '${artifactUri}': ${where} Start the server with ` +
        `${ALLOWED_ARTIFACT_ROOTS_FLAG} ${location} (or ${ALLOWED_ARTIFACT_ROOTS_ENV}) to serve it.`,
      `start the server with ${ALLOWED_ARTIFACT_ROOTS_FLAG} ${location} if it is meant to be served`,
    );
  };
}
