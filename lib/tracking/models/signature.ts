/**
 * MLflow model signatures: column specs for inputs/outputs and param specs, in MLflow 2.17's JSON shapes
 * (`mlflow/types/schema.py`), inferred from JS data the way `infer_signature` does from pandas.
 *
 * @module
 */

/** MLflow's scalar data types. */
export type ScalarType =
  | "boolean"
  | "integer"
  | "long"
  | "float"
  | "double"
  | "string"
  | "binary"
  | "datetime";

/** A column's type: a scalar, or MLflow's array / object forms. */
export type ColumnType =
  | ScalarType
  | { type: "array"; items: ColumnType }
  | { type: "object"; properties: Record<string, { type: ColumnType; required: boolean }> };

/** One column of a schema (`name` absent for an unnamed single column). */
export interface ColSpec {
  /** The column's name; absent for an unnamed single column. */
  name?: string;
  /** The column's MLflow type. */
  type: ColumnType;
  /** Whether the column must be present (MLflow marks columns that held missing values optional). */
  required: boolean;
}

/** One inference parameter: `shape` is null for a scalar, `[-1]` for a list. */
export interface ParamSpec {
  /** The parameter's name, as passed at inference. */
  name: string;
  /** The parameter's MLflow type. */
  type: ScalarType;
  /** The value used when a prediction call does not pass the parameter. */
  default: unknown;
  /** null for a scalar, `[-1]` for a list. */
  shape: number[] | null;
}

/** A model signature. */
export interface ModelSignature {
  /** The columns a model takes. */
  inputs: ColSpec[];
  /** The columns a model returns; null when not recorded. */
  outputs: ColSpec[] | null;
  /** The inference parameters a model accepts; null when it takes none. */
  params: ParamSpec[] | null;
}

/** The signature as MLmodel stores it: each part a JSON string (or null). */
export interface SignatureStrings {
  /** The input columns as a JSON string. */
  inputs: string;
  /** The output columns as a JSON string, or null. */
  outputs: string | null;
  /** The inference parameters as a JSON string, or null. */
  params: string | null;
}

const SCALARS: readonly string[] = [
  "boolean",
  "integer",
  "long",
  "float",
  "double",
  "string",
  "binary",
  "datetime",
];

/**
 * The type of one JS value in MLflow's terms (numbers: `long` when integral, else `double`, as pandas
 * reads them); undefined for null/undefined.
 *
 * @example
 * ```ts
 * typeOfValue(5.1); // "double"
 * typeOfValue([1, 2]); // { type: "array", items: "long" }
 * ```
 */
export function typeOfValue(value: unknown): ColumnType | undefined {
  if (value === null || value === undefined || (typeof value === "number" && Number.isNaN(value))) {
    return undefined;
  }
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "long" : "double";
  if (typeof value === "bigint") return "long";
  if (typeof value === "string") return "string";
  if (value instanceof Date) return "datetime";
  if (value instanceof Uint8Array) return "binary";
  if (Array.isArray(value)) {
    const items = mergeTypes(value.map(typeOfValue));
    return { type: "array", items: items ?? "string" };
  }
  if (typeof value === "object") {
    const properties: Record<string, { type: ColumnType; required: boolean }> = {};
    for (const [k, v] of Object.entries(value)) {
      const t = typeOfValue(v);
      properties[k] = { type: t ?? "string", required: t !== undefined };
    }
    return { type: "object", properties };
  }
  return undefined;
}

// long + double → double (a numeric column with some fractions); other mixes → string.
function mergeTypes(types: (ColumnType | undefined)[]): ColumnType | undefined {
  let merged: ColumnType | undefined;
  for (const t of types) {
    if (t === undefined) continue;
    if (merged === undefined) merged = t;
    else if (JSON.stringify(merged) === JSON.stringify(t)) continue;
    else if ((merged === "long" || merged === "double") && (t === "long" || t === "double")) {
      merged = "double";
    } else return "string";
  }
  return merged;
}

/**
 * Infers input columns from example data: rows of records (a data frame) give named columns, an array of
 * scalars one unnamed column. A column with missing values is optional. Undefined when the data has
 * another shape (the model is then logged without a signature). `floatColumns` are the numeric columns
 * that were floats in the file the rows came from (pandas' float64: a CSV column of `91.0`, `96.0`): they
 * are `double` though JavaScript holds whole numbers there.
 *
 * @example
 * ```ts
 * inferColumns([{ a: 1, b: "x" }]); // [{ name: "a", type: "long", required: true }, { name: "b", type: "string", required: true }]
 * inferColumns([{ a: 1 }], new Set(["a"])); // [{ name: "a", type: "double", required: true }]
 * ```
 */
export function inferColumns(data: unknown, floatColumns?: ReadonlySet<string>): ColSpec[] | undefined {
  if (!Array.isArray(data) || data.length === 0) return undefined;
  if (data.every(isRecord)) {
    const names = [...new Set(data.flatMap((r) => Object.keys(r)))];
    return names.map((name) => {
      const values = data.map((r) => (r as Record<string, unknown>)[name]);
      let type = mergeTypes(values.map(typeOfValue));
      if (floatColumns?.has(name) && (type === "long" || type === undefined)) type = "double";
      return { name, type: type ?? "string", required: values.every((v) => typeOfValue(v) !== undefined) };
    });
  }
  if (data.every((v) => v === null || typeof v !== "object" || v instanceof Date)) {
    const values = data as unknown[];
    const type = mergeTypes(values.map(typeOfValue));
    return [{ type: type ?? "string", required: values.every((v) => typeOfValue(v) !== undefined) }];
  }
  return undefined;
}

/**
 * Param specs for the inference parameters (defaults = the training values). Values MLflow cannot
 * declare as params (mappings, nested lists) are left out and returned in `skipped`.
 *
 * @example
 * ```ts
 * inferParams({ threshold: 0.5 }).params; // [{ name: "threshold", type: "double", default: 0.5, shape: null }]
 * ```
 */
export function inferParams(values: Record<string, unknown>): { params: ParamSpec[]; skipped: string[] } {
  const params: ParamSpec[] = [];
  const skipped: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const t = typeOfValue(value);
    if (typeof t === "string") params.push({ name, type: t, default: value, shape: null });
    else if (t && t.type === "array" && typeof t.items === "string") {
      params.push({ name, type: t.items, default: value, shape: [-1] });
    } else skipped.push(name);
  }
  return { params, skipped };
}

/**
 * The signature in MLmodel's form (JSON strings with MLflow's key order).
 *
 * @example
 * ```ts
 * signatureToStrings({ inputs: [{ name: "a", type: "double", required: true }], outputs: null, params: null });
 * ```
 */
export function signatureToStrings(signature: ModelSignature): SignatureStrings {
  const col = (c: ColSpec) => ({
    type: c.type,
    ...(c.name !== undefined ? { name: c.name } : {}),
    required: c.required,
  });
  const json = pythonJson;
  return {
    inputs: json(signature.inputs.map(col)),
    outputs: signature.outputs ? json(signature.outputs.map(col)) : null,
    params: signature.params ? json(signature.params) : null,
  };
}

/**
 * Reads MLmodel's signature strings back; throws a plain Error naming the part that is not valid.
 *
 * @example
 * ```ts
 * parseSignature({ inputs: '[{"type": "double", "name": "a", "required": true}]', outputs: null, params: null });
 * ```
 */
export function parseSignature(strings: SignatureStrings): ModelSignature {
  const part = <T>(
    name: "inputs" | "outputs" | "params",
    text: string | null | undefined,
    problem: (part: string, v: unknown) => string | undefined,
  ): T | null => {
    if (text === null || text === undefined) return null;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new Error(`signature.${name} is not JSON: ${(error as Error).message}`);
    }
    const bad = problem(`signature.${name}`, value);
    if (bad) throw new Error(bad);
    return value as T;
  };
  const inputs = part<ColSpec[]>("inputs", strings.inputs, colSpecsProblem);
  if (!inputs) throw new Error("signature.inputs is missing");
  return {
    inputs: inputs.map(withRequired),
    outputs: part<ColSpec[]>("outputs", strings.outputs, colSpecsProblem)?.map(withRequired) ?? null,
    params: part<ParamSpec[]>("params", strings.params, paramSpecsProblem),
  };
}

function withRequired(c: ColSpec): ColSpec {
  return { ...c, required: c.required !== false };
}

// MLflow's DataType names and the composite forms, for messages about a type that is not one of them.
const TYPES_TEXT = `MLflow's types are ${SCALARS.join(", ")}, ` +
  `or {"type": "array", "items": <type>}, {"type": "object", "properties": {…}}, {"type": "map", …}`;

// What is wrong with a list of column specs, naming the entry (index and name) and the bad type.
function colSpecsProblem(part: string, v: unknown): string | undefined {
  if (!Array.isArray(v)) return `${part} is not a list of MLflow column specs (got ${shortJson(v)})`;
  for (const [i, c] of v.entries()) {
    const where = entryName(part, i, c);
    if (!isRecord(c)) return `${where} is not a column spec {"type": …, "name": …} (got ${shortJson(c)})`;
    if (c.name !== undefined && typeof c.name !== "string") {
      return `${where} has the name ${shortJson(c.name)}, which is not a string`;
    }
    if (c.type === "tensor") {
      return `${where} is a tensor spec: kmlf models take column specs ({"type": "double", "name": …})`;
    }
    const bad = typeProblem(c.type);
    if (bad) return `${where} ${bad}: ${TYPES_TEXT}`;
  }
  return undefined;
}

function paramSpecsProblem(part: string, v: unknown): string | undefined {
  if (!Array.isArray(v)) return `${part} is not a list of MLflow param specs (got ${shortJson(v)})`;
  for (const [i, p] of v.entries()) {
    const where = entryName(part, i, p);
    if (!isRecord(p)) {
      return `${where} is not a param spec {"name": …, "type": …, "default": …} (got ${shortJson(p)})`;
    }
    if (typeof p.name !== "string") return `${where} has no name`;
    if (typeof p.type !== "string" || !SCALARS.includes(p.type)) {
      return `${where} has the unknown type ${shortJson(p.type)}: a param's type is one of ${
        SCALARS.join(", ")
      }`;
    }
  }
  return undefined;
}

// `signature.inputs[1] ("sepal_width")`: the index, and the name when the entry has one.
function entryName(part: string, index: number, entry: unknown): string {
  const name = isRecord(entry) && typeof entry.name === "string" ? ` (${JSON.stringify(entry.name)})` : "";
  return `${part}[${index}]${name}`;
}

// Why `t` is not an MLflow column type (undefined when it is); array items are checked in depth.
function typeProblem(t: unknown): string | undefined {
  if (t === undefined) return "has no type";
  if (typeof t === "string") {
    return SCALARS.includes(t) ? undefined : `has the unknown type ${JSON.stringify(t)}`;
  }
  if (!isRecord(t)) return `has the type ${shortJson(t)}, which is not an MLflow type`;
  if (t.type === "array") {
    const items = typeProblem(t.items);
    return items && `is an array whose items ${items.replace(/^has /, "have ")}`;
  }
  if (t.type === "object") {
    return isRecord(t.properties) ? undefined : 'is an object type without "properties"';
  }
  if (t.type === "map") return undefined;
  return `has the unknown type ${shortJson(t)}`;
}

function shortJson(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * MLflow's text form of a column type, as in its error messages (`double`, `Array(long)`).
 *
 * @example
 * ```ts
 * typeName({ type: "array", items: "long" }); // "Array(long)"
 * ```
 */
export function typeName(t: ColumnType): string {
  if (typeof t === "string") return t;
  if (t.type === "array") return `Array(${typeName(t.items)})`;
  return `Object(${Object.entries(t.properties).map(([k, p]) => `${k}: ${typeName(p.type)}`).join(", ")})`;
}

/**
 * JSON written the way Python's `json.dumps` writes it (`", "` and `": "` separators, non-ASCII escaped),
 * for the strings MLflow stores (signature parts, the `mlflow.log-model.history` tag).
 *
 * @example
 * ```ts
 * pythonJson({ a: [1, "é"] }); // '{"a": [1, "\\u00e9"]}'
 * ```
 */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") {
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  }
  if (typeof value === "number") {
    return Number.isFinite(value) ? String(value) : value > 0 ? "Infinity" : value < 0 ? "-Infinity" : "NaN";
  }
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date) return pythonJson(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`).join(", ")}}`;
  }
  return JSON.stringify(String(value));
}
