/**
 * The `js_value` flavor: any plain JavaScript model object (weights, thresholds, a decision tree as nested
 * objects) saved as `model.json` or, with `serialization: v8`, as `model.v8` through V8's serializer (which
 * also keeps Map, Set, typed arrays, Date, BigInt, undefined and NaN). MLmodel records which:
 * `flavors: {js_value: {serialization: json, data: model.json}}`. Class instances come back as plain
 * objects either way (as with the pickle dataset); what JSON would change is refused, never altered.
 *
 * @module
 */
import { join } from "../../path.ts";
import { TrackingError } from "../../errors.ts";
import { v8Deserialize, v8Serialize } from "../../v8_serializer.ts";
import type { ModelFlavor } from "./flavor.ts";
import { readFile, writeFile } from "../../file_io.ts";
import { resolvesInside } from "../../fs_utils.ts";

/** The serializations of the `js_value` flavor. */
export const VALUE_SERIALIZATIONS = ["json", "v8"] as const;
/** One of {@link VALUE_SERIALIZATIONS}. */
export type ValueSerialization = typeof VALUE_SERIALIZATIONS[number];

const FILES: Record<ValueSerialization, string> = { json: "model.json", v8: "model.v8" };

/**
 * The `js_value` flavor. Save argument: `serialization` (`json`, the default, or `v8`).
 *
 * @example
 * ```ts
 * await saveModelFolder(dir, { threshold: 2.45 }, jsValueFlavor, { flavorArgs: { serialization: "json" } });
 * ```
 */
export const jsValueFlavor: ModelFlavor<unknown> = {
  name: "js_value",
  saveArgs: ["serialization"],
  loadArgs: [],
  async save(model, dir, args) {
    const serialization = (args.serialization ?? "json") as ValueSerialization;
    if (!VALUE_SERIALIZATIONS.includes(serialization)) {
      throw new TrackingError(
        "model/bad-serialization",
        `js_value serialization must be json or v8, got ${JSON.stringify(serialization)}`,
        { hint: "json for plain data (readable, diffable), v8 for Map, Set, typed arrays, Date, BigInt" },
      );
    }
    let bytes: Uint8Array;
    if (serialization === "json") {
      const problem = jsonProblem(model);
      if (problem) {
        throw new TrackingError(
          "model/not-json",
          `The model cannot be saved as JSON without changing it: ${problem}`,
          { hint: "set save_args.serialization: v8 (V8's serializer keeps it), or return plain data" },
        );
      }
      bytes = new TextEncoder().encode(JSON.stringify(model, null, 2) + "\n");
    } else {
      try {
        bytes = await v8Serialize(model);
      } catch (error) {
        throw new TrackingError(
          "model/not-serializable",
          `The model cannot be serialized: ${(error as Error).message}`,
          {
            hint: "functions, symbols and objects holding native resources cannot be saved; save plain data",
          },
        );
      }
    }
    await writeFile(join(dir, FILES[serialization]), bytes);
    return { entry: { serialization, data: FILES[serialization] } };
  },
  async load(dir, { entry }) {
    const serialization = entry.serialization;
    const data = typeof entry.data === "string" && !/[\\/]|^\.\.?$/.test(entry.data) ? entry.data : undefined;
    if ((serialization !== "json" && serialization !== "v8") || !data) {
      throw new TrackingError(
        "model/bad-flavor",
        `${join(dir, "MLmodel")}: flavors.js_value needs serialization json or v8 and a data file name`,
        { hint: "save the model again" },
      );
    }
    if (!resolvesInside(dir, join(dir, data))) {
      // A link in the folder (an unpacked archive can carry one) to a file elsewhere: never read, nor quoted
      // in a parse error.
      throw new TrackingError(
        "model/bad-flavor",
        `${join(dir, "MLmodel")}: flavors.js_value.data (${data}) is a link leading out of the model folder`,
        { hint: "save the model again, or download it again" },
      );
    }
    const bytes = await readFile(join(dir, data));
    try {
      return serialization === "json"
        ? JSON.parse(new TextDecoder().decode(bytes))
        : await v8Deserialize(bytes);
    } catch (error) {
      throw new TrackingError(
        "model/bad-data",
        `Cannot read ${join(dir, data)}: ${(error as Error).message}`,
        {
          hint: "the file was changed after the model was saved; save the model again",
        },
      );
    }
  },
};

/**
 * What JSON would lose or change in `value`, with its path (`model.weights[2] is NaN`), or undefined.
 *
 * @example
 * ```ts
 * jsonProblem({ seen: new Set([1]) }); // "model.seen is a Set"
 * ```
 */
export function jsonProblem(value: unknown): string | undefined {
  const ancestors = new Set<object>();
  const visit = (v: unknown, path: string): string | undefined => {
    if (v === undefined) return `${path} is undefined`;
    if (typeof v === "number" && !Number.isFinite(v)) return `${path} is ${v}`;
    if (typeof v === "bigint") return `${path} is a BigInt`;
    if (typeof v === "function" || typeof v === "symbol") return `${path} is a ${typeof v}`;
    if (v === null || typeof v !== "object") return undefined;
    const kind = v instanceof Map
      ? "a Map"
      : v instanceof Set
      ? "a Set"
      : v instanceof Date
      ? "a Date"
      : v instanceof RegExp
      ? "a RegExp"
      : ArrayBuffer.isView(v) || v instanceof ArrayBuffer
      ? `a ${v.constructor.name}`
      : undefined;
    if (kind) return `${path} is ${kind}`;
    if (ancestors.has(v)) return `${path} refers to an object containing it`;
    ancestors.add(v);
    try {
      const entries: [string, unknown][] = Array.isArray(v)
        ? v.map((item, i) => [`${path}[${i}]`, item])
        : Object.entries(v).map((
          [k, item],
        ) => [/^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, item]);
      for (const [p, item] of entries) {
        const problem = visit(item, p);
        if (problem) return problem;
      }
    } finally {
      ancestors.delete(v);
    }
    return undefined;
  };
  return visit(value, "model");
}
