/**
 * Enforcing a model signature on input rows, in MLflow 2.17's two steps and with its messages:
 * 1. converting each signature column to its type while parsing the request (`Failed to convert column …`,
 *    BAD_REQUEST), and
 * 2. checking that every required column is present before predicting (`Model is missing inputs […]`,
 *    INVALID_PARAMETER_VALUE). Extra columns are dropped, as MLflow does.
 *
 * @module
 */
import type { ColSpec, ColumnType, ParamSpec } from "../tracking/mod.ts";
import { ScoringError } from "./scoring_error.ts";
import { pyRepr, pyStr } from "../py_repr.ts";
import { frameRepr } from "./frame_repr.ts";

/** One input row (a record of column values). */
export type Row = Record<string, unknown>;

const DTYPE: Record<string, string> = {
  double: "float64",
  float: "float32",
  long: "int64",
  integer: "int32",
  boolean: "bool",
  string: "object",
  binary: "object",
  datetime: "datetime64[ns]",
};

/**
 * Step 1: converts the signature's columns of `rows` to their types (numeric strings to numbers, …).
 *
 * @example
 * ```ts
 * convertColumns([{ a: "1.5" }], [{ name: "a", type: "double", required: true }]); // [{ a: 1.5 }]
 * ```
 */
export function convertColumns(rows: Row[], inputs: readonly ColSpec[]): Row[] {
  const named = inputs.filter((c) => c.name !== undefined);
  if (named.length === 0) return rows;
  const out = rows.map((r) => ({ ...r }));
  for (const spec of named) {
    const name = spec.name!;
    for (const row of out) {
      // Own keys only: a column named like an object's built-in (constructor, toString) is absent, not them.
      if (!Object.hasOwn(row, name)) continue;
      try {
        row[name] = convert(row[name], spec.type);
      } catch (error) {
        const dtype = typeof spec.type === "string" ? DTYPE[spec.type] : "object";
        throw new ScoringError(
          400,
          "BAD_REQUEST",
          `Invalid input. Data is not compatible with model signature. Failed to convert column ${name} to type '${dtype}'. Error: '${
            (error as Error).message
          }'${error instanceof SequenceError ? ` (${SEQUENCE_HINT})` : ""}`,
        );
      }
    }
  }
  return out;
}

/**
 * Step 2: every required column present (else MLflow's "Model is missing inputs" error); extra columns
 * dropped; columns in signature order. `columns` are the frame's own column names when the request named
 * them: a frame without rows that has the signature's columns passes (and predicts nothing), as in MLflow.
 * `given` is the input as predict() received it, quoted in the error when it was a record of columns;
 * `quote` is MLflow's text of a request it did not make a frame of (`inputs` / `instances`: numpy arrays).
 *
 * @example
 * ```ts
 * enforceColumns([{ a: 1, x: 2 }], [{ name: "a", type: "long", required: true }]); // [{ a: 1 }]
 * enforceColumns([], [{ name: "a", type: "long", required: true }], ["a"]); // []
 * ```
 */
export function enforceColumns(
  rows: Row[],
  inputs: readonly ColSpec[],
  columns: readonly string[] = [],
  given?: unknown,
  quote?: string,
): Row[] {
  const named = inputs.filter((c) => c.name !== undefined);
  if (named.length === 0) return rows;
  const present = [...new Set([...columns, ...rows.flatMap((r) => Object.keys(r))])];
  const missing = named.filter((c) => c.required && !present.includes(c.name!)).map((c) => c.name!);
  if (missing.length > 0) {
    const extra = present.filter((p) => !named.some((c) => c.name === p));
    // MLflow quotes the data as predict() was given it: a dict (an LLM request's body) as Python's repr.
    const repr = quote ?? (isRecord(given) ? pyRepr(given) : frameRepr(rows, named, present));
    // MLflow's sentence about extra inputs ends without a period (mlflow/models/utils.py _enforce_schema).
    throw schemaError(
      repr,
      named,
      `Model is missing inputs ${pyRepr(missing)}.` +
        (extra.length ? ` Note that there were extra inputs: ${pyRepr(extra)}` : ""),
    );
  }
  for (const c of named.filter((c) => c.required)) requireValues(rows, c.name!);
  return rows.map((r) =>
    Object.fromEntries(named.filter((c) => Object.hasOwn(r, c.name!)).map((c) => [c.name!, r[c.name!]]))
  );
}

// A required column is one the training data had a value for in every row (a column with gaps is inferred
// optional): a row without one would reach the nodes as null (0 in JS arithmetic) and predict garbage.
function requireValues(rows: Row[], name: string): void {
  const valueIn = (r: Row) => (Object.hasOwn(r, name) ? r[name] : undefined);
  const index = rows.findIndex((r) =>
    valueIn(r) === null || valueIn(r) === undefined || Number.isNaN(valueIn(r))
  );
  if (index < 0) return;
  const value = valueIn(rows[index]);
  const what = value === undefined ? "the column is absent" : value === null ? "null" : "NaN";
  throw new ScoringError(
    400,
    "BAD_REQUEST",
    `Invalid input. Column ${
      pyRepr(name)
    } is required by the model signature, but row ${index} has no value ` +
      `(${what}): give it a value in every row (the signature marks a column optional when the data the model ` +
      `was logged from has gaps in it)`,
  );
}

/**
 * Predict-time params: declared ones are converted to their type (undeclared ones are ignored, as MLflow
 * does), missing or null ones take their default.
 *
 * @example
 * ```ts
 * enforceParams({ threshold: "0.7" }, [{ name: "threshold", type: "double", default: 0.5, shape: null }]);
 * ```
 */
export function enforceParams(
  given: Record<string, unknown> | undefined,
  specs: readonly ParamSpec[] | null | undefined,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const spec of specs ?? []) {
    // A null param is an unset one: it takes the default (the training value) rather than reaching the
    // pipeline as a value it cannot hold.
    const has = given !== undefined && Object.hasOwn(given, spec.name) && given[spec.name] !== null &&
      given[spec.name] !== undefined;
    const value = has ? given![spec.name] : spec.default;
    try {
      result[spec.name] = spec.shape
        ? asList(value).map((v) => convert(v, spec.type))
        : convert(value, spec.type);
    } catch (error) {
      throw new ScoringError(
        400,
        "BAD_REQUEST",
        `Invalid params: param ${pyRepr(spec.name)} must be ${
          spec.shape ? `a list of ${spec.type}` : spec.type
        }: ${(error as Error).message}`,
      );
    }
  }
  return result;
}

/**
 * MLflow's error for data its schema enforcement refused (pyfunc's `_validate_prediction_input`, quoted
 * again by the scoring server): 400 INVALID_PARAMETER_VALUE with the data as `quote` and the signature.
 *
 * @example
 * ```ts
 * schemaError("{}", [{ name: "a", type: "long", required: true }], "Model is missing inputs ['a'].");
 * ```
 */
export function schemaError(quote: string, inputs: readonly ColSpec[], error: string): ScoringError {
  const schema = `[${inputs.filter((c) => c.name !== undefined).map(colSpecRepr).join(", ")}]`;
  return new ScoringError(
    400,
    "INVALID_PARAMETER_VALUE",
    `Failed to predict data '${quote}'. \nError: Failed to enforce schema of data '${quote}' with schema '${schema}'. ` +
      `Error: ${error}`,
  );
}

/**
 * MLflow's text of one column of a signature (`ColSpec.__repr__`), as its errors print it.
 *
 * @example
 * ```ts
 * colSpecRepr({ name: "x", type: "double", required: true }); // "'x': double (required)"
 * ```
 */
export function colSpecRepr(c: ColSpec): string {
  return `${pyRepr(c.name)}: ${typeLabel(c.type)} (${c.required ? "required" : "optional"})`;
}

/**
 * One value converted to its column's type; a value that cannot be is an Error with Python's text of it
 * (`could not convert string to float: 'a'`), as MLflow prints numpy's errors for `inputs` and `instances`.
 *
 * @example
 * ```ts
 * convertCell("1.5", "double"); // 1.5
 * ```
 */
export function convertCell(value: unknown, type: ColumnType): unknown {
  try {
    return convert(value, type);
  } catch (error) {
    const text = (error as Error).message;
    throw new Error(/^\w+\((["'])([\s\S]*)\1\)$/.exec(text)?.[2] ?? text);
  }
}

function asList(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new Error(`got ${JSON.stringify(v)}`);
  return v;
}

// pandas' astype(float64 or int64) of a list in a cell: numpy's words, and kmlf's hint after them.
class SequenceError extends Error {
  constructor() {
    super("ValueError('setting an array element with a sequence.')");
  }
}
const SEQUENCE_HINT = "the cell holds a list: send one value per cell";

function convert(value: unknown, type: ColumnType): unknown {
  // A missing value stays missing, whatever the type: an optional column takes it, and a required one is
  // refused by enforceColumns with the row named (not pandas' IntCastingNaNError).
  if (value === null || value === undefined) return null;
  const numeric = type === "double" || type === "float" || type === "long" || type === "integer";
  if (numeric && Array.isArray(value)) throw new SequenceError();
  switch (type) {
    case "double":
    case "float": {
      if (typeof value === "number") return value;
      if (typeof value === "boolean") return value ? 1 : 0;
      if (typeof value === "string") {
        const n = pyFloat(value);
        if (n !== undefined) return n;
        throw new Error(`ValueError("could not convert string to float: ${pyRepr(value)}")`);
      }
      throw new Error(
        `TypeError("float() argument must be a string or a real number, not ${pyType(value)}")`,
      );
    }
    case "long":
    case "integer": {
      const n = typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : value;
      if (typeof n === "number" && Number.isInteger(n)) {
        // Never a silently wrapped or rounded whole number: int32's range, and the digits a JS number keeps.
        if (type === "integer" && (n < -(2 ** 31) || n >= 2 ** 31)) {
          throw new Error(`OverflowError("${value} is out of the int32 range of an 'integer' column")`);
        }
        if (!Number.isSafeInteger(n)) {
          throw new Error(
            `OverflowError("${value} is beyond 2**53: its last digits would be lost (send such ids as text ` +
              `to a model whose signature has a string column)")`,
          );
        }
        return n;
      }
      if (typeof n === "boolean") return n ? 1 : 0;
      if (typeof value === "object") {
        throw new Error(
          `TypeError("int() argument must be a string, a bytes-like object or a real number, not ${
            pyType(value)
          }")`,
        );
      }
      throw new Error(`ValueError("invalid literal for int() with base 10: ${pyRepr(String(value))}")`);
    }
    case "boolean": {
      if (typeof value === "boolean") return value;
      if (value === 0 || value === 1) return value === 1;
      if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
      // pandas' astype(bool) would take any other number as True and any text (even "false") as True: a
      // silently wrong flag, so kmlf refuses them.
      throw new Error(
        `ValueError("cannot convert ${
          typeof value === "object" ? pyType(value) : pyRepr(String(value))
        } to bool: send true or false (or 1 or 0)")`,
      );
    }
    case "string":
      // MLflow keeps a JSON number or boolean as it is in a string column (astype(object)); kmlf gives the
      // model the text Python's str() writes, which is what the same value sent as CSV reads as ("5", "True").
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return pyStr(value);
      throw new Error(
        `TypeError("expected a string, got ${pyType(value)} ${short(value)}: send the value as text")`,
      );
    case "datetime":
      return toDate(value);
    case "binary":
      return fromBase64(value);
    default:
      return value;
  }
}

// pandas' astype("datetime64[ns]") of a request value. Text in ISO 8601 only: a wall-clock time without an
// offset is read as UTC (as pandas keeps it naive), never in the server's local zone; pandas' guesses at
// other forms ("01/02/2024": January or February?) and its reading of a number as nanoseconds since 1970
// would hand the model a wrong date silently, so those are refused with the form to send.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === "boolean") {
    throw new Error(`TypeError("<class 'bool'> is not convertible to datetime")`);
  }
  const hint = ": send ISO 8601 text such as '2024-01-31' or '2024-01-31T12:30:00Z'";
  if (typeof value !== "string") {
    throw new Error(
      `TypeError("${typeof value === "number" ? "a number" : pyType(value)} is not a date${hint}")`,
    );
  }
  const text = value.trim();
  const match = ISO_DATE.exec(text);
  if (!match) throw new Error(`ValueError("Unknown string format: ${text} present at position 0${hint}")`);
  const iso = text.replace(" ", "T").replace(/\.(\d{3})\d+/, ".$1");
  const d = new Date(match[1] && !match[4] ? `${iso}Z` : iso);
  const [y, m, day] = text.slice(0, 10).split("-").map(Number);
  const calendar = new Date(Date.UTC(y, m - 1, day));
  // JS rolls 2024-02-31 over to March 2; pandas refuses it.
  if (Number.isNaN(d.getTime()) || calendar.getUTCMonth() !== m - 1 || calendar.getUTCDate() !== day) {
    throw new Error(`ValueError("day or month out of range: ${text}")`);
  }
  return d;
}

// MLflow's binary columns arrive base64-encoded in JSON and CSV alike (base64.decodebytes).
function fromBase64(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value !== "string") throw new Error(`TypeError("encoding without a string argument")`);
  const text = value.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new Error(
      `Error("Invalid base64-encoded string: ${
        pyRepr(value.length > 40 ? `${value.slice(0, 37)}...` : value)
      }")`,
    );
  }
  const bytes = atob(text);
  return Uint8Array.from(bytes, (c) => c.charCodeAt(0));
}

// Python's name of a JSON value's type, as its TypeErrors print it ('list', 'dict').
function pyType(value: unknown): string {
  return Array.isArray(value) ? "'list'" : value instanceof Date ? "'datetime'" : "'dict'";
}

// Python's float(): decimal and exponent forms, inf/nan, surrounding blanks.
function pyFloat(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return Number(t);
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function typeLabel(t: ColumnType): string {
  return typeof t === "string" ? t : t.type === "array" ? `Array(${typeLabel(t.items)})` : "Object";
}
