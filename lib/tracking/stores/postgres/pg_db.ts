/**
 * A pool of connections to one PostgreSQL database through npm `postgres` (loaded on first use, so
 * `kmlf --help` and SQLite runs never pay for it), with the rules the tracking store needs: BIGINT
 * columns as numbers, cached prepared statements, write transactions, read-only snapshot reads, and a
 * dropped or refused connection retried with exponential backoff before a clear error.
 *
 * @module
 */
import type { Sql, TransactionSql } from "postgres";
import { TrackingError } from "../../../errors.ts";
import { mlflowError } from "../../tracking_errors.ts";
import {
  connectTimeoutHint,
  type PgTimeouts,
  pgTimeouts,
  SERVER_TIMEOUTS_QUERY,
  type ServerTimeoutRow,
  timeoutError,
  withServerSettings,
} from "./pg_timeouts.ts";
import { maskUriCredentials } from "../../../uri_credentials.ts";
import { valueTooLong } from "./pg_widths.ts";

/** Runs statements: the pool itself, or one transaction. */
export interface PgQuery {
  /** All rows of a query. */
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** The first row of a query, or undefined. */
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a statement; returns the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** Options of {@link PgDb.connect}. */
export interface PgDbOptions {
  /** Most connections open at once (default 4; `kmlf server` uses 10). */
  poolSize?: number;
  /** Retries of a dropped or refused connection (default 5). */
  maxRetries?: number;
  /** Delay before the first retry in ms, doubled for each further one (default 200). */
  backoffMs?: number;
  /** Seconds to wait for a connection (default 10; the URI's `?connect_timeout=` wins). */
  connectTimeoutS?: number;
  /** Seconds to wait for a canceled statement's answer before closing its connection (default 5). */
  cancelTimeoutS?: number;
}

// Client-side codes of npm `postgres` and the system, and server SQLSTATEs, that mean "the connection
// went away or could not be made": worth retrying. 40001/40P01 are serialization failures and deadlocks.
const RETRYABLE = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "40001",
  "40P01",
]);

function errorCode(error: unknown): string {
  return String((error as { code?: unknown })?.code ?? "");
}

/** Whether an error means the connection failed (rather than the statement). */
export function isConnectionError(error: unknown): boolean {
  const code = errorCode(error);
  return RETRYABLE.has(code) || code.startsWith("08");
}

// Answers of the server that retrying cannot change, with the fix.
function configurationError(error: unknown, where: string): TrackingError | undefined {
  const code = errorCode(error);
  const message = (error as Error).message;
  if (code === "28P01" || code === "28000") {
    return new TrackingError("tracking/database-auth", `Cannot log in to ${where}: ${message}`, {
      cause: error,
      hint: "check the user and password in the tracking URI (postgresql://user:password@host:port/database)",
    });
  }
  // npm `postgres`'s own codes for a connection the server refused to set up: retrying cannot change them.
  if (/^(AUTH_|SASL_|AUTHENTICATION_|CHANNEL_BINDING_)/.test(code)) {
    return new TrackingError("tracking/database-auth", `Cannot log in to ${where}: ${message}`, {
      cause: error,
      hint: "check the user and password in the tracking URI, and that the server's pg_hba.conf lets this " +
        "user log in with a password (scram-sha-256 or md5)",
    });
  }
  if (/^(SSL_|TLS_)/.test(code)) {
    return new TrackingError("tracking/database-connection", `Cannot connect to ${where}: ${message}`, {
      cause: error,
      hint: "make the URI's sslmode match the server (?sslmode=disable for a server without TLS, " +
        "?sslmode=require or verify-full for one with it)",
    });
  }
  if (code === "PROTOCOL_ERROR" || code === "MESSAGE_NOT_SUPPORTED") {
    return new TrackingError(
      "tracking/database-connection",
      `Cannot use ${where}: the server at that host and port does not speak PostgreSQL's protocol (${message})`,
      {
        cause: error,
        hint: "point the URI at the PostgreSQL server's port (5432 by default); an MLflow tracking server " +
          "is reached with http://host:port instead",
      },
    );
  }
  if (code === "ENOTFOUND") {
    return new TrackingError(
      "tracking/database-unreachable",
      `Cannot reach the PostgreSQL tracking database ${where}: no host has that name (${message})`,
      {
        cause: error,
        hint: "fix the host name in the tracking URI (mlflow.yml server.mlflow_tracking_uri, " +
          "MLFLOW_TRACKING_URI or --backend-store-uri)",
      },
    );
  }
  // A setting the URI passes to the server (a query parameter, or -c in ?options=) that it refuses.
  if (
    (code === "42704" || code === "22023") && /configuration parameter|value for parameter/i.test(message)
  ) {
    return new TrackingError("tracking/database-connection", `Cannot connect to ${where}: ${message}`, {
      cause: error,
      hint: "fix or remove that parameter in the tracking URI: kmlf passes query parameters other than " +
        "sslmode, connect_timeout, password, options and target_session_attrs to the server as settings " +
        "(libpq client parameters such as keepalives are not used)",
    });
  }
  if (code === "3D000") {
    return new TrackingError("tracking/database-missing", `Cannot use ${where}: ${message}`, {
      cause: error,
      hint: "create the database first (createdb <name>, or CREATE DATABASE <name>), as for mlflow server",
    });
  }
  return undefined;
}

type PostgresFactory = typeof import("postgres").default;

/**
 * One database's connection pool.
 *
 * @example
 * ```ts
 * const db = await PgDb.connect("postgresql://mlflow@127.0.0.1:5432/mlflow");
 * const ids = await db.read((q) => q.all<{ run_uuid: string }>("SELECT run_uuid FROM runs"));
 * await db.close();
 * ```
 */
export class PgDb implements PgQuery {
  /** The URL without its password. */
  readonly where: string;
  readonly #sql: Sql;
  /** How long statements, lock waits and connection attempts may take (pg_timeouts.ts). */
  readonly limits: PgTimeouts;
  readonly #maxRetries: number;
  readonly #backoffMs: number;
  readonly #poolSize: number;

  private constructor(sql: Sql, where: string, limits: PgTimeouts, options: PgDbOptions) {
    this.#sql = sql;
    this.where = where;
    this.limits = limits;
    this.#maxRetries = options.maxRetries ?? 5;
    this.#backoffMs = options.backoffMs ?? 200;
    this.#poolSize = options.poolSize ?? 4;
  }

  /**
   * Creates the pool (connections open on first use). When kmlf would default a limit the URI leaves
   * unset, one connection first asks the server whether it sets that limit itself (a DBA's role or
   * database setting wins over kmlf's default), and is closed.
   */
  static async connect(url: string, options: PgDbOptions = {}): Promise<PgDb> {
    const postgres: PostgresFactory = (await import("postgres")).default;
    const asked = pgTimeouts(url, { connectTimeoutS: options.connectTimeoutS });
    const { driverUrl, password } = libpqPassword(url);
    const where = maskUriCredentials(url);
    const pool = (limits: PgTimeouts, max = options.poolSize ?? 4) =>
      postgres(driverUrl, {
        // libpq's ?password= (the driver would send it to the server as a setting); the user info's wins.
        ...(password === undefined ? {} : { password }),
        max,
        connect_timeout: limits.connectS,
        // The server-side limits are enforced only while the server answers: the client gives up on its
        // own a margin later (a stalled server or network), and on a free connection as long.
        query_timeout: limits.clientS,
        queue_timeout: limits.clientS,
        cancel_timeout: options.cancelTimeoutS ?? 5,
        // Idle connections close after a while, so a CLI run never waits on the pool to exit.
        idle_timeout: 30,
        // The pool would otherwise wait up to 20 s between connection attempts after failures, and fail
        // queries fast meanwhile; kmlf's own retries (below) are the one backoff policy.
        backoff: 0,
        onnotice: () => {},
        // The URI's own query parameters are sent after these, so a URI setting one wins.
        connection: { application_name: "kmlf", ...limits.startup },
        // Millisecond timestamps and steps fit a double exactly; npm `postgres` reads int8 as text otherwise.
        types: {
          bigint: {
            to: 20,
            from: [20],
            serialize: (x: number) => String(x),
            parse: (x: string) => Number(x),
          },
        },
      }) as unknown as Sql;
    if (Object.keys(asked.startup).length === 0) return new PgDb(pool(asked), where, asked, options);
    // The server's own settings are read on a connection without kmlf's defaults (they would hide them).
    const probe = new PgDb(pool({ ...asked, startup: {} }, 1), where, asked, options);
    let limits: PgTimeouts;
    try {
      limits = withServerSettings(asked, await probe.all<ServerTimeoutRow>(SERVER_TIMEOUTS_QUERY));
    } finally {
      await probe.close().catch(() => {});
    }
    return new PgDb(pool(limits), where, limits, options);
  }

  all<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.#retry(() => rowsOf<T>(this.#sql, text, params));
  }

  async get<T>(text: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(text, params))[0];
  }

  run(text: string, params: readonly unknown[] = []): Promise<number> {
    return this.#retry(() => countOf(this.#sql, text, params));
  }

  /** Runs `fn` in a READ COMMITTED transaction (retried whole when the connection drops). */
  write<T>(fn: (q: PgQuery) => Promise<T>): Promise<T> {
    return this.#retry(async () => {
      let committing = false;
      try {
        return await (this.#sql.begin(async (tx) => {
          const result = await fn(transactionQuery(tx));
          committing = true;
          return result;
        }) as Promise<T>);
      } catch (error) {
        // The connection broke once COMMIT may have been sent: the change may be saved, and doing it
        // again would save it twice (a second run, metrics logged twice). Before that, the server
        // rolled the transaction back and the retry is safe.
        if (committing && isConnectionError(error)) throw this.#outcomeUnknown(error);
        throw error;
      }
    });
  }

  #outcomeUnknown(error: unknown): TrackingError {
    return new TrackingError(
      "tracking/database-outcome-unknown",
      `The connection to the PostgreSQL tracking database ${this.where} broke while a change was being ` +
        `committed, so whether it was saved is unknown; it was not retried, to avoid saving it twice (${
          (error as Error).message
        })`,
      {
        cause: error,
        hint: "check the run in the store (kmlf mlflow ui, or mlflow ui) before repeating what failed; " +
          "a connection that keeps breaking points at the network or the server's logs",
      },
    );
  }

  /** Runs `fn` in a read-only REPEATABLE READ transaction: several SELECTs see one snapshot. */
  read<T>(fn: (q: PgQuery) => Promise<T>): Promise<T> {
    return this.#retry(() =>
      this.#sql.begin(
        "isolation level repeatable read read only",
        (tx) => fn(transactionQuery(tx)),
      ) as Promise<T>
    );
  }

  /** Closes every connection (waiting up to 5 s for running queries). */
  async close(): Promise<void> {
    await this.#sql.end({ timeout: 5 });
  }

  async #retry<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0;; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (error instanceof TrackingError) throw error;
        if (errorCode(error) === "22001") throw valueTooLong(error);
        const config = configurationError(error, this.where) ??
          timeoutError(error, this.where, this.limits, this.#poolSize);
        if (config) throw config;
        if (!isConnectionError(error)) throw error;
        if (attempt >= this.#maxRetries) {
          throw new TrackingError(
            "tracking/database-unreachable",
            `Cannot reach the PostgreSQL tracking database ${this.where} after ${attempt + 1} attempts: ` +
              (error as Error).message,
            {
              cause: error,
              hint: errorCode(error) === "CONNECT_TIMEOUT"
                ? connectTimeoutHint(this.limits)
                : "check that the " +
                  "server is running and that host, port and database in the tracking URI are right " +
                  "(mlflow.yml server.mlflow_tracking_uri, MLFLOW_TRACKING_URI or --backend-store-uri)",
            },
          );
        }
        await new Promise((r) => setTimeout(r, this.#backoffMs * 2 ** attempt));
      }
    }
  }
}

/**
 * libpq's `?password=` taken out of the URI, for the driver's `password` option: npm `postgres` reads
 * only the user info's password and would send the parameter to the server, which refuses it.
 */
function libpqPassword(url: string): { driverUrl: string; password?: string } {
  const q = url.indexOf("?");
  if (q < 0) return { driverUrl: url };
  const query = new URLSearchParams(url.slice(q + 1));
  const password = query.get("password") ?? undefined;
  if (password === undefined) return { driverUrl: url };
  query.delete("password");
  const rest = query.toString();
  // The user info's password, when there is one, wins (as in libpq).
  const userInfo = url.slice(0, q).match(/^[a-z0-9+]+:\/\/([^/]*)@/i)?.[1];
  return {
    driverUrl: rest ? `${url.slice(0, q)}?${rest}` : url.slice(0, q),
    password: userInfo?.includes(":") ? undefined : password,
  };
}

function holdsNul(value: unknown): boolean {
  return typeof value === "string" ? value.includes("\u0000") : Array.isArray(value) && value.some(holdsNul);
}

/**
 * PostgreSQL text cannot hold a NUL character (the server refuses the statement), so no stored value
 * holds one: a lookup by such a value finds nothing, as it does on SQLite, and a write of one is
 * refused with a clear error instead of the server's encoding error.
 */
function withoutNul(text: string, params: readonly unknown[]): unknown[] | undefined {
  if (!params.some(holdsNul)) return undefined;
  if (/^\s*(?:SELECT|DELETE)\b/i.test(text)) return Object.assign([], { count: 0 });
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    "Cannot store a value holding a NUL character (\\u0000): PostgreSQL text cannot hold one",
    "remove the NUL character from the name, key or value",
  );
}

function rowsOf<T>(sql: Sql | TransactionSql, text: string, params: readonly unknown[]): Promise<T[]> {
  const none = withoutNul(text, params);
  if (none) return Promise.resolve(none as T[]);
  // deno-lint-ignore no-explicit-any -- npm `postgres` types its parameters narrowly; values are checked by the server
  return sql.unsafe(text, params as any[], { prepare: true }) as unknown as Promise<T[]>;
}

async function countOf(sql: Sql | TransactionSql, text: string, params: readonly unknown[]): Promise<number> {
  const result = await rowsOf<unknown>(sql, text, params);
  return (result as unknown as { count: number }).count;
}

function transactionQuery(tx: TransactionSql): PgQuery {
  return {
    all: <T>(text: string, params: readonly unknown[] = []) => rowsOf<T>(tx, text, params),
    get: async <T>(text: string, params: readonly unknown[] = []) => (await rowsOf<T>(tx, text, params))[0],
    run: (text: string, params: readonly unknown[] = []) => countOf(tx, text, params),
  };
}
