/**
 * protobuf's `json_format.ParseDict(…, ignore_unknown_fields=True)` over MLflow's proto2 request
 * messages, as MLflow's server runs it: fields in the JSON's key order, `null` = absent, proto3
 * JSON conventions for numbers (`"5"` and `5.0` are an int64 5, `"NaN"` a double), closed enums by
 * name or number, int32/int64 ranges. A failure stops the parse at the failing field; what it
 * reports is the path and value kmlf names in its 400 (MLflow itself carries on with defaults).
 *
 * @module
 */
import { isDict, PyFloat, pyFloat, pyInt, type PyValue } from "./py_values.ts";

/** Scalar field types MLflow's request messages use. */
export type ScalarType = "string" | "int64" | "int32" | "double" | "bool";

/** A closed (proto2) enum: value names → numbers, and the field's default number. */
export interface EnumType {
  enumName: string;
  values: Readonly<Record<string, number>>;
}

/** One field of a message, in declaration order. */
export interface FieldDesc {
  name: string;
  type: ScalarType | EnumType | MessageDesc;
  repeated?: boolean;
  /** Proto2 `[default = …]`; otherwise the type's zero (an enum's first value). */
  defaultValue?: ProtoValue;
}

/** A message type. */
export interface MessageDesc {
  name: string;
  fields: readonly FieldDesc[];
}

/** A parsed field value: int64/int32 as exact bigints, enums as numbers. */
export type ProtoValue = string | bigint | number | boolean | ProtoMessage | ProtoValue[];

/** Where and why the parse stopped. */
export interface ParseFailure {
  /** `timestamp`, or `metrics[1].timestamp` inside a list. */
  path: string;
  /** The JSON value found there. */
  value: PyValue;
  /** Why, e.g. `expected an integer (int64)`. */
  reason: string;
}

class ParseError extends Error {
  constructor(readonly failure: ParseFailure) {
    super(failure.reason);
  }
}

const INT_RANGES: Record<"int32" | "int64", [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
};

function isEnum(t: FieldDesc["type"]): t is EnumType {
  return typeof t === "object" && "enumName" in t;
}

function isMessage(t: FieldDesc["type"]): t is MessageDesc {
  return typeof t === "object" && "fields" in t;
}

function jsonName(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * A message parsed from JSON: the fields that were set, with proto defaults for the others.
 *
 * @example
 * ```ts
 * const { message } = parseMessage(new Map([["run_id", "abc"]]), LOG_PARAM);
 * message.str("run_id"); // "abc"
 * message.has("value"); // false
 * ```
 */
export class ProtoMessage {
  readonly values = new Map<string, ProtoValue>();
  constructor(readonly desc: MessageDesc) {}

  /** Whether the field was set (proto2 `HasField`; a repeated field: non-empty). */
  has(name: string): boolean {
    const v = this.values.get(name);
    return v !== undefined && !(Array.isArray(v) && v.length === 0);
  }
  /** The field's value or its default. */
  get(name: string): ProtoValue {
    const v = this.values.get(name);
    if (v !== undefined) return v;
    const field = this.desc.fields.find((f) => f.name === name);
    if (!field) throw new Error(`${this.desc.name} has no field ${name}`);
    return defaultOf(field);
  }
  str(name: string): string {
    return this.get(name) as string;
  }
  int(name: string): bigint {
    return this.get(name) as bigint;
  }
  num(name: string): number {
    return this.get(name) as number;
  }
  list<T extends ProtoValue>(name: string): T[] {
    return this.get(name) as T[];
  }
  msg(name: string): ProtoMessage {
    return this.get(name) as ProtoMessage;
  }
}

function defaultOf(field: FieldDesc): ProtoValue {
  if (field.repeated) return [];
  if (field.defaultValue !== undefined) return field.defaultValue;
  const t = field.type;
  if (isMessage(t)) return new ProtoMessage(t);
  if (isEnum(t)) return Object.values(t.values)[0];
  return t === "string" ? "" : t === "bool" ? false : t === "double" ? 0 : 0n;
}

function fail(path: string, value: PyValue, reason: string): never {
  throw new ParseError({ path, value, reason });
}

function convertInteger(value: PyValue, type: "int32" | "int64", path: string): bigint {
  const expected = `expected an integer (${type})`;
  if (value instanceof PyFloat && !Number.isInteger(value.value)) fail(path, value, expected);
  if (typeof value === "string" && value.includes(" ")) fail(path, value, expected);
  if (typeof value === "boolean") fail(path, value, expected);
  const n = pyInt(value);
  if (!("ok" in n)) fail(path, value, expected);
  const [min, max] = INT_RANGES[type];
  if (n.ok < min || n.ok > max) fail(path, value, `out of the ${type} range [${min}, ${max}]`);
  return n.ok;
}

const DOUBLE_HINT =
  'expected a number (a double); write non-finite values as the strings "NaN", "Infinity", "-Infinity"';

function convertDouble(value: PyValue, path: string): number {
  if (value instanceof PyFloat) {
    if (!Number.isFinite(value.value)) fail(path, value, DOUBLE_HINT);
    return value.value;
  }
  if (value === "nan") fail(path, value, DOUBLE_HINT);
  const f = pyFloat(value);
  if ("ok" in f) return f.ok;
  fail(path, value, DOUBLE_HINT);
}

function convertEnum(value: PyValue, type: EnumType, path: string): number {
  const invalid = () => fail(path, value, `expected one of ${Object.keys(type.values).join(", ")}`);
  if (Array.isArray(value) || isDict(value)) return invalid();
  if (typeof value === "string" && Object.hasOwn(type.values, value)) return type.values[value];
  const n = pyInt(value);
  if (!("ok" in n)) return invalid();
  const match = Object.values(type.values).find((v) => BigInt(v) === n.ok);
  return match === undefined ? invalid() : match;
}

function convertScalar(value: PyValue, field: FieldDesc, path: string): ProtoValue {
  const t = field.type;
  if (isEnum(t)) return convertEnum(value, t, path);
  switch (t) {
    case "int32":
    case "int64":
      return convertInteger(value, t, path);
    case "double":
      return convertDouble(value, path);
    case "bool":
      if (typeof value !== "boolean") fail(path, value, "expected true or false");
      return value;
    default:
      if (typeof value !== "string") fail(path, value, "expected a string");
      if (/\p{Cs}/u.test(value)) fail(path, value, "a string with an unpaired UTF-16 surrogate");
      return value;
  }
}

/**
 * `_ConvertFieldValuePair`: iterating a non-dict is what Python does — a string iterates its
 * characters (no field is one character long, so the message stays empty), a list its items
 * (a non-string item fails), anything else fails.
 */
function convertMessage(js: PyValue, desc: MessageDesc, path: string, message: ProtoMessage): void {
  if (typeof js === "string") return;
  if (Array.isArray(js)) {
    for (const item of js) {
      if (typeof item !== "string") fail(path, js, "expected an object");
      if (desc.fields.some((f) => f.name === item || jsonName(f.name) === item)) {
        fail(path, js, "expected an object");
      }
    }
    return;
  }
  if (!isDict(js)) fail(path, js, "expected an object");
  for (const [name, value] of js) {
    const field = desc.fields.find((f) => jsonName(f.name) === name) ??
      desc.fields.find((f) => f.name === name);
    if (!field) continue;
    const fieldPath = path ? `${path}.${name}` : name;
    if (value === null) {
      message.values.delete(field.name);
      continue;
    }
    if (field.repeated) {
      message.values.delete(field.name);
      if (!Array.isArray(value)) fail(fieldPath, value, "expected a list");
      const items: ProtoValue[] = [];
      message.values.set(field.name, items);
      value.forEach((item, i) => {
        const itemPath = `${fieldPath}[${i}]`;
        if (item === null) fail(itemPath, item, "null is not allowed as an item of a list");
        if (isMessage(field.type)) {
          const sub = new ProtoMessage(field.type);
          items.push(sub);
          convertMessage(item, field.type, itemPath, sub);
        } else {
          items.push(convertScalar(item, field, itemPath));
        }
      });
    } else if (isMessage(field.type)) {
      const sub = new ProtoMessage(field.type);
      message.values.set(field.name, sub);
      convertMessage(value, field.type, fieldPath, sub);
    } else {
      message.values.set(field.name, convertScalar(value, field, fieldPath));
    }
  }
}

/**
 * Parses a request dict into `desc`; on failure, the fields before the failing one stay set
 * (as in protobuf) and `failure` says where it stopped.
 *
 * @example
 * ```ts
 * const { failure } = parseMessage(new Map([["timestamp", new PyFloat(1.5)]]), LOG_METRIC);
 * failure?.path; // "timestamp"
 * ```
 */
export function parseMessage(
  js: PyValue,
  desc: MessageDesc,
): { message: ProtoMessage; failure?: ParseFailure } {
  const message = new ProtoMessage(desc);
  try {
    convertMessage(js, desc, "", message);
    return { message };
  } catch (error) {
    if (error instanceof ParseError) return { message, failure: error.failure };
    throw error;
  }
}
