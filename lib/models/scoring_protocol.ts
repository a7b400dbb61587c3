/**
 * MLflow's scoring protocol (`mlflow models serve`, MLflow 2.x): request bodies in JSON
 * (`dataframe_split`, `dataframe_records`, `instances`, `inputs`, plus `params`) or CSV, turned into input
 * rows; answers as `{"predictions": …}` written like Python's `json.dumps`.
 *
 * @module
 */
import type { ColSpec } from "../tracking/mod.ts";
import { pythonJson } from "../tracking/models/signature.ts";
import type { Row } from "./enforce.ts";
import { ScoringError } from "./scoring_error.ts";
import { pyRepr } from "../py_repr.ts";
import { parsePythonJson } from "../py_json_parse.ts";
import { jsonablePredictions } from "./predictions_json.ts";
import { isRecord } from "../is_record.ts";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "./json_depth.ts";

/** A parsed scoring request. */
export interface ScoringInput {
  /**
   * Rows of records (a data frame), plain values for a model with one unnamed input column, or an LLM
   * request's body (a record of columns, as MLflow hands it to the model).
   */
  data: Row[] | unknown[] | Row;
  /**
   * The frame's column names when the request names them (`dataframe_split`'s columns, an `inputs` object's
   * keys, a CSV header): a frame without rows still has its columns, as in pandas.
   */
  columns?: string[];
  params?: Record<string, unknown>;
  /** MLflow's text of the data in its errors when it is not a frame (`inputs` / `instances`: numpy arrays). */
  quote?: string;
  /**
   * An MLflow "unified LLM" request (`messages`, `prompt` or `input` at the top level): `data` is the body
   * itself (less the declared params), and the answer is the predictions without `{"predictions": …}`.
   */
  llm?: boolean;
}

/** The top-level keys that make a JSON body an LLM request in MLflow 2.x's scoring server. */
const LLM_KEYS = ["messages", "prompt", "input"];

/** How to read a body: `llmParams` (the signature's param names) turns on the server's LLM requests. */
export interface ScoringBodyOptions {
  llmParams?: readonly string[];
}

const FORMATS = ["dataframe_split", "dataframe_records", "instances", "inputs"];
const FORMATS_TEXT = "{'dataframe_records', 'instances', 'inputs', 'dataframe_split'}";
const REQUIRED_FORMAT =
  `The input must be a JSON dictionary with exactly one of the input fields ${FORMATS_TEXT}`;
const PROTOCOL_NOTE =
  "IMPORTANT: The MLflow Model scoring protocol has changed in MLflow version 2.0. If you are seeing this error, you are likely using an outdated scoring request format. To resolve the error, either update your request format or adjust your MLflow Model's requirements file to specify an older version of MLflow (for example, change the 'mlflow' requirement specifier to 'mlflow==1.30.0'). If you are making a request using the MLflow client (e.g. via `mlflow.pyfunc.spark_udf()`), upgrade your MLflow client to a version >= 2.0 in order to use the new request format. For more information about the updated MLflow Model scoring protocol in MLflow 2.0, see https://mlflow.org/docs/latest/models.html#deploy-mlflow-models.";

/**
 * The media type of a request, or MLflow's 415 errors for anything but JSON and CSV in UTF-8 (charset is
 * the only parameter allowed).
 *
 * @example
 * ```ts
 * contentKind("application/json; charset=utf-8"); // "json"
 * ```
 */
export function contentKind(contentType: string | null): "json" | "csv" {
  const [type, ...pairs] = (contentType ?? "").split(";").map((p) => p.trim());
  const params = new Map(
    pairs.filter((p) => p !== "").map((p) => {
      const at = p.indexOf("=");
      const key = (at < 0 ? p : p.slice(0, at)).trim().toLowerCase();
      // RFC 9110: a quoted value equals the bare one (charset="utf-8").
      const value = at < 0 ? "" : p.slice(at + 1).trim().replace(/^"(.*)"$/, "$1");
      return [key, value];
    }),
  );
  // MLflow's order and words: another charset, then any other parameter (MLflow 1.x's format=pandas-split
  // gets the note on the 2.0 protocol), then the media type.
  const charset = params.get("charset") ?? "utf-8";
  if (charset.toLowerCase() !== "utf-8" && charset.toLowerCase() !== "utf8") {
    throw new ScoringError(415, "UNSUPPORTED_MEDIA_TYPE", "The scoring server only supports UTF-8");
  }
  const others = [...params.keys()].filter((k) => k !== "charset");
  if (others.length > 0) {
    throw new ScoringError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      `Unrecognized content type parameters: ${others.join(", ")}. ${PROTOCOL_NOTE}`,
    );
  }
  const kind = type.toLowerCase() === "application/json"
    ? "json"
    : type.toLowerCase() === "text/csv"
    ? "csv"
    : undefined;
  if (!kind) {
    // Without the header (Python's requests.post(url, data=…) sends none) MLflow 2.17 fails with a 500.
    const got = contentType === null
      ? "Got no Content-Type header: send the body with Content-Type: application/json or text/csv."
      : `Got '${contentType}'.`;
    throw new ScoringError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      `This predictor only supports the following content types: Types: ['text/csv', 'application/json']. ${got}`,
    );
  }
  return kind;
}

/**
 * Parses a request body of the given kind into rows (and params).
 *
 * @example
 * ```ts
 * await parseScoringBody('{"dataframe_records": [{"a": 1}]}', "json"); // { data: [{ a: 1 }] }
 * ```
 */
export async function parseScoringBody(
  body: string,
  kind: "json" | "csv",
  inputs?: readonly ColSpec[],
  options: ScoringBodyOptions = {},
): Promise<ScoringInput> {
  return kind === "csv" ? await parseCsv(body, inputs) : await parseJson(body, inputs, options);
}

/**
 * MLflow's answer body for predictions.
 *
 * @example
 * ```ts
 * predictionsBody([{ prediction: "setosa" }]); // '{"predictions": [{"prediction": "setosa"}]}'
 * ```
 */
export function predictionsBody(predictions: unknown): string {
  return pythonJson({ predictions: jsonablePredictions(predictions) });
}

async function parseJson(
  body: string,
  inputs: readonly ColSpec[] | undefined,
  options: ScoringBodyOptions,
): Promise<ScoringInput> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    // Python's json.dumps writes NaN and the infinities as bare tokens, and MLflow's json.loads reads them.
    const python = parsePythonJson(body);
    if (!python.ok) {
      throw new ScoringError(
        400,
        "BAD_REQUEST",
        `Invalid input. Ensure that input is a valid JSON formatted string. Error: '${
          (error as Error).message
        }'\nInput: \n${body}\n`,
      );
    }
    value = python.value;
  }
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
    throw new ScoringError(
      400,
      "BAD_REQUEST",
      `Invalid input. The JSON nests lists or objects more than ${MAX_JSON_DEPTH} levels deep (Python's json, ` +
        "which MLflow reads requests with, refuses it too): send the data as rows or columns of values",
    );
  }
  if (Array.isArray(value)) {
    throw new ScoringError(
      400,
      "BAD_REQUEST",
      `${REQUIRED_FORMAT}. Received a list. Wrap a list of records as {"dataframe_records": [...]}, a list ` +
        `of rows as {"instances": [...]}.`,
    );
  }
  if (typeof value !== "object" || value === null) {
    throw new ScoringError(
      400,
      "BAD_REQUEST",
      `${REQUIRED_FORMAT}. Received unexpected input type '${pyTypeName(value)}'.`,
    );
  }
  const record = value as Record<string, unknown>;
  // MLflow's server checks for an LLM key before the format keys: the whole body is the model's input, and
  // only keys the signature declares as params are params (kmlf's models take it as one row of columns).
  if (options.llmParams && LLM_KEYS.some((k) => k in record)) {
    const data: Row = {};
    const params: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) (options.llmParams.includes(k) ? params : data)[k] = v;
    return { data, params, llm: true };
  }
  const present = Object.keys(record).filter((k) => FORMATS.includes(k));
  if (present.length !== 1) throw formatError(present);
  // MLflow pops "params" with None as its default: a null one is no params.
  const params = record.params ?? undefined;
  if (params !== undefined && (typeof params !== "object" || Array.isArray(params))) {
    throw new ScoringError(
      400,
      "BAD_REQUEST",
      `Invalid input. 'params' must be a JSON object, got ${JSON.stringify(params)}`,
    );
  }
  const format = present[0];
  return {
    ...(await rowsOf(format, record[format], inputs)),
    params: params as Record<string, unknown> | undefined,
  };
}

// Python's type() of a JSON scalar, as MLflow prints it.
function pyTypeName(value: unknown): string {
  const name = value === null
    ? "NoneType"
    : typeof value === "string"
    ? "str"
    : typeof value === "boolean"
    ? "bool"
    : Number.isInteger(value)
    ? "int"
    : "float";
  return `<class '${name}'>`;
}

function formatError(present: string[]): ScoringError {
  return new ScoringError(
    400,
    "BAD_REQUEST",
    `${REQUIRED_FORMAT}. Received dictionary with input fields: ${pyRepr(present)}. ${PROTOCOL_NOTE}`,
  );
}

// The rows of a request, and its columns when it names them (`dataframe_records` and `instances` name none:
// an empty list of them is a frame without columns, as pandas builds it).
async function rowsOf(
  format: string,
  payload: unknown,
  inputs?: readonly ColSpec[],
): Promise<Pick<ScoringInput, "data" | "columns" | "quote">> {
  const bad = (what: string) =>
    new ScoringError(400, "BAD_REQUEST", `Invalid input. '${format}' must be ${what}, got ${short(payload)}`);
  const columnsOfSignature = inputs?.filter((c) => c.name !== undefined).map((c) => c.name!);
  // A row of values is zipped with the columns: a row of another length would shift or drop values
  // silently (pandas refuses it too: "4 columns passed, passed data had 2 columns").
  const zipRow = (values: unknown[], columns: string[], index: number) => {
    if (values.length !== columns.length) {
      throw new ScoringError(
        400,
        "BAD_REQUEST",
        `Invalid input. Row ${index} of '${format}' has ${values.length} values for ${columns.length} columns ` +
          `${pyRepr(columns)}, got ${short(values)}: give each row one value per column, in that order`,
      );
    }
    return Object.fromEntries(columns.map((c, i) => [c, values[i]]));
  };
  switch (format) {
    case "dataframe_split": {
      if (!isRecord(payload) || !Array.isArray(payload.data)) {
        throw bad('{"columns": [...], "data": [[...], ...]}');
      }
      if (payload.columns !== undefined && !Array.isArray(payload.columns)) {
        throw bad('{"columns": [...], "data": [[...], ...]} with columns a list of names');
      }
      const columns = Array.isArray(payload.columns) ? payload.columns.map(String) : columnsOfSignature;
      if (!columns) throw bad("an object with columns (the model has no signature naming them)");
      // A row is a record: a name given twice would keep its last value silently (pandas keeps both, and
      // the model then reads the first or fails).
      const twice = columns.findIndex((c, i) => columns.indexOf(c) !== i);
      if (twice >= 0) {
        throw new ScoringError(
          400,
          "BAD_REQUEST",
          `Invalid input. 'dataframe_split' names column '${columns[twice]}' twice (columns ${
            columns.indexOf(columns[twice])
          } and ${twice} of ${pyRepr(columns)}): give each column once`,
        );
      }
      const data = payload.data.map((r, i) => {
        if (!Array.isArray(r)) throw bad("a list of rows, each a list of values");
        return zipRow(r, columns, i);
      });
      return { data, columns: Array.isArray(payload.columns) ? columns : undefined };
    }
    case "dataframe_records":
      if (!Array.isArray(payload) || !payload.every(isRecord)) {
        throw bad("a list of records ({column: value})");
      }
      return { data: payload as Row[] };
    case "instances":
    case "inputs": {
      if (columnsOfSignature?.length) {
        const read = (await tfServing()).tfServingRows(format, payload, inputs!);
        if (read) return read;
      }
      if (format === "inputs" && isRecord(payload)) {
        const columns = Object.keys(payload);
        const lists = columns.map((
          c,
        ) => (Array.isArray(payload[c]) ? payload[c] as unknown[] : [payload[c]]));
        const n = Math.max(0, ...lists.map((l) => l.length));
        if (lists.some((l) => l.length !== n)) throw bad("an object of columns of equal length");
        const data = Array.from(
          { length: n },
          (_, i) => Object.fromEntries(columns.map((c, j) => [c, lists[j][i]])),
        );
        return { data, columns };
      }
      if (!Array.isArray(payload)) throw bad("a list");
      if (payload.every(isRecord)) return { data: payload as Row[] };
      if (payload.every(Array.isArray) && columnsOfSignature?.length) {
        return { data: (payload as unknown[][]).map((r, i) => zipRow(r, columnsOfSignature, i)) };
      }
      return { data: payload };
    }
  }
  throw bad("known");
}

// By computed URL (its own bundle entry, loaded with the first `inputs` / `instances` body): MLflow's reading
// of those bodies and numpy's text of them are not on the server's start path.
const tfServing = (): Promise<typeof import("./tf_serving_input.ts")> =>
  import(new URL("./tf_serving_input.ts", import.meta.url).href);

// By computed URL, with the first CSV body (as csv-parse).
const csvHeader = (): Promise<typeof import("./csv_header.ts")> =>
  import(new URL("./csv_header.ts", import.meta.url).href);

async function parseCsv(body: string, inputs?: readonly ColSpec[]): Promise<ScoringInput> {
  // csv-parse (10 modules) loads with the first CSV body: JSON is what most clients send.
  const { parse } = await import("csv-parse/sync");
  const failed = (message: string) =>
    new ScoringError(
      400,
      "BAD_REQUEST",
      "Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid CSV-formatted Pandas " +
        `DataFrame produced using the \`pandas.DataFrame.to_csv()\` method. Error: '${message}'`,
    );
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // `info: true` gives each record with its line number; csv-parse's types do not follow the option.
    records = parse(body, {
      skip_empty_lines: true,
      bom: true,
      relax_column_count: true,
      info: true,
    }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (error) {
    throw failed((error as Error).message);
  }
  const [names = [], ...rows] = records.map((r) => r.record);
  const { pandasCsvHeader, isPandasNa } = await csvHeader();
  const header = pandasCsvHeader(names);
  // pandas.read_csv pads a short line with NaN and refuses a long one (the first line one field longer
  // would silently become the index: refused too).
  const long = records.findIndex((r, i) => i > 0 && r.record.length > header.length);
  if (long > 0) {
    throw failed(
      `Error tokenizing data. C error: Expected ${header.length} fields in line ${
        records[long].info.lines
      }, saw ${records[long].record.length}\n`,
    );
  }
  // The signature's columns stay text for convertColumns to type as pandas.read_csv(dtype=…) does: "007"
  // stays a code in a string column, and "True" in a double column is an error, not 1.
  const text = header.map((h) => inputs?.some((c) => c.name === h) ?? false);
  // A JavaScript number does not say it is a float, so a signature inferred from rows whose values were
  // all whole (a CSV column of 1.0, 2.0) says long: the same file must predict, so "2.0" (or "2e3") in a
  // long column reads as the whole number it is, as the JSON number 2.0 does. "2.5" stays refused.
  const whole = header.map((h) =>
    inputs?.some((c) => c.name === h && (c.type === "long" || c.type === "integer")) ?? false
  );
  const data = rows.map((r) =>
    Object.fromEntries(header.map((h, i) => {
      // pandas' missing-value words (NA from R, NULL from SQL exports, …) are missing in any column.
      const cell = r[i] ?? "";
      if (isPandasNa(cell)) return [h, null];
      if (whole[i] && NUMBER.test(cell) && Number.isSafeInteger(Number(cell))) return [h, Number(cell)];
      return [h, text[i] ? cell : typed(cell)];
    }))
  );
  // A header line alone is a frame with these columns and no rows.
  return { data, columns: header };
}

const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

// pandas.read_csv's typing, as far as rows of records go: empty → null, numbers, booleans, text.
function typed(value: string): unknown {
  if (value === "") return null;
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return NUMBER.test(value) ? Number(value) : value;
}

function short(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
