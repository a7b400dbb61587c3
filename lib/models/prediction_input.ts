/**
 * The input `model.predict` runs on, from what a script may pass — the forms MLflow's pyfunc `predict`
 * turns into a data frame — when the signature names columns: one record is one row; an object of column
 * lists (`{"x": [1, 2], "y": [3, 4]}`) is its rows; a list of value lists is zipped with the signature's
 * columns, as the scoring server does for `instances`. A missing input, or a bare value, is refused instead of
 * reaching the pipeline as something its nodes cannot read.
 *
 * @module
 */
import type { ModelSignature } from "../tracking/models/signature.ts";
import type { Row } from "./enforce.ts";
import { ScoringError } from "./scoring_error.ts";
import { pyRepr } from "../py_repr.ts";

/**
 * The rows (or, for a model without named columns, the input as given).
 *
 * @example
 * ```ts
 * predictionInput({ x: [1, 2] }, [{ name: "x", type: "long", required: true }]); // [{ x: 1 }, { x: 2 }]
 * ```
 */
export function predictionInput(input: unknown, columns: ModelSignature["inputs"] | undefined): unknown {
  const example = `model.predict([{"column": value, ...}, ...])`;
  if (input === undefined || input === null) {
    throw new ScoringError(
      400,
      "BAD_REQUEST",
      `Invalid input. predict() was given ${input}: pass the rows to score, e.g. ${example}`,
    );
  }
  const names = columns?.filter((c) => c.name !== undefined).map((c) => c.name!) ?? [];
  if (names.length === 0) return input;
  if (isRow(input)) {
    const values = Object.values(input);
    if (values.length === 0 || !values.every(Array.isArray)) return [input];
    const lists = values as unknown[][];
    const n = lists[0].length;
    if (lists.some((l) => l.length !== n)) {
      throw new ScoringError(
        400,
        "BAD_REQUEST",
        `Invalid input. predict() was given an object of columns of different lengths (${
          Object.entries(input).map(([k, v]) => `${k}: ${(v as unknown[]).length}`).join(", ")
        }): give every column one value per row`,
      );
    }
    const keys = Object.keys(input);
    return Array.from({ length: n }, (_, i) => Object.fromEntries(keys.map((k, j) => [k, lists[j][i]])));
  }
  if (!Array.isArray(input)) {
    throw new ScoringError(
      400,
      "BAD_REQUEST",
      `Invalid input. predict() was given ${
        JSON.stringify(input)?.slice(0, 80) ?? typeof input
      } (a ${typeof input}), but the model's signature names the columns ${
        pyRepr(names)
      }: pass rows, e.g. ${example}`,
    );
  }
  if (input.length > 0 && input.every(Array.isArray)) {
    return (input as unknown[][]).map((values, i) => {
      if (values.length !== names.length) {
        throw new ScoringError(
          400,
          "BAD_REQUEST",
          `Invalid input. Row ${i} has ${values.length} values for ${names.length} columns ${
            pyRepr(names)
          }: give each row one value per column, in that order`,
        );
      }
      return Object.fromEntries(names.map((c, j) => [c, values[j]]));
    });
  }
  return input;
}

function isRow(v: unknown): v is Row {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}
