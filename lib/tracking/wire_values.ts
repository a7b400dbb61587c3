/**
 * Scalars, key/value lists and errors of MLflow's JSON wire format (see `wire.ts` for entities):
 * non-finite doubles as "NaN"/"Infinity"/"-Infinity", int64 as numbers or numeric strings, enums by
 * name or number, and `{error_code, message}` bodies with MLflow's HTTP statuses.
 *
 * @module
 */
import type { TrackingError } from "../errors.ts";
import { type KeyValue, RUN_STATUSES, type RunStatus, setEntry, type ViewType } from "./entities.ts";
import { HTTP_STATUS_OF_ERROR, mlflowError, type MlflowErrorCode } from "./tracking_errors.ts";

/** A double on the wire. */
export type WireDouble = number | "NaN" | "Infinity" | "-Infinity";

/** `{key, value}` pairs (params, tags, experiment tags). */
export interface KeyValueWire {
  key: string;
  value?: string;
}
/** Error JSON. */
export interface ErrorWire {
  error_code: string;
  message: string;
}

/**
 * A double as MLflow writes it.
 *
 * @example
 * ```ts
 * doubleToWire(NaN); // "NaN"
 * ```
 */
export function doubleToWire(x: number): WireDouble {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  return x;
}

/**
 * A double from the wire: a number or a numeric string, including "NaN" and "±Infinity".
 *
 * @example
 * ```ts
 * doubleFromWire("Infinity"); // Infinity
 * ```
 */
export function doubleFromWire(x: unknown): number {
  if (typeof x === "number") return x;
  if (x === "NaN" || x === "nan") return NaN;
  if (x === "Infinity" || x === "inf") return Infinity;
  if (x === "-Infinity" || x === "-inf") return -Infinity;
  const n = typeof x === "string" && x.trim() !== "" ? Number(x) : NaN;
  if (Number.isNaN(n)) {
    throw mlflowError("INVALID_PARAMETER_VALUE", `Expected a number, got ${JSON.stringify(x)}`);
  }
  return n;
}

/**
 * An int64 from the wire (a number or a numeric string); `fallback` when absent.
 *
 * @example
 * ```ts
 * int64FromWire("1700000000000", 0); // 1700000000000
 * ```
 */
export function int64FromWire<T extends number | null>(x: unknown, fallback: T): number | T {
  if (x === undefined || x === null || x === "") return fallback;
  const n = typeof x === "number" ? x : Number(x);
  if (!Number.isFinite(n)) {
    throw mlflowError("INVALID_PARAMETER_VALUE", `Expected an integer, got ${JSON.stringify(x)}`);
  }
  return Math.trunc(n);
}

/**
 * A run status from its name or enum number (RUNNING=1 … KILLED=5).
 *
 * @example
 * ```ts
 * runStatusFromWire(4); // "FAILED"
 * ```
 */
export function runStatusFromWire(x: unknown): RunStatus {
  if (typeof x === "number" || /^\d+$/.test(String(x))) {
    const s = RUN_STATUSES[Number(x) - 1];
    if (s) return s;
  } else if (RUN_STATUSES.includes(x as RunStatus)) return x as RunStatus;
  throw mlflowError("INVALID_PARAMETER_VALUE", `Invalid run status ${JSON.stringify(x)}`);
}

/**
 * A view type from its name or enum number (ACTIVE_ONLY=1, DELETED_ONLY=2, ALL=3); default ACTIVE_ONLY.
 *
 * @example
 * ```ts
 * viewTypeFromWire("3"); // "ALL"
 * ```
 */
export function viewTypeFromWire(x: unknown): ViewType {
  if (x === undefined || x === null || x === "") return "ACTIVE_ONLY";
  const names: ViewType[] = ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"];
  if (names.includes(x as ViewType)) return x as ViewType;
  const byNumber = names[Number(x) - 1];
  if (byNumber) return byNumber;
  throw mlflowError("INVALID_PARAMETER_VALUE", `Invalid view type ${JSON.stringify(x)}`);
}

/**
 * A record as `{key, value}` pairs.
 *
 * @example
 * ```ts
 * recordToWire({ team: "ml" }); // [{ key: "team", value: "ml" }]
 * ```
 */
export function recordToWire(record: Record<string, string>): KeyValueWire[] {
  const list: KeyValueWire[] = [];
  for (const key of Object.keys(record)) list.push({ key, value: record[key] });
  return list;
}

/**
 * `{key, value}` pairs as a record (later pairs win).
 *
 * @example
 * ```ts
 * recordFromWire([{ key: "team", value: "ml" }]); // { team: "ml" }
 * ```
 */
export function recordFromWire(list: readonly KeyValueWire[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const { key, value } of list ?? []) setEntry(record, key, value ?? "");
  return record;
}

/**
 * `{key, value}` pairs as KeyValue entries (kept in order, duplicates kept).
 *
 * @example
 * ```ts
 * keyValuesFromWire(body.params); // [{ key: "lr", value: "0.1" }, …]
 * ```
 */
export function keyValuesFromWire(list: readonly KeyValueWire[] | undefined): KeyValue[] {
  return (list ?? []).map(({ key, value }) => ({ key, value: value ?? "" }));
}

const KNOWN_CODES = new Set(Object.keys(HTTP_STATUS_OF_ERROR));

/**
 * A TrackingError as MLflow's error JSON and HTTP status (codes that are not MLflow's become INTERNAL_ERROR).
 *
 * @example
 * ```ts
 * const { status, body } = errorToWire(error); // 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "…" }
 * ```
 */
export function errorToWire(error: TrackingError): { status: number; body: ErrorWire } {
  const code = KNOWN_CODES.has(error.code) ? error.code as MlflowErrorCode : "INTERNAL_ERROR";
  return { status: HTTP_STATUS_OF_ERROR[code], body: { error_code: code, message: error.message } };
}

/**
 * MLflow's error JSON (or a bare HTTP status) as a TrackingError.
 *
 * @example
 * ```ts
 * throw errorFromWire(response.status, await response.json());
 * ```
 */
export function errorFromWire(status: number, body: unknown): TrackingError {
  const b = body as Partial<ErrorWire> | undefined;
  if (b && typeof b.error_code === "string") {
    return mlflowError(b.error_code as MlflowErrorCode, b.message ?? `HTTP ${status}`);
  }
  const code: MlflowErrorCode = status === 404
    ? "ENDPOINT_NOT_FOUND"
    : status >= 500
    ? "INTERNAL_ERROR"
    : "BAD_REQUEST";
  return mlflowError(
    code,
    `HTTP ${status}${typeof body === "string" && body ? `: ${body.slice(0, 500)}` : ""}`,
  );
}
