/**
 * Reading the fields of model-registry requests the way MLflow 2.17.2's handlers check them
 * (`_get_request_message` with a schema): a required field that is absent, null or "" is "Missing
 * value for required parameter …", a value of the wrong JSON type is "Invalid value … supplied:
 * Hint: Value was of type '<python type>'", with MLflow's exact wording. Query strings (GET) give
 * strings; a repeated query key uses its first value, as Flask does.
 *
 * @module
 */
import { mlflowError, pythonJsonString } from "../tracking/mod.ts";
import type { RequestMessage } from "./request_message.ts";

const DOCS = "See the API docs for more information about request parameters.";

/** The Python type name MLflow's message shows for a JSON value. */
function pythonType(value: unknown): string {
  if (value === null) return "NoneType";
  if (Array.isArray(value)) return "list";
  switch (typeof value) {
    case "string":
      return "str";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    default:
      return "dict";
  }
}

/** A JSON value as Python's `json.dumps(..., separators=(",", ":"))`: compact, non-ASCII escaped. */
function pythonJson(value: unknown): string {
  if (typeof value === "string") return pythonJsonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value).map(([k, v]) => `${pythonJsonString(k)}:${pythonJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * MLflow's "wrong type" error for a request field.
 *
 * @example
 * ```ts
 * invalidField("name", 123); // "Invalid value 123 for parameter 'name' supplied:  Hint: Value was of type 'int'. …"
 * ```
 */
export function invalidField(field: string, value: unknown) {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Invalid value ${pythonJson(value)} for parameter '${field}' supplied:  Hint: Value was of type ` +
      `'${pythonType(value)}'. ${DOCS}`,
  );
}

/** MLflow's "missing" error for a required request field. */
export function missingField(field: string) {
  return mlflowError("INVALID_PARAMETER_VALUE", `Missing value for required parameter '${field}'. ${DOCS}`);
}

function scalar(msg: RequestMessage, field: string, fromQuery: boolean): unknown {
  const value = msg[field];
  return fromQuery && Array.isArray(value) ? value[0] : value;
}

/** Options of the field readers. */
export interface FieldOptions {
  /** Absent, null or "" is an error (otherwise it reads as undefined). */
  required?: boolean;
  /** The message came from a query string (every value is text). */
  fromQuery?: boolean;
}

/**
 * A string field.
 *
 * @example
 * ```ts
 * const name = text(msg, "name", { required: true })!;
 * ```
 */
export function text(msg: RequestMessage, field: string, options: FieldOptions = {}): string | undefined {
  const value = scalar(msg, field, options.fromQuery ?? false);
  if (value === undefined || value === null || (value === "" && options.required)) {
    if (options.required) throw missingField(field);
    return undefined;
  }
  if (typeof value !== "string") throw invalidField(field, value);
  return value;
}

const INT64_MAX = 9223372036854775807n;

/**
 * An int64 field (a JSON integer, or digits in a string); `max` is the handler's upper bound, reported
 * with the same "Invalid value" wording MLflow's schema uses.
 *
 * @example
 * ```ts
 * integer(msg, "max_results", { max: 1000, fromQuery: true }); // 100 | undefined
 * ```
 */
export function integer(
  msg: RequestMessage,
  field: string,
  options: FieldOptions & { max?: number } = {},
): number | undefined {
  const value = scalar(msg, field, options.fromQuery ?? false);
  if (value === undefined || value === null) return undefined;
  let parsed: number | undefined;
  if (typeof value === "number" && Number.isInteger(value)) parsed = value;
  if (typeof value === "string" && /^\s*-?\d+\s*$/.test(value)) {
    const big = BigInt(value.trim());
    if (big <= INT64_MAX && big >= -INT64_MAX - 1n) parsed = Number(big);
  }
  if (parsed === undefined || (options.max !== undefined && parsed > options.max)) {
    throw invalidField(field, value);
  }
  return parsed;
}

/**
 * A boolean field (`true`/`false`; "true"/"false" in a query string).
 *
 * @example
 * ```ts
 * flag(msg, "archive_existing_versions"); // false | true | undefined
 * ```
 */
export function flag(msg: RequestMessage, field: string, options: FieldOptions = {}): boolean | undefined {
  const value = scalar(msg, field, options.fromQuery ?? false);
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (options.fromQuery && (value === "true" || value === "false")) return value === "true";
  throw invalidField(field, value);
}

/**
 * A list of strings (a JSON array, or repeated query keys).
 *
 * @example
 * ```ts
 * texts(msg, "order_by", { fromQuery: true }); // ["name ASC"]
 * ```
 */
export function texts(msg: RequestMessage, field: string, options: FieldOptions = {}): string[] {
  const value = msg[field];
  if (value === undefined || value === null) return [];
  if (options.fromQuery) return Array.isArray(value) ? value.map(String) : [String(value)];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw invalidField(field, value);
  return value as string[];
}

/**
 * A `tags` field: a list of `{key, value}` objects as a record. An item that is not an object, or
 * whose key is not a string, reads as the key "" (MLflow's protobuf parse does the same), which the
 * store then refuses with its key rules; a value that is not a string is refused here.
 *
 * @example
 * ```ts
 * tagList(msg); // { team: "ml" }
 * ```
 */
export function tagList(msg: RequestMessage, field = "tags"): Record<string, string> {
  const value = msg[field];
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value)) throw invalidField(field, value);
  const tags: Record<string, string> = {};
  value.forEach((item, i) => {
    const entry = item !== null && typeof item === "object" && !Array.isArray(item)
      ? item as Record<string, unknown>
      : {};
    const key = typeof entry.key === "string" ? entry.key : "";
    const tagValue = entry.value ?? "";
    if (typeof tagValue !== "string") throw invalidField(`${field}[${i}].value`, tagValue);
    Object.defineProperty(tags, key, {
      value: tagValue,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });
  return tags;
}
