/**
 * `inputs` and `instances` bodies for a signature that names columns, read as MLflow 2.17's scoring server
 * reads them (mlflow/utils/proto_json_utils.py `parse_tf_serving_input`, then pyfunc's `_enforce_schema`):
 * each value converted to its column's numpy type (a bad one is numpy's error, "Invalid input. could not
 * convert string to float: 'a'"); `instances` rows of records become one array per column (rows missing a
 * required column: "The length of values … are not the same"); an object of columns is one row when every
 * value is a scalar, else pandas' frame of it (scalars repeated, lists of other lengths refused). MLflow's
 * words come first; kmlf adds the column or row and the fix. Errors quote the data as MLflow does: numpy
 * arrays (`{'x': array([3.5, 3. ])}`), a list as Python's repr.
 *
 * @module
 */
import type { ColSpec, ColumnType } from "../tracking/mod.ts";
import { colSpecRepr, convertCell, type Row, schemaError } from "./enforce.ts";
import { ScoringError } from "./scoring_error.ts";
import { pyRepr, pyStr } from "../py_repr.ts";
import {
  inferredDtype,
  numpyArrayRepr,
  type NumpyDtype,
  numpyDtypeOf,
  numpyScalarRepr,
  numpyZeroDimRepr,
} from "./numpy_repr.ts";

/** Rows read from a tf-serving body, its columns when it named them, and MLflow's text of the data. */
export interface TfServingRows {
  data: Row[];
  columns?: string[];
  quote: string;
}

const INHOMOGENEOUS = (n: number) =>
  "setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 " +
  `dimensions. The detected shape was (${n},) + inhomogeneous part.`;

/**
 * The rows of an `inputs` or `instances` payload for a signature naming `inputs`' columns; undefined for a
 * form kmlf reads its own way (a list of value lists, zipped with the columns). A bare value is refused as
 * MLflow refuses it: missing every required column.
 *
 * @example
 * ```ts
 * tfServingRows("inputs", { x: [1, 2] }, [{ name: "x", type: "double", required: true }]);
 * // { data: [{ x: 1 }, { x: 2 }], columns: ["x"], quote: "{'x': array([1., 2.])}" }
 * ```
 */
export function tfServingRows(
  format: "instances" | "inputs",
  payload: unknown,
  inputs: readonly ColSpec[],
): TfServingRows | undefined {
  const specs = new Map(inputs.filter((c) => c.name !== undefined).map((c) => [c.name!, c]));
  const check = (column: string, value: unknown, where: string) => {
    const spec = specs.get(column);
    if (!spec || typeof spec.type !== "string" || value === null || value === undefined) return;
    try {
      convertCell(value, spec.type);
    } catch (error) {
      throw invalid(
        (error as Error).message,
        `${where} of column ${pyRepr(column)}, which the model signature types ${spec.type}: send ${
          hint(spec.type)
        }`,
      );
    }
  };
  if (isRecord(payload)) return columnsOf(format, payload, inputs, specs, check);
  if (!Array.isArray(payload)) return bareValue(format, payload, inputs);
  // MLflow reads `instances` as rows of records when the first is one: each row's items().
  if (format === "instances" && payload.length > 0 && isRecord(payload[0])) {
    const columns = new Map<string, unknown[]>();
    payload.forEach((row, i) => {
      if (!isRecord(row)) {
        throw invalid(
          `Ensure that the input is a valid JSON-formatted string.\nError: AttributeError("'${
            pyTypeName(row)
          }' object has no attribute 'items'")`,
          `row ${i} of 'instances' is ${shortJson(row)} while row 0 is a record: send every row as a record`,
        );
      }
      for (const [k, v] of Object.entries(row)) {
        // A list in a number column is an array of its own (convert_data_type), checked value by value.
        if (Array.isArray(v) && isNumeric(specs.get(k))) v.forEach((x) => check(k, x, `row ${i}`));
        else check(k, v, `row ${i}`);
        columns.set(k, [...(columns.get(k) ?? []), v]);
      }
    });
    // numpy then stacks each column's values: lists of other lengths (or lists and values) do not stack.
    for (const [k, values] of columns) {
      if (isNumeric(specs.get(k)) && nesting(values) === "ragged") {
        throw invalid(
          `Ensure that the input is a valid JSON-formatted string.\nError: ValueError('${
            INHOMOGENEOUS(values.length)
          }')`,
          `column ${pyRepr(k)} holds lists in some rows: send one value per row`,
        );
      }
    }
    return framed("instances", Object.fromEntries(columns), inputs, specs, payload.length);
  }
  if (payload.length === 0) return { data: [], quote: "[]" };
  // One named column: MLflow takes a list of values as that column.
  if (specs.size === 1 && payload.every((v) => !isRecord(v) && !Array.isArray(v))) {
    return columnsOf(format, { [[...specs.keys()][0]]: payload }, inputs, specs, check);
  }
  if (payload.every(isRecord)) {
    payload.forEach((row, i) =>
      Object.entries(row).forEach(([k, v]) =>
        Array.isArray(v) && isNumeric(specs.get(k))
          ? v.forEach((x) => check(k, x, `row ${i}`))
          : check(k, v, `row ${i}`)
      )
    );
    const quote = `[${
      payload.map((row) => `{${Object.entries(row).map(([k, v]) => entry(k, v, specs)).join(", ")}}`).join(
        ", ",
      )
    }]`;
    const nested = [...specs.values()].find((c) =>
      isNumeric(c) && payload.some((r) => Array.isArray(r[c.name!]))
    );
    if (nested) {
      throw listsError(quote, inputs, specs, [...new Set(payload.flatMap((r) => Object.keys(r)))], nested);
    }
    return { data: payload, quote };
  }
  // A list that is not all records: numpy makes one array of it, typed as the first column.
  const lists = payload.filter(Array.isArray);
  if (
    lists.length > 0 && (lists.length < payload.length || lists.some((l) => l.length !== lists[0].length))
  ) {
    const same = (r: unknown) =>
      Array.isArray(r) === Array.isArray(payload[0]) &&
      (!Array.isArray(r) || r.length === (payload[0] as unknown[]).length);
    const odd = payload.findIndex((r, i) => i > 0 && !same(r));
    throw invalid(
      INHOMOGENEOUS(payload.length),
      `row ${odd} of '${format}' is ${shortJson(payload[odd])}, row 0 ${
        shortJson(payload[0])
      }: send rows of ` +
        `one value per column ${pyRepr([...specs.keys()])}, in that order, or records ({"column": value})`,
    );
  }
  if (payload.some(isRecord)) {
    const first = inputs.find((c) => c.name !== undefined)!;
    const plain = payload.findIndex((v) => !isRecord(v));
    for (const v of payload) {
      if (typeof first.type !== "string") break;
      try {
        convertCell(v, first.type);
      } catch (error) {
        throw invalid(
          (error as Error).message,
          `'${format}' mixes records and values (row ${plain} is ${shortJson(payload[plain])}): send every ` +
            `row as a record ({"column": value, ...})`,
        );
      }
    }
  }
  if (lists.length > 0) {
    // Rows of values, zipped with the columns by the caller: each value checked as its column's type.
    const names = [...specs.keys()];
    lists.forEach((row, i) =>
      row.forEach((v, j) => names[j] !== undefined && check(names[j], v, `row ${i}`))
    );
  }
  return undefined;
}

// A bare value (`{"inputs": 5}`): MLflow converts it as the signature's first column (a numpy scalar), which
// _enforce_schema makes a frame of one column, `0`, missing every required column. Undefined when none is
// required (MLflow would predict on it; kmlf refuses it as not a list).
function bareValue(
  format: "instances" | "inputs",
  value: unknown,
  inputs: readonly ColSpec[],
): TfServingRows | undefined {
  const required = inputs.filter((c) => c.required && c.name !== undefined).map((c) => c.name!);
  if (required.length === 0) return undefined;
  const names = inputs.filter((c) => c.name !== undefined).map((c) => JSON.stringify(c.name));
  const more = names.length > 2 ? ", ..." : "";
  const fix = `'${format}' is one bare value, not rows or columns: send rows, {"${format}": [{${
    names.slice(0, 2).map((n) => `${n}: ...`).join(", ")
  }${more}}]}, or columns, {"${format}": {${names.slice(0, 2).map((n) => `${n}: [...]`).join(", ")}${more}}}`;
  const first = inputs[0];
  const dtype = numpyDtypeOf(first.type);
  // numpy makes no int of None; a nested type (Array, Object) takes no bare value.
  let converted: unknown;
  let convertible = typeof first.type === "string" && !(value === null && dtype?.startsWith("int"));
  try {
    if (convertible) converted = convertCell(value, first.type as ColumnType);
  } catch {
    convertible = false;
  }
  if (!convertible) {
    throw new ScoringError(
      400,
      "BAD_REQUEST",
      `Invalid input. Failed to convert data \`${pyStr(value)}\` to type \`${
        colSpecRepr(first)
      }\` defined in the model signature. (${fix})`,
    );
  }
  const quote = dtype === undefined || dtype === "object" ? pyStr(value) : numpyScalarRepr(converted, dtype);
  throw schemaError(
    quote,
    inputs,
    `Model is missing inputs ${pyRepr(required)}. Note that there were extra inputs: [0] (${fix})`,
  );
}

// An object of columns (`inputs`, or `instances` given as one): one row when every value is a scalar,
// else pandas' DataFrame(dict).
function columnsOf(
  format: "instances" | "inputs",
  payload: Row,
  inputs: readonly ColSpec[],
  specs: Map<string, ColSpec>,
  check: (column: string, value: unknown, where: string) => void,
): TfServingRows {
  for (const [k, v] of Object.entries(payload)) {
    if (!Array.isArray(v)) check(k, v, "the value");
    else if (!isNumeric(specs.get(k)) || nesting(v) === "none") {
      v.forEach((x, i) => check(k, x, `value ${i}`));
    } else if (nesting(v) === "ragged") {
      throw invalid(
        INHOMOGENEOUS(v.length),
        `column ${pyRepr(k)} of '${format}' holds lists: send one value per row`,
      );
    } else v.forEach((row, i) => (row as unknown[]).forEach((x) => check(k, x, `value ${i}`)));
  }
  const columns = Object.keys(payload);
  // With an array or object column in the signature, MLflow takes the object as one row whatever it holds.
  if (!Object.values(payload).some(Array.isArray) || inputs.some((c) => typeof c.type === "object")) {
    return {
      data: [payload],
      columns,
      quote: `{${Object.entries(payload).map(([k, v]) => entry(k, v, specs)).join(", ")}}`,
    };
  }
  return framed(format, payload, inputs, specs);
}

// MLflow's dict of one array per column made into rows: `instances` first checks the required columns'
// lengths; pandas then refuses lists of different lengths and repeats scalars down the frame.
function framed(
  format: "instances" | "inputs",
  payload: Row,
  inputs: readonly ColSpec[],
  specs: Map<string, ColSpec>,
  rowCount?: number,
): TfServingRows {
  const quote = `{${Object.entries(payload).map(([k, v]) => entry(k, v, specs)).join(", ")}}`;
  const lists = Object.entries(payload).filter((e): e is [string, unknown[]] => Array.isArray(e[1]));
  const lengths = lists.map(([k, v]) => `${pyRepr(k)}: ${v.length}`).join(", ");
  const checked = lists.filter(([k]) => {
    const spec = specs.get(k);
    return spec?.required && !(typeof spec.type === "object" && spec.type.type === "array");
  });
  const short = rowCount === undefined
    ? `the columns have ${lengths} values: give every column one value per row`
    : `${rowCount} rows, but the columns have ${lengths} values: give every row the same columns`;
  if (format === "instances" && checked.some(([, v]) => v.length !== checked[0][1].length)) {
    throw invalid("The length of values for each input/column name are not the same", short);
  }
  if (lists.some(([, v]) => v.length !== lists[0][1].length)) {
    throw schemaError(
      quote,
      inputs,
      "This model contains a column-based signature, which suggests a DataFrame input. There was an error " +
        `casting the input data to a DataFrame: All arrays must be of the same length (${short})`,
    );
  }
  // Lists of lists in a number column: a two-dimensional array, which pandas keeps as a column of lists and
  // MLflow's type check then refuses — after the missing columns.
  const nested = [...specs.values()].find((c) =>
    isNumeric(c) && Array.isArray(payload[c.name!]) && nesting(payload[c.name!] as unknown[]) === "uniform"
  );
  if (nested) throw listsError(quote, inputs, specs, Object.keys(payload), nested);
  const n = lists[0][1].length;
  const columns = Object.keys(payload);
  const data = Array.from(
    { length: n },
    (_, i) =>
      Object.fromEntries(columns.map((c) => [c, Array.isArray(payload[c]) ? payload[c][i] : payload[c]])),
  );
  return { data, columns, quote };
}

// One `'key': value` of MLflow's dict, the value as numpy holds it (typed column or inferred).
function entry(key: string, value: unknown, specs: Map<string, ColSpec>): string {
  const dtype = numpyDtypeOf(specs.get(key)?.type);
  const text = Array.isArray(value)
    ? numpyArrayRepr(value, dtype ?? inferredDtype(value))
    : dtype
    ? numpyScalarRepr(value, dtype as NumpyDtype)
    : numpyZeroDimRepr(value);
  return `${pyRepr(key)}: ${text}`;
}

// Lists in a number column: pandas keeps them as a column of lists, which MLflow's type check refuses — after
// its check for missing columns.
function listsError(
  quote: string,
  inputs: readonly ColSpec[],
  specs: Map<string, ColSpec>,
  keys: string[],
  nested: ColSpec,
): ScoringError {
  const missing = [...specs.values()].filter((c) => c.required && !keys.includes(c.name!)).map((c) =>
    c.name!
  );
  const extra = keys.filter((k) => !specs.has(k));
  return schemaError(
    quote,
    inputs,
    missing.length
      ? `Model is missing inputs ${pyRepr(missing)}.` +
        (extra.length ? ` Note that there were extra inputs: ${pyRepr(extra)}` : "")
      : `Incompatible input types for column ${nested.name}. Can not safely convert object to ${
        numpyDtypeOf(nested.type)
      }. (column ${pyRepr(nested.name)} holds lists: send one value per row)`,
  );
}

// A column of a number type (numpy float or int): a list in it is an array dimension, not a value.
function isNumeric(spec: ColSpec | undefined): boolean {
  return ["double", "float", "long", "integer"].includes(spec?.type as string);
}

// How a column's values nest: no lists, lists of one length (a 2-D array), or lists of other lengths or
// mixed with values (numpy's "inhomogeneous shape").
function nesting(values: readonly unknown[]): "none" | "uniform" | "ragged" {
  const lists = values.filter(Array.isArray);
  if (lists.length === 0) return "none";
  return lists.length === values.length && lists.every((l) => l.length === lists[0].length)
    ? "uniform"
    : "ragged";
}

function invalid(mlflow: string, detail: string): ScoringError {
  return new ScoringError(400, "BAD_REQUEST", `Invalid input. ${mlflow} (${detail})`);
}

function hint(type: ColumnType): string {
  switch (type) {
    case "double":
    case "float":
    case "long":
    case "integer":
      return "numbers";
    case "boolean":
      return "true or false";
    case "datetime":
      return "ISO 8601 text such as '2024-01-31'";
    case "binary":
      return "base64 text";
    default:
      return "text";
  }
}

// Python's type name of a JSON value, as its AttributeError prints it.
function pyTypeName(value: unknown): string {
  if (value === null) return "NoneType";
  if (Array.isArray(value)) return "list";
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return "dict";
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isRecord(v: unknown): v is Row {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
