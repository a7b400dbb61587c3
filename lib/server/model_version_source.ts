/**
 * The server's checks on a new model version's `source`, as MLflow 2.17.2's `_create_model_version`
 * makes them so a registry client cannot point a version at the server's own files: a local path or
 * `file:` URI must lie inside the artifact folder of the run named by `run_id`; any other URI must be
 * absolute without `..` (also percent-encoded, repeatedly) or NUL. Unlike MLflow, messages never show
 * server paths.
 *
 * @module
 */
import { posix } from "../path.ts";
import { readLocalUri } from "../local_uri_reading.ts";
import { localPathOfUri, mlflowError, type TrackingStore, validateVersionSource } from "../tracking/mod.ts";

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/** `urllib.parse.unquote_plus`: `+` is a space, valid `%XX` sequences are bytes, invalid ones stay. */
function unquotePlus(text: string): string {
  const spaced = text.replaceAll("+", " ");
  return spaced.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return new TextDecoder().decode(bytes);
  });
}

/** The path part of a URI, as Python's `urlparse(uri).path`. */
function uriPath(uri: string): string {
  let rest = uri.replace(SCHEME, "");
  if (rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    rest = slash === -1 ? "" : rest.slice(slash);
  }
  return rest.split(/[?#]/)[0];
}

/**
 * Whether a source names a file on the server: no scheme, or `file:` naming this machine (lib/local_uri_reading.ts;
 * `validateVersionSource` has refused one naming another host, as MLflow's `is_local_uri` does).
 */
function isLocal(source: string): boolean {
  return readLocalUri(source) !== undefined;
}

function relativeSource(source: string) {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Invalid model version source: '${source}'. If supplying a source as an http, https, local file path, ftp, ` +
      "objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references " +
      "present. Please provide an absolute path.",
  );
}

function localSource(source: string) {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Invalid model version source: '${source}'. To use a local path as a model version source, the run_id request ` +
      "parameter has to be specified and the local path has to be contained within the artifact directory of the " +
      "run specified by the run_id.",
    "register the model from the run instead: the source runs:/<run id>/<path>, or the run's artifact URI plus the path",
  );
}

/**
 * Refuses a source a registry client must not use (see the module doc); resolves when it is fine.
 *
 * @example
 * ```ts
 * await checkModelVersionSource(store, "mlflow-artifacts:/1/abc/artifacts/model", "abc");
 * ```
 */
export async function checkModelVersionSource(
  store: TrackingStore,
  source: string,
  runId: string | undefined,
): Promise<void> {
  // A folder of no machine here (`file:`, `file://host/x`, `file:///C:/x`) says so, not "inside the run".
  validateVersionSource(source);
  if (isLocal(source)) {
    if (runId) {
      const run = await store.getRun(runId);
      const runDir = localPathOfUri(run.info.artifactUri);
      const path = source.match(SCHEME) ? localPathOfUri(source) : source;
      if (runDir && path && posix.isAbsolute(path)) {
        const resolved = posix.resolve(path);
        const root = posix.resolve(runDir);
        if (resolved === root || resolved.startsWith(`${root}/`)) return;
      }
    }
    throw localSource(source);
  }
  let decoded = source;
  for (let next = unquotePlus(decoded); next !== decoded; next = unquotePlus(decoded)) decoded = next;
  const path = uriPath(decoded).replace(/\/+$/, "").replace(/\/+/g, "/");
  if (path.includes("\u0000") || !posix.isAbsolute(path) || posix.normalize(path) !== path) {
    throw relativeSource(source);
  }
}
