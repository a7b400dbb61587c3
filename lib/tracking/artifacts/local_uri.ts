/**
 * Whether a `file:` URI or a path names a folder of this machine: the one rule for every local artifact root
 * and location a user or client writes — `kmlf server`'s and `kmlf mlflow ui`'s `--default-artifact-root`,
 * `--artifacts-destination` and `--allowed-artifact-roots` (and their variables), an experiment's
 * `artifact_location` (the REST API, `kmlf experiments create`, the client), a model version's `source`, the
 * artifact root given to `FileStore.open` / `SqliteStore.open` — and, for its first three parts, every read
 * of a stored one (`localPathOfUri`; the server names the rest when it refuses to read one). Light (no store
 * code): `kmlf server` checks its flags with it before it loads a store.
 *
 * @module
 */
import { foreignPath } from "../../foreign_path.ts";
import { fileUriPath, readLocalUri } from "../../local_uri_reading.ts";
import { mlflowError } from "../tracking_errors.ts";

/** Why a value names no local folder, and what to write instead. */
export interface LocalUriProblem {
  problem: string;
  hint: string;
}

const FILE_URI_HINT =
  "write file:///<absolute path> (three slashes: a file: URI names no host; '/' between folders), or the plain path";

/**
 * Why the `file:` URI or path `uri` cannot name a local folder in any reading — another host
 * (`file://server/x`), an encoded `/` (`%2F`), a NUL — or undefined. MLflow drops the host and decodes the
 * `/`, reading another folder than the one written. Other schemes (`s3://`) are undefined: no local folder.
 *
 * @example
 * ```ts
 * localUriProblem("file://server/share/x")?.problem; // "it names the host 'server', and a local folder is file:///<path>"
 * localUriProblem("file:///srv/mlartifacts"); // undefined
 * ```
 */
export function localUriProblem(uri: string): LocalUriProblem | undefined {
  const reading = readLocalUri(uri);
  // `FILE:` is refused by the written rule below; a stored one is read as MLflow reads it.
  const fault = reading?.file ? fileUriPath(reading) : undefined;
  if (fault && "fault" in fault && fault.fault === "host") {
    return {
      problem: `it names the host '${fault.host}', and a local folder is file:///<path>`,
      hint: FILE_URI_HINT,
    };
  }
  if (fault && "fault" in fault && fault.fault === "encoded-slash") {
    // Node's rule: an encoded `/` names no folder.
    return {
      problem: "it holds an encoded '/' (%2F), which no folder name can hold",
      hint: FILE_URI_HINT,
    };
  }
  if (uri.includes("\0") || /%00/.test(uri) && reading?.file) {
    return { problem: "it holds a NUL character, which no file name can hold", hint: FILE_URI_HINT };
  }
  return undefined;
}

/**
 * Why `value`, written as a local artifact root or location (a `file:` URI, an absolute or relative path),
 * names no folder of this machine, or undefined (also for remote URIs: `s3://…`, `mlflow-artifacts:/…`).
 * Besides {@link localUriProblem}: a `file:` URI without an absolute path (`file:`, `file:x`, which MLflow
 * reads as the file system's root or a folder of wherever a reader runs) and a path written for another
 * machine (`file:///C:/x`, `C:\x`, `~/x`, `a\b`: see `lib/foreign_path.ts`).
 *
 * @example
 * ```ts
 * writtenLocalLocationProblem("file:///C:/mlartifacts")?.problem; // "it is a Windows path (drive C:), …"
 * writtenLocalLocationProblem("file:")?.problem; // "it is a file: URI naming no absolute folder"
 * writtenLocalLocationProblem("s3://bucket/x"); // undefined
 * ```
 */
export function writtenLocalLocationProblem(value: string): LocalUriProblem | undefined {
  const reading = readLocalUri(value);
  if (!reading) return undefined;
  if (reading.file?.otherCase) {
    return { problem: "its scheme is not spelled file: (lower case)", hint: FILE_URI_HINT };
  }
  const basic = localUriProblem(value);
  if (basic) return basic;
  if (reading.file && !reading.written.startsWith("/")) {
    return { problem: "it is a file: URI naming no absolute folder", hint: FILE_URI_HINT };
  }
  const foreign = foreignPath(reading.written, {
    tilde: "here (MLflow does not expand it either)",
    relative: "a plain relative path",
  });
  return foreign && { problem: foreign.problem, hint: foreign.hint };
}

/**
 * Refuses (INVALID_PARAMETER_VALUE) an artifact root or location written as a local folder that names none
 * of this machine: `file://<host>/x` (MLflow drops the host), `file:` or `file:x` (MLflow writes at the file
 * system's root), `file:///C:/x` or `C:\x` (a folder named `C:` here), `~/x`, a `%2F` or a NUL. Remote
 * locations pass. Checks every store's new experiment location and the root given to `FileStore.open` and
 * `SqliteStore.open`.
 *
 * @example
 * ```ts
 * checkLocalArtifactLocation("file:///srv/mlartifacts"); // passes
 * checkLocalArtifactLocation("file://server/share"); // throws INVALID_PARAMETER_VALUE
 * ```
 */
export function checkLocalArtifactLocation(location: string): void {
  const unusable = writtenLocalLocationProblem(location);
  if (!unusable) return;
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Cannot use '${JSON.stringify(location).slice(1, -1)}' as a local artifact location: ${unusable.problem}`,
    unusable.hint,
  );
}
