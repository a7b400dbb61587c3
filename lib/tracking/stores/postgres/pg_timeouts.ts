/**
 * How long kmlf waits on PostgreSQL, so a locked table or a stalled server fails a run or a server
 * request with a clear error instead of hanging it. The server enforces `statement_timeout` (60 s) and
 * `lock_timeout` (30 s), sent as startup parameters; the client gives up on its own when the server goes
 * silent (a network or server that stalls never enforces anything), and a connection attempt is bounded
 * by `connect_timeout` (10 s). Settings in the tracking URI win, written as libpq and psycopg2 (so
 * MLflow/SQLAlchemy users) write them: `?connect_timeout=30` and
 * `?options=-c%20statement_timeout%3D5min%20-c%20lock_timeout%3D1min` (npm `postgres` also takes
 * `?statement_timeout=5min` as a startup parameter). Next comes what the database server sets (a DBA's
 * `ALTER ROLE … SET`, `ALTER DATABASE … SET`, postgresql.conf: `withServerSettings`, read once at
 * connect); kmlf's defaults apply only where neither says anything, since a startup parameter would
 * override the server's own.
 *
 * @module
 */
import { TrackingError } from "../../../errors.ts";

/** kmlf's server-side limits, unless the URI sets its own. */
export const DEFAULT_STATEMENT_TIMEOUT = "60s";
/** A lock wait fails before the statement limit, so the error can say a lock is the cause. */
export const DEFAULT_LOCK_TIMEOUT = "30s";
/** Seconds to open a connection (libpq's `connect_timeout`). */
export const DEFAULT_CONNECT_TIMEOUT_S = 10;

/** Where a limit comes from: the tracking URI, the database server's own settings, or kmlf's default. */
export type TimeoutOrigin = "uri" | "server" | "kmlf";

/** One server-side limit in ms (0 = none, undefined = unreadable), as it reads where it was set. */
export interface TimeoutSetting {
  ms: number | undefined;
  text: string;
  fromUri: boolean;
  origin: TimeoutOrigin;
}

/** The limits of one pool, and the startup parameters that set them. */
export interface PgTimeouts {
  /** Statement limit in ms (0 = none), and how it reads in the URI, on the server or in kmlf's default. */
  statement: TimeoutSetting;
  lock: TimeoutSetting;
  /** Seconds per connection attempt. */
  connectS: number;
  connectFromUri: boolean;
  /** Seconds the client waits for an answer (or for a free connection) before giving up; 0 = never. */
  clientS: number;
  /** Startup parameters kmlf adds (only those the URI does not set). */
  startup: Record<string, string>;
}

const UNIT_MS: Record<string, number> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** A PostgreSQL duration setting (`5000`, `30s`, `5 min`) in ms; undefined when it cannot be read. */
export function durationMs(text: string): number | undefined {
  const m = text.trim().match(/^(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?$/);
  return m ? Number(m[1]) * UNIT_MS[m[2] ?? "ms"] : undefined;
}

/**
 * The `-c name=value` and `--name=value` settings of libpq's `options` parameter (backslash escapes a
 * space), names with `-` read as `_`, as the server reads them.
 */
export function optionSettings(options: string): Map<string, string> {
  const words: string[] = [];
  let word = "";
  for (let i = 0; i < options.length; i++) {
    const c = options[i];
    if (c === "\\" && i + 1 < options.length) word += options[++i];
    else if (/\s/.test(c)) {
      if (word) words.push(word);
      word = "";
    } else word += c;
  }
  if (word) words.push(word);
  const settings = new Map<string, string>();
  for (let i = 0; i < words.length; i++) {
    let setting: string | undefined;
    if (words[i] === "-c") setting = words[++i];
    else if (words[i].startsWith("-c")) setting = words[i].slice(2);
    else if (words[i].startsWith("--")) setting = words[i].slice(2);
    const eq = setting?.indexOf("=") ?? -1;
    if (setting && eq > 0) {
      settings.set(setting.slice(0, eq).replaceAll("-", "_").toLowerCase(), setting.slice(eq + 1));
    }
  }
  return settings;
}

/** The URI's query parameters (a URI with a host list is no WHATWG URL, so the query is split by hand). */
function uriQuery(url: string): URLSearchParams {
  const q = url.indexOf("?");
  return new URLSearchParams(q < 0 ? "" : url.slice(q + 1).split("#")[0]);
}

/**
 * The limits for `url`: the URI's own settings where it has them, kmlf's defaults otherwise.
 *
 * @example
 * ```ts
 * pgTimeouts("postgresql://u@h/db?options=-c%20statement_timeout%3D5min").statement.ms; // 300000
 * pgTimeouts("postgresql://u@h/db").startup; // { statement_timeout: "60s", lock_timeout: "30s" }
 * ```
 */
export function pgTimeouts(url: string, defaults: { connectTimeoutS?: number } = {}): PgTimeouts {
  const query = uriQuery(url);
  const options = optionSettings(query.get("options") ?? "");
  const startup: Record<string, string> = {};
  const setting = (name: string, fallback: string) => {
    const given = options.get(name) ?? query.get(name) ?? undefined;
    if (given === undefined) startup[name] = fallback;
    const text = given ?? fallback;
    const origin: TimeoutOrigin = given === undefined ? "kmlf" : "uri";
    return { ms: durationMs(text), text, fromUri: given !== undefined, origin };
  };
  const statement = setting("statement_timeout", DEFAULT_STATEMENT_TIMEOUT);
  const lock = setting("lock_timeout", DEFAULT_LOCK_TIMEOUT);
  const uriConnect = Number(query.get("connect_timeout") ?? NaN);
  const connectFromUri = Number.isFinite(uriConnect) && uriConnect >= 0;
  return {
    statement,
    lock,
    connectS: connectFromUri ? uriConnect : defaults.connectTimeoutS ?? DEFAULT_CONNECT_TIMEOUT_S,
    connectFromUri,
    clientS: clientWaitS(statement),
    startup,
  };
}

// The server cancels a statement at its limit; the client waits that long plus a margin for the
// cancel to arrive, and only when the server says nothing at all gives up on its own. An unreadable
// limit (the server refuses it at connect) gets the default's backstop.
function clientWaitS(statement: TimeoutSetting): number {
  const limitMs = statement.ms ?? durationMs(DEFAULT_STATEMENT_TIMEOUT)!;
  return limitMs === 0 ? 0 : Math.ceil((limitMs + Math.min(limitMs, 10_000)) / 1000);
}

/** The limits kmlf would default, as the server reports them in `pg_settings` (without kmlf's own). */
export const SERVER_TIMEOUTS_QUERY = "SELECT name, setting, unit, source FROM pg_settings " +
  "WHERE name IN ('statement_timeout', 'lock_timeout')";

/** One row of {@link SERVER_TIMEOUTS_QUERY}. */
export interface ServerTimeoutRow {
  name: string;
  setting: string;
  unit: string | null;
  source: string;
}

/**
 * `limits` with the database server's own settings in place of kmlf's defaults: a limit the server
 * sets anywhere (`source` other than `default`: a role's or a database's `ALTER … SET`, postgresql.conf,
 * `ALTER SYSTEM`) is the server's, and kmlf no longer sends its default (a startup parameter would
 * override it). A limit the URI sets is kept as it is.
 *
 * @example
 * ```ts
 * const rows = [{ name: "statement_timeout", setting: "300000", unit: "ms", source: "user" }];
 * withServerSettings(pgTimeouts("postgresql://u@h/db"), rows).statement.text; // "300000ms"
 * ```
 */
export function withServerSettings(limits: PgTimeouts, rows: readonly ServerTimeoutRow[]): PgTimeouts {
  const startup = { ...limits.startup };
  const pick = (name: string, current: TimeoutSetting): TimeoutSetting => {
    const row = rows.find((r) => r.name === name);
    if (current.origin !== "kmlf" || !row || row.source === "default") return current;
    delete startup[name];
    const text = `${row.setting}${row.unit ?? ""}`;
    return { ms: durationMs(text), text, fromUri: false, origin: "server" };
  };
  const statement = pick("statement_timeout", limits.statement);
  const lock = pick("lock_timeout", limits.lock);
  return { ...limits, statement, lock, clientS: clientWaitS(statement), startup };
}

// Where a limit that ran out was set, for the message: a DBA's setting is changed on the server.
function setWhere(setting: TimeoutSetting): string {
  return setting.origin === "server" ? " (set on the database server)" : "";
}

const URI_HELP = "the tracking URI's options (mlflow.yml server.mlflow_tracking_uri, MLFLOW_TRACKING_URI " +
  "or --backend-store-uri)";

function seconds(s: number): string {
  return `${s} s`;
}

/**
 * The error for a statement the server canceled (`statement_timeout`, `lock_timeout`, or another
 * session's `pg_cancel_backend`), or the client gave up on, or undefined for any other error.
 *
 * @example
 * ```ts
 * const error = timeoutError(caught, db.where, pgTimeouts(url), 4);
 * if (error) throw error;
 * ```
 */
export function timeoutError(
  error: unknown,
  where: string,
  limits: PgTimeouts,
  poolSize: number,
): TrackingError | undefined {
  const code = String((error as { code?: unknown })?.code ?? "");
  const message = (error as Error)?.message ?? String(error);
  if (code === "55P03") {
    return new TrackingError(
      "tracking/database-timeout",
      `The PostgreSQL tracking database ${where} waited longer than lock_timeout=${limits.lock.text}${
        setWhere(limits.lock)
      } for ` +
        `a lock another session holds (${message})`,
      {
        cause: error,
        hint: "find the session holding it (SELECT * FROM pg_stat_activity WHERE state <> 'idle') and end " +
          `it; to wait longer, set -c lock_timeout=2min in ${URI_HELP}: …/database?options=-c%20lock_timeout%3D2min`,
      },
    );
  }
  if (code === "57014") {
    const byLimit = /statement timeout/i.test(message);
    return new TrackingError(
      "tracking/database-timeout",
      byLimit
        ? `The PostgreSQL tracking database ${where} did not finish a statement within ` +
          `statement_timeout=${limits.statement.text}${setWhere(limits.statement)} (${message})`
        : `The PostgreSQL tracking database ${where} canceled a statement (${message})`,
      {
        cause: error,
        hint: "a lock held by another session or a very busy server is the usual cause (see " +
          "pg_stat_activity); to allow more time, set -c statement_timeout=5min (0 for no limit) in " +
          `${URI_HELP}: …/database?options=-c%20statement_timeout%3D5min`,
      },
    );
  }
  if (code === "QUERY_TIMEOUT") {
    return new TrackingError(
      "tracking/database-timeout",
      `The PostgreSQL tracking database ${where} did not answer within ${seconds(limits.clientS)} ` +
        `(statement_timeout=${limits.statement.text} plus a margin): the server or the network stalled`,
      {
        cause: error,
        hint: "check that the server is alive (pg_isready) and the network to it; the wait follows " +
          `statement_timeout in ${URI_HELP}`,
      },
    );
  }
  if (code === "QUEUE_TIMEOUT") {
    return new TrackingError(
      "tracking/database-timeout",
      `Every connection to the PostgreSQL tracking database ${where} (${poolSize}) stayed busy for ` +
        `${seconds(limits.clientS)}: statements are waiting on locks or a slow server`,
      {
        cause: error,
        hint: "see pg_stat_activity for what they wait on; the wait follows statement_timeout in " + URI_HELP,
      },
    );
  }
  return undefined;
}

/** The hint for connection attempts that timed out: `connect_timeout` and where to raise it. */
export function connectTimeoutHint(limits: PgTimeouts): string {
  return `each attempt waited connect_timeout=${limits.connectS} s${
    limits.connectFromUri ? " (from the URI)" : ""
  }; check that the server is up and reachable, or wait longer with ?connect_timeout=30 in the tracking URI`;
}
