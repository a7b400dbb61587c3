/**
 * Where artifacts live on disk for the server, and the checks that keep every request inside its
 * artifact root: MLflow's `validate_path_is_safe` rules (no `..`, absolute paths, backslashes, `#`)
 * plus a symlink check on the resolved path.
 *
 * @module
 */
import { join, pathToFileURL } from "../path.ts";
import type { TrackingError } from "../errors.ts";
import {
  type ArtifactRepository,
  artifactRepositoryFor,
  type ArtifactRepositoryOptions,
  joinArtifactUri,
  LocalArtifactRepository,
  mlflowError,
  safeArtifactPath,
  type TrackingStore,
} from "../tracking/mod.ts";
import { isRemoteDestination } from "./server_options.ts";

const ARTIFACTS_ROUTE = "/api/2.0/mlflow-artifacts/artifacts";

/**
 * The path under the server's artifacts destination that a proxied artifact root names, or
 * undefined for other URIs — as MLflow's `_get_proxied_run_artifact_destination_path`:
 * `mlflow-artifacts:[//host]/<path>`, and `http(s)://host/…/api/2.0/mlflow-artifacts/artifacts/<path>`
 * (a `--default-artifact-root` pointing at the server itself).
 *
 * @example
 * ```ts
 * proxiedPathOfUri("mlflow-artifacts:/1/abc/artifacts"); // "1/abc/artifacts"
 * proxiedPathOfUri("http://srv:5000/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts"); // "1/abc/artifacts"
 * ```
 */
export function proxiedPathOfUri(uri: string): string | undefined {
  const m = uri.match(/^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/s);
  if (m) return safeArtifactPath(decodeRepeatedly(m[1]));
  const http = uri.match(/^https?:\/\/[^/?#]*(\/[^?#]*)?/i);
  const path = http?.[1] ?? "";
  const at = path.indexOf(ARTIFACTS_ROUTE);
  if (!http || at < 0) return undefined;
  const rest = path.slice(at + ARTIFACTS_ROUTE.length);
  if (rest !== "" && !rest.startsWith("/")) return undefined;
  return safeArtifactPath(decodeRepeatedly(rest.replace(/^\/+/, "")));
}

/**
 * An artifact-repository resolver for the server: `mlflow-artifacts:` URIs map into the proxy's
 * destination (a directory, or a remote store such as `s3://bucket/prefix`), everything else goes to
 * the store.
 *
 * @example
 * ```ts
 * const repoFor = artifactRepositoryResolver(store, "/srv/mlartifacts");
 * repoFor("mlflow-artifacts:/1/abc/artifacts").rootUri; // "file:///srv/mlartifacts/1/abc/artifacts"
 * ```
 */
export function artifactRepositoryResolver(
  store: TrackingStore,
  destination: string,
  options: ArtifactRepositoryOptions = {},
): (artifactUri: string) => ArtifactRepository {
  return (artifactUri) => {
    const proxied = proxiedPathOfUri(artifactUri);
    if (proxied !== undefined) {
      if (isRemoteDestination(destination)) {
        // Encoded where the destination's reader decodes (an http(s) proxy): `a%20b` stays that name.
        return artifactRepositoryFor(joinArtifactUri(destination.replace(/\/+$/, ""), proxied), options);
      }
      // Confined to the destination: a run's or an experiment's folder there that is a link leads nowhere.
      return new LocalArtifactRepository(pathToFileURL(join(destination, proxied)).href, {
        within: destination,
      });
    }
    try {
      return store.getArtifactRepository(artifactUri);
    } catch (error) {
      // A root this server cannot read (another server's http://…) is not the client's mistake.
      if ((error as { code?: string }).code === "tracking/unsupported-artifact-uri") {
        throw mlflowError("NOT_IMPLEMENTED", `This server cannot serve artifacts stored at ${artifactUri}`);
      }
      throw error;
    }
  };
}

/**
 * The resolver of a server running without the `mlflow-artifacts` proxy (`--no-serve-artifacts`): a
 * proxied root (`mlflow-artifacts:…`, or an `http(s)` URL of a proxy route) is refused — MLflow 2.17
 * fails there too (it has no tracking server to resolve the root through), though with a 500 its
 * clients retry for minutes; kmlf answers NOT_IMPLEMENTED (501) as for any root it cannot serve, with
 * the root and the fix in the message (the wire carries no hint). Other roots resolve as before.
 *
 * @example
 * ```ts
 * const repoFor = refusingProxiedRoots(artifactRepositoryResolver(store, "/srv/mlartifacts"));
 * repoFor("mlflow-artifacts:/1/abc/artifacts"); // throws NOT_IMPLEMENTED
 * ```
 */
export function refusingProxiedRoots(
  resolver: (artifactUri: string) => ArtifactRepository,
): (artifactUri: string) => ArtifactRepository {
  return (artifactUri) => {
    if (proxiedPathOfUri(artifactUri) === undefined) return resolver(artifactUri);
    throw mlflowError(
      "NOT_IMPLEMENTED",
      `Artifacts stored at '${artifactUri}' are served through the mlflow-artifacts proxy, and this server ` +
        "runs without it (--no-serve-artifacts): restart it with --serve-artifacts (the default; check " +
        "MLFLOW_SERVE_ARTIFACTS) to serve them",
    );
  };
}

/** `urllib.parse.unquote` repeated until the text stops changing (at most 10 times), as MLflow's `_decode`. */
export function decodeRepeatedly(text: string): string {
  for (let i = 0; i < 10; i++) {
    const next = unquote(text);
    if (next === text) return text;
    text = next;
  }
  return text;
}

/**
 * Python's `urllib.parse.unquote`: `%XX` sequences as UTF-8 (invalid bytes → U+FFFD), the rest kept.
 *
 * @example
 * ```ts
 * unquote("a%2Fb%ZZ"); // "a/b%ZZ"
 * ```
 */
export function unquote(text: string): string {
  return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(3 * i + 1, 3 * i + 3), 16);
    return new TextDecoder().decode(bytes);
  });
}

/**
 * MLflow's `validate_path_is_safe` for an artifact path sent by a client: percent-decoded until
 * stable, then refused with MLflow's `Invalid path` when it holds `#`, a `..` segment, is absolute
 * (POSIX, Windows drive or UNC, `file://`) — and, unlike MLflow on Linux, when it holds a backslash
 * or a NUL (a Windows separator, and a byte no file name may hold: that refusal names the path). Returns
 * the path as sent (the query or body already decoded it once), not MLflow's decoded form: a file named
 * `a%20b` or `100%25` is that file, where MLflow serves `a b` and `100%` (or nothing). A `file:` URI
 * gives its decoded path, as MLflow.
 *
 * @example
 * ```ts
 * validateArtifactPathParam("a%20b/MLmodel"); // "a%20b/MLmodel"
 * validateArtifactPathParam("..%2Fetc"); // throws INVALID_PARAMETER_VALUE "Invalid path"
 * ```
 */
export function validateArtifactPathParam(rawPath: string): string {
  let path = decodeRepeatedly(rawPath);
  const invalid = () => mlflowError("INVALID_PARAMETER_VALUE", "Invalid path");
  if (path.includes("#")) throw invalid();
  // MLflow fails on a NUL with a 500 (Python's "embedded null byte"): kmlf names the path and why.
  if (path.includes("\0")) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid path: '${
        JSON.stringify(path).slice(1, -1)
      }' holds a NUL character (\\u0000), which no file name can hold`,
    );
  }
  const fileUri = path.match(/^file:(?:\/\/[^/]*)?(.*)$/is);
  if (fileUri) path = fileUri[1];
  if (
    path.includes("\\") || path.includes("\0") || path.split("/").includes("..") || path.startsWith("/") ||
    /^[a-zA-Z]:/.test(path)
  ) {
    throw invalid();
  }
  return fileUri ? path : rawPath;
}

/**
 * A proxied download of a path holding nothing: RESOURCE_DOES_NOT_EXIST (404), naming the path as the
 * client sent it and nothing of where the server keeps it.
 *
 * @example
 * ```ts
 * throw noArtifactAt("1/abc/artifacts/missing.txt");
 * ```
 */
export function noArtifactAt(relPath: string): TrackingError {
  return mlflowError("RESOURCE_DOES_NOT_EXIST", `No artifact at '${relPath}'`);
}

/**
 * A proxied download of a folder (MLflow answers 500; kmlf says what to do instead).
 *
 * @example
 * ```ts
 * throw artifactIsDirectory("1/abc/artifacts");
 * ```
 */
export function artifactIsDirectory(relPath: string): TrackingError {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Artifact '${relPath}' is a directory, not a file`,
    "list a directory with artifacts/list; download its files one by one",
  );
}
