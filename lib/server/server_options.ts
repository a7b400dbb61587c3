/**
 * Reading the server's start-up options: which `Host` names a bind address answers, and whether an
 * artifacts destination is remote. Kept apart from the request handler so `kmlf server` and
 * `kmlf models serve` decide them before they load the API.
 *
 * @module
 */

/**
 * The `Host` names a server bound to `bindHost` should answer: for a loopback address, the loopback
 * names (plus the address itself) — a web page cannot then reach it through DNS rebinding; for any
 * other address, undefined (an exposed server answers any name).
 *
 * @example
 * ```ts
 * loopbackHostsFor("127.0.0.1"); // ["localhost", "127.0.0.1", "::1"]
 * loopbackHostsFor("0.0.0.0"); // undefined
 * ```
 */
export function loopbackHostsFor(bindHost: string): string[] | undefined {
  const host = bindHost.toLowerCase();
  if (host !== "localhost" && host !== "::1" && !/^127\./.test(host)) return undefined;
  return [...new Set(["localhost", "127.0.0.1", "::1", host])];
}

/**
 * Whether an `--artifacts-destination` names a remote store (`s3://…`) rather than a local folder.
 *
 * @example
 * ```ts
 * isRemoteDestination("s3://bucket/mlflow"); // true
 * isRemoteDestination("/srv/mlartifacts"); // false
 * ```
 */
export function isRemoteDestination(destination: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]+:\/\//.test(destination) && !/^file:/i.test(destination);
}

/** The flag of `kmlf server` / `kmlf mlflow ui` that lets clients name more local artifact locations. */
export const ALLOWED_ARTIFACT_ROOTS_FLAG = "--allowed-artifact-roots";
/** The environment variable behind {@link ALLOWED_ARTIFACT_ROOTS_FLAG} (comma-separated folders). */
export const ALLOWED_ARTIFACT_ROOTS_ENV = "KMLF_ALLOWED_ARTIFACT_ROOTS";
