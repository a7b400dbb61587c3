/**
 * Tracking URI resolution, with MLflow's (SQLAlchemy's) meaning of each form:
 *
 * | URI | store |
 * | --- | --- |
 * | `sqlite:////abs/path.db` (4 slashes) | SQLite at `/abs/path.db` |
 * | `sqlite:///rel.db` (3 slashes) | SQLite at `<baseDir>/rel.db` |
 * | `sqlite://` or `sqlite:///:memory:` | in-memory SQLite |
 * | `file:///abs/mlruns`, `file:rel` | file store |
 * | a bare path: `*.db` / `*.sqlite` / `*.sqlite3` | SQLite |
 * | any other bare path (a directory) | file store |
 * | `http://…`, `https://…` | REST store (an MLflow server) |
 * | `postgresql://user:pass@host:port/db` (`postgres://`, `postgresql+psycopg2://`) | PostgreSQL |
 *
 * @module
 */
import { isAbsolute, percentDecode, resolve } from "../../path.ts";
import { type FileUriFault, fileUriPath as readFileUriPath, readLocalUri } from "../../local_uri_reading.ts";
import { foreignPath, MLFLOW_PATHS } from "../../foreign_path.ts";
import { TrackingError } from "../../errors.ts";
import { maskUriCredentials } from "../../uri_credentials.ts";

/** Where a tracking URI points. Paths are absolute (or `:memory:`). */
export type TrackingTarget =
  | { kind: "sqlite"; uri: string; path: string }
  | { kind: "file"; uri: string; path: string }
  | { kind: "rest"; uri: string; url: string }
  | { kind: "postgresql"; uri: string; url: string };

/** Options of {@link parseTrackingUri}. */
export interface TrackingUriOptions {
  /** Relative paths resolve against this directory (the project root). */
  baseDir: string;
}

/**
 * An artifact root option as given to a store: URIs and absolute paths as they are, a relative path
 * resolved against `baseDir` (the project root), undefined for the store's default.
 *
 * @example
 * ```ts
 * resolveArtifactRoot("mlartifacts", "/project"); // "/project/mlartifacts"
 * resolveArtifactRoot("s3://bucket/mlflow", "/project"); // "s3://bucket/mlflow"
 * ```
 */
export function resolveArtifactRoot(artifactRoot: string | undefined, baseDir: string): string | undefined {
  return artifactRoot === undefined || /^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(artifactRoot) ||
      isAbsolute(artifactRoot)
    ? artifactRoot
    : resolve(baseDir, artifactRoot);
}

const SUPPORTED =
  "sqlite:///<path>.db (sqlite:////<absolute path>.db), file:///<directory> or a plain directory path (file store), " +
  "a plain <path>.db, postgresql://<user>:<password>@<host>:<port>/<database>, and http(s)://<host>:<port> " +
  "(an MLflow server)";

const SQLITE_EXTENSIONS = /\.(?:db|sqlite|sqlite3)$/i;

/**
 * Resolves a tracking URI to the store it names.
 *
 * @example
 * ```ts
 * parseTrackingUri("sqlite:///mlflow.db", { baseDir: "/project" }); // { kind: "sqlite", path: "/project/mlflow.db", … }
 * parseTrackingUri("mlruns", { baseDir: "/project" }); // { kind: "file", path: "/project/mlruns", … }
 * ```
 */
export function parseTrackingUri(uri: string, options: TrackingUriOptions): TrackingTarget {
  if (typeof uri !== "string") {
    // From plain JavaScript (an unset variable): named here, not a TypeError on `.trim`.
    throw new TrackingError(
      "tracking/unsupported-uri",
      `The tracking URI is ${uri === null ? "null" : typeof uri}, not a string`,
      {
        hint: `pass one of: ${SUPPORTED}`,
      },
    );
  }
  const text = uri.trim();
  const abs = (p: string) => {
    checkLocalPath(p, uri);
    return isAbsolute(p) ? resolve(p) : resolve(options.baseDir, p);
  };
  if (text === "") {
    throw new TrackingError("tracking/unsupported-uri", "Cannot use an empty tracking URI", {
      hint: `use one of: ${SUPPORTED}`,
    });
  }
  if (/^sqlite:/i.test(text)) {
    if (text === "sqlite://" || text === "sqlite:///:memory:" || text === "sqlite://:memory:") {
      return { kind: "sqlite", uri: text, path: ":memory:" };
    }
    const m = text.match(/^sqlite:\/\/\/(.+)$/i);
    if (!m || m[1].includes("?")) {
      throw new TrackingError(
        "tracking/unsupported-uri",
        `Cannot use tracking URI "${uri}": malformed sqlite URI`,
        {
          hint:
            "write sqlite:///relative/path.db or sqlite:////absolute/path.db (SQLAlchemy form, no query string)",
        },
      );
    }
    // SQLAlchemy takes the database path literally (only user and password are percent-decoded).
    return { kind: "sqlite", uri: text, path: abs(m[1]) };
  }
  if (/^file:/i.test(text)) {
    const path = /^file:\/\//i.test(text) ? fileUriPath(text, uri) : abs(percentDecode(text.slice(5)));
    return { kind: "file", uri: text, path };
  }
  if (/^https?:\/\//i.test(text)) return { kind: "rest", uri: text, url: text.replace(/\/+$/, "") };
  // SQLAlchemy's dialect+driver form (postgresql+psycopg2://) names the same database.
  const pg = text.match(/^postgres(?:ql)?(?:\+[a-z0-9_]+)?:\/\/(.*)$/i);
  if (pg) {
    const problem = postgresUriProblem(pg[1]);
    if (problem) {
      throw new TrackingError(
        "tracking/unsupported-uri",
        `Cannot use tracking URI "${maskUriCredentials(uri)}": ${problem}`,
        {
          hint:
            "write postgresql://<user>:<password>@<host>:<port>/<database> (percent-encode / ? # : @ in the user and password)",
        },
      );
    }
    return { kind: "postgresql", uri: text, url: `postgresql://${pg[1]}` };
  }
  // MLflow's (and kedro-mlflow's) special values for a Databricks workspace: never a folder named databricks.
  if (/^databricks(?:-uc)?(?::|$)/i.test(text)) {
    throw new TrackingError(
      "tracking/unsupported-uri",
      `Cannot use tracking URI "${uri}": it names a Databricks workspace through its CLI profile, which kmlf ` +
        "does not read",
      {
        hint: `log to a store kmlf opens instead: ${SUPPORTED}`,
      },
    );
  }
  // A scheme is two or more characters before ':' (a single letter is a Windows drive).
  const scheme = text.match(/^([a-zA-Z][a-zA-Z0-9+.-]+):/)?.[1];
  if (scheme) {
    throw new TrackingError(
      "tracking/unsupported-uri",
      `Cannot use tracking URI "${maskUriCredentials(uri)}": the scheme "${scheme}:" is not supported`,
      { hint: `use one of: ${SUPPORTED}` },
    );
  }
  const path = abs(text);
  return SQLITE_EXTENSIONS.test(path)
    ? { kind: "sqlite", uri: `sqlite:///${path}`, path }
    : { kind: "file", uri: text, path };
}

/**
 * Refuses a local store path no user means the way MLflow would take it (`~/…`, `C:\\…` off Windows), or no
 * file name can hold (a NUL, `file:///a%00b`: the first mkdir failed as an internal error).
 */
function checkLocalPath(path: string, uri: string): void {
  if (path.includes("\0")) {
    throw new TrackingError(
      "tracking/unsupported-uri",
      `Cannot use tracking URI ${
        JSON.stringify(uri)
      }: its path holds a NUL character, which no file name can hold`,
      { hint: "remove the NUL (%00, \\u0000) from the URI" },
    );
  }
  const foreign = foreignPath(path, MLFLOW_PATHS);
  if (foreign) {
    throw new TrackingError(
      "tracking/unsupported-uri",
      `Cannot use tracking URI "${uri}": ${foreign.problem}`,
      {
        hint: foreign.hint,
      },
    );
  }
}

/** What a `file://` URI naming no folder of this machine holds instead (lib/local_uri_reading.ts). */
const FILE_URI_FAULTS: Record<Exclude<FileUriFault["fault"], "host">, string> = {
  "no-absolute-path": "it names no folder (write its path after file://)",
  "encoded-slash": "it holds an encoded '/' (%2F), which no folder name can hold",
  nul: "its path holds a NUL character, which no file name can hold",
};

/**
 * The path of a `file://` URI; one naming another host (`file://server/share`; `localhost` and `127.0.0.1`
 * are this machine, as MLflow reads them), or no folder, is refused.
 */
function fileUriPath(text: string, uri: string): string {
  const read = readFileUriPath(readLocalUri(text)!);
  if ("fault" in read) {
    throw new TrackingError(
      "tracking/unsupported-uri",
      `Cannot use tracking URI "${uri}": ${
        read.fault === "host"
          ? `it names the host '${read.host}', and a local folder is file:///<path>`
          : FILE_URI_FAULTS[read.fault]
      }`,
      { hint: "write file:///<absolute path> (three slashes: a file: URI names no host), or the plain path" },
    );
  }
  checkLocalPath(read.path, uri);
  return read.path;
}

/**
 * What is wrong with the part of a PostgreSQL URI after `postgresql://` (credentials, hosts, ports,
 * database), or undefined; checked before connecting. A socket form (`u@/db?host=/var/run/postgresql`)
 * and libpq's host lists (`h1:5432,h2:5433`) are fine.
 */
function postgresUriProblem(rest: string): string | undefined {
  let hostAndDb = rest;
  const at = rest.lastIndexOf("@");
  if (at >= 0 && rest.slice(at + 1).includes("/")) {
    if (/[/?#]/.test(rest.slice(0, at))) {
      return "the user or password holds / ? or #, which must be percent-encoded (%2F %3F %23)";
    }
    hostAndDb = rest.slice(at + 1);
  }
  const m = hostAndDb.match(/^([^/?#]*)\/([^/?#]+)/);
  if (!m) return "a PostgreSQL URI names a host and a database";
  for (const part of m[1] ? m[1].split(",") : []) {
    const hp = part.match(/^(\[[^\]]*\]|[^:[\]]*)(?::(.*))?$/);
    if (!hp || (hp[1].startsWith("[") && !/^\[[0-9A-Fa-f:.]+(%[\w.-]+)?\]$/.test(hp[1]))) {
      return "the host part is malformed (an IPv6 address goes in brackets: [::1])";
    }
    if (hp[2] === undefined) continue;
    if (!/^\d+$/.test(hp[2])) return `the port "${hp[2]}" is not a number`;
    if (Number(hp[2]) < 1 || Number(hp[2]) > 65535) return `the port ${hp[2]} is not between 1 and 65535`;
  }
  return undefined;
}
