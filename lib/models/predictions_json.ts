/**
 * A prediction as JSON can carry it, the way MLflow's `predictions_to_json` turns numpy arrays and pandas
 * frames into lists: typed arrays become lists, a Map an object, a Set a list, a BigInt a number, a Date its ISO text, anything
 * with `toJSON` (a Decimal, a Temporal value) its JSON form. What has no JSON form (a function, a symbol, an
 * invalid Date, a cycle) is the model's error, named by its place in the output — never `{}` or the
 * function's source text in a 200 answer.
 *
 * @module
 */
import { ScoringError } from "./scoring_error.ts";

/**
 * `predictions` as plain JSON data.
 *
 * @example
 * ```ts
 * jsonablePredictions(new Float64Array([0.1, 0.9])); // [0.1, 0.9]
 * ```
 */
export function jsonablePredictions(predictions: unknown): unknown {
  const ancestors = new Set<object>();
  const plain = (value: unknown, path: string): unknown => {
    if (value === null || value === undefined) return value;
    switch (typeof value) {
      case "string":
      case "number":
      case "boolean":
        return value;
      case "bigint":
        // Exact while it fits a double; beyond, its digits (a JSON number would be rounded by readers).
        return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
      case "function":
      case "symbol":
        throw badOutput(path, `a ${typeof value}`);
    }
    const object = value as object;
    if (object instanceof Date) {
      if (Number.isNaN(object.getTime())) throw badOutput(path, "an invalid Date");
      return object.toISOString();
    }
    if (ancestors.has(object)) throw badOutput(path, "a reference to itself (a cycle)");
    ancestors.add(object);
    try {
      if (ArrayBuffer.isView(object) && !(object instanceof DataView)) {
        return Array.from(object as unknown as ArrayLike<unknown>, (v, i) => plain(v, `${path}[${i}]`));
      }
      if (Array.isArray(object)) return object.map((v, i) => plain(v, `${path}[${i}]`));
      if (object instanceof Set) return [...object].map((v, i) => plain(v, `${path}[${i}]`));
      if (object instanceof Map) {
        return Object.fromEntries(
          [...object].map(([k, v]) => [String(k), plain(v, `${path}[${String(k)}]`)]),
        );
      }
      const toJSON = (object as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === "function") return plain(toJSON.call(object), path);
      return Object.fromEntries(
        Object.entries(object).filter(([, v]) => v !== undefined).map((
          [k, v],
        ) => [k, plain(v, `${path}.${k}`)]),
      );
    } finally {
      ancestors.delete(object);
    }
  };
  return plain(predictions, "predictions");
}

function badOutput(path: string, what: string): ScoringError {
  return new ScoringError(
    500,
    "INTERNAL_ERROR",
    `The model's output cannot be sent as JSON: ${path} is ${what}`,
    {
      code: "model/bad-output",
      hint: "make the inference pipeline's output node return plain data (records, lists, numbers, strings)",
    },
  );
}
