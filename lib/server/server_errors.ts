/**
 * What the server answers, and logs, when it fails itself (a 5xx). MLflow answers a database failure
 * (SQLAlchemy's `OperationalError`: unreachable, refused login, timeout) with 503
 * `TEMPORARILY_UNAVAILABLE` and the driver's text, which names the database host. kmlf answers the same
 * status and code, but the message says only what failed and gives a reference; the full error — the
 * database URI with its password masked, the driver's text, the hint — goes to the server's log under
 * that reference. Any other 5xx message has the database's location replaced by `<backend store>`.
 *
 * @module
 */
import { TrackingError } from "../errors.ts";
import { mlflowError } from "../tracking/mod.ts";
import { maskUriCredentials } from "../uri_credentials.ts";

/** Receives one line per failed request, for the server's log. */
export type ServerErrorLog = (line: string) => void;

// kmlf's database codes as MLflow's server reports its driver's errors.
const DATABASE_FAILURES: Record<string, string> = {
  "tracking/database-unreachable": "cannot reach its database",
  "tracking/database-timeout": "gave up waiting for its database",
  "tracking/database-auth": "cannot log in to its database",
  "tracking/database-connection": "cannot connect to its database",
  "tracking/database-missing": "cannot use its database",
  "tracking/database-outcome-unknown": "lost its database connection while saving a change (whether it was " +
    "saved is unknown)",
};

/**
 * The error a client is shown for `error`: a database failure becomes MLflow's 503
 * `TEMPORARILY_UNAVAILABLE` (500 `INTERNAL_ERROR` when a change may have been saved: a retry could
 * save it twice) naming no host, with `ref` to find it in the log; anything else is unchanged.
 *
 * @example
 * ```ts
 * clientFacingError(error, "3f2a9c1e"); // TEMPORARILY_UNAVAILABLE: "The tracking server cannot reach…"
 * ```
 */
export function clientFacingError(error: unknown, ref: string): unknown {
  if (!(error instanceof TrackingError)) return error;
  const failure = DATABASE_FAILURES[error.code];
  if (!failure) return error;
  return mlflowError(
    error.code === "tracking/database-outcome-unknown" ? "INTERNAL_ERROR" : "TEMPORARILY_UNAVAILABLE",
    `The tracking server ${failure} (${error.code}); its log has the details under ref ${ref}`,
  );
}

/**
 * A function that replaces a database URI's location in a message — the URI as given and masked, its
 * `host:port` and its host (as drivers name them: `connect ECONNREFUSED db:5432`) — by
 * `<backend store>`. Identity for URIs without a network location (files, SQLite).
 *
 * @example
 * ```ts
 * backendLocationRedactor("postgresql://u:p@db.internal:5432/mlflow")("connect ECONNREFUSED db.internal:5432");
 * // "connect ECONNREFUSED <backend store>"
 * ```
 */
export function backendLocationRedactor(uri: string): (message: string) => string {
  const m = uri.match(/^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d+))?/i);
  if (!m || !m[1] || /^(sqlite|file)/i.test(uri)) return (message) => message;
  const host = m[1];
  const bareHost = host.replace(/^\[|\]$/g, "");
  const literal = [uri, maskUriCredentials(uri)];
  if (m[2]) literal.push(`${host}:${m[2]}`, `${bareHost}:${m[2]}`);
  literal.sort((a, b) => b.length - a.length);
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const hostPattern = new RegExp(`(?<![\\w.-])${escape(bareHost)}(?![\\w-]|\\.\\w)`, "g");
  return (message) => {
    for (const text of literal) message = message.replaceAll(text, "<backend store>");
    return message.replace(hostPattern, "<backend store>");
  };
}

/**
 * The log line for a request the server failed: method, path, status, the reference the client was
 * given, the full error (its code, message, hint and cause), with any password masked.
 *
 * @example
 * ```ts
 * log(serverErrorLine(request, 503, "3f2a9c1e", error));
 * ```
 */
export function serverErrorLine(request: Request, status: number, ref: string, error: unknown): string {
  const path = new URL(request.url).pathname;
  const parts = [`kmlf server: ${request.method} ${path} answered ${status} (ref ${ref}):`];
  if (error instanceof TrackingError) {
    parts.push(`[${error.code}] ${error.message}`);
    if (error.hint) parts.push(`hint: ${error.hint}`);
    const cause = error.cause as Error | undefined;
    if (cause?.message && !error.message.includes(cause.message)) parts.push(`cause: ${cause.message}`);
  } else {
    parts.push((error as Error)?.stack ?? String(error));
  }
  return maskPasswords(parts.join(" "));
}

// Any URI in the line with its user info's password (or ?password=) masked.
function maskPasswords(line: string): string {
  return line.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, (uri) => maskUriCredentials(uri));
}

/**
 * A short random reference that ties an answer to its log line.
 *
 * @example
 * ```ts
 * newErrorRef(); // "3f2a9c1e"
 * ```
 */
export function newErrorRef(): string {
  return crypto.randomUUID().slice(0, 8);
}
