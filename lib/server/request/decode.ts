/**
 * MLflow's `_get_request_message`, step by step: the request JSON (a GET's query string, else the
 * body: Content-Type checked for POST/PUT, malformed JSON = `{}`, a double-encoded string decoded
 * again), `experiment_id(s)` stringified, the proto parse, then the handler schema. Where MLflow
 * goes on with defaults after a value its parse refused, kmlf answers 400 instead: a request is
 * either taken as sent or refused, never half-read.
 *
 * @module
 */
import { mlflowError } from "../../tracking/mod.ts";
import { readBodyLimited } from "../request_message.ts";
import { type MessageDesc, parseMessage, ProtoMessage } from "./proto_parse.ts";
import { isDict, type PyDict, pyJsonLoads, pyStr, pyTypeName, type PyValue } from "./py_values.ts";
import { invalidValueError, type Schema, validateSchema } from "./schema.ts";

/**
 * `_validate_content_type(request, ["application/json"])`: POST and PUT only; parameters such as
 * `; charset=utf-8` are allowed, nothing else is normalised.
 *
 * @example
 * ```ts
 * checkJsonContentType(request); // throws for POST without Content-Type
 * ```
 */
export function checkJsonContentType(request: Request): void {
  if (request.method !== "POST" && request.method !== "PUT") return;
  const type = request.headers.get("content-type");
  if (type === null) {
    throw mlflowError("INVALID_PARAMETER_VALUE", "Bad Request. Content-Type header is missing.");
  }
  if (type.split(";")[0] !== "application/json") {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      "Bad Request. Content-Type must be one of ['application/json'].",
    );
  }
}

function bodyNotAnObject(value: PyValue, doubleEncoded: boolean) {
  const what = doubleEncoded
    ? `a JSON string holding ${pyTypeName(value) === "dict" ? "an object" : "a non-object"}`
    : `a JSON ${
      ({ list: "array", int: "number", float: "number", str: "string", bool: "boolean" } as Record<
        string,
        string
      >)[
        pyTypeName(value)
      ] ?? pyTypeName(value)
    }`;
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Invalid request body: expected a JSON object, got ${what}.`,
    'send the fields as one JSON object, e.g. {"run_id": "…"}',
  );
}

/**
 * `_get_request_json`: the body as Python's `json.loads` reads it, `{}` when it is empty or not
 * JSON (Flask's `get_json(silent=True)`). A body that is not an object is refused (MLflow: 500).
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<PyDict> {
  checkJsonContentType(request);
  const bytes = await readBodyLimited(request, maxBytes);
  let text: string | undefined;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    text = undefined;
  }
  let json = text === undefined ? undefined : pyJsonLoads(text);
  let doubleEncoded = false;
  if (typeof json === "string") {
    const inner = pyJsonLoads(json);
    if (inner === undefined) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        "Invalid request body: a JSON string that does not hold JSON.",
        'send the fields as one JSON object, e.g. {"run_id": "…"}',
      );
    }
    json = inner;
    doubleEncoded = true;
  }
  if (json === undefined || json === null) return new Map();
  if (!isDict(json)) throw bodyNotAnObject(json, doubleEncoded);
  return json;
}

/**
 * The request JSON of an RPC: for a GET with a query string, the query values of the message's
 * fields (a repeated field takes every value, any other the first); otherwise the JSON body.
 */
export async function requestJson(
  request: Request,
  url: URL,
  desc: MessageDesc,
  maxBytes: number,
): Promise<PyDict> {
  const query = url.searchParams;
  if ((request.method === "GET" || request.method === "HEAD") && query.size > 0) {
    const json: PyDict = new Map();
    for (const field of desc.fields) {
      if (!query.has(field.name)) continue;
      json.set(field.name, field.repeated ? query.getAll(field.name) : query.get(field.name)!);
    }
    return json;
  }
  return await readJsonBody(request, maxBytes);
}

/**
 * `_stringify_all_experiment_ids`: every `experiment_id` becomes `str(v)` and every
 * `experiment_ids` a list of `str(item)`, before the parse sees them (so `123` is the id "123").
 */
export function stringifyExperimentIds(x: PyValue): void {
  if (isDict(x)) {
    for (const [k, v] of x) {
      if (k === "experiment_id") x.set(k, pyStr(v));
      else if (k === "experiment_ids") {
        if (typeof v === "string") x.set(k, [...v]);
        else if (Array.isArray(v)) x.set(k, v.map(pyStr));
        else if (isDict(v)) x.set(k, [...v.keys()]);
        // Python: TypeError, not iterable (MLflow answers 500).
        else throw invalidValueError(k, v);
      } else if (k === "info" && isDict(v) && v.has("experiment_id") && v.has("run_uuid")) {
        v.set("experiment_id", pyStr(v.get("experiment_id")!));
      } else if (k !== "params" && k !== "tags" && k !== "metrics") stringifyExperimentIds(v);
    }
  } else if (Array.isArray(x)) {
    for (const y of x) stringifyExperimentIds(y);
  }
}

/** A decoded request: the parsed message and the JSON it came from. */
export interface DecodedRequest {
  message: ProtoMessage;
  json: PyDict;
}

/**
 * Decodes an RPC request exactly as MLflow 2.17.2 does and validates it against `schema`; a value
 * the proto parse refuses is a 400 naming its field (where MLflow would use a default).
 *
 * @example
 * ```ts
 * const { message } = await decodeRequest(request, url, LOG_PARAM, [["run_id", [required, string]]]);
 * ```
 */
export async function decodeRequest(
  request: Request,
  url: URL,
  desc: MessageDesc,
  schema: Schema,
  maxBytes: number,
  lenient: readonly string[] = [],
): Promise<DecodedRequest> {
  const json = await requestJson(request, url, desc, maxBytes);
  stringifyExperimentIds(json);
  let { message, failure } = parseMessage(json, desc);
  validateSchema(schema, json, failure === undefined);
  // Fields MLflow ignores (or reads from the raw query itself) do not refuse the request: the
  // message is parsed again without them, so no field after them is lost.
  const skipped = new Map(json);
  while (failure && lenient.includes(failure.path.split(/[.[]/)[0])) {
    skipped.delete(failure.path.split(/[.[]/)[0]);
    ({ message, failure } = parseMessage(skipped, desc));
  }
  if (failure) throw invalidValueError(failure.path, failure.value, failure.reason);
  refuseNul(message, "");
  return { message, json };
}

/**
 * Refuses a NUL character in any string field but key names (whose own check refuses it with
 * MLflow's wording): no id holds one, and kmlf's SQLite driver would cut a stored string at it.
 */
function refuseNul(message: ProtoMessage, prefix: string): void {
  for (const [name, value] of message.values) {
    const path = `${prefix}${name}`;
    const items = Array.isArray(value)
      ? value.map((v, i) => [`${path}[${i}]`, v] as const)
      : [[path, value] as const];
    for (const [itemPath, item] of items) {
      if (item instanceof ProtoMessage) refuseNul(item, `${itemPath}.`);
      else if (typeof item === "string" && item.includes("\0") && name !== "key" && name !== "metric_key") {
        throw invalidValueError(itemPath, item, "NUL characters are not allowed");
      }
    }
  }
}
