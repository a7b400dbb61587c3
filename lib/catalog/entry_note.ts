/** A dataset type's note about an entry (`DatasetFactoryContext.warn`), checked before it is shown. */
import { DatasetError } from "../errors.ts";
import type { CatalogNote } from "./dataset_factory.ts";

/**
 * The note and key path a dataset type passed to `warn`, or a `catalog/bad-note` error naming what is wrong
 * (a plugin written in JavaScript may pass a string, or a note without its code): shown as they were, they
 * would read `warning[undefined]` at the wrong key.
 *
 * @example
 * ```ts
 * checkNote(["credentials"], { code: "catalog/credentials-not-propagated", message, hint }, "partitioned");
 * ```
 */
export function checkNote(
  keyPath: unknown,
  note: unknown,
  type: string,
): { keyPath: readonly (string | number)[]; note: CatalogNote } {
  const problems: string[] = [];
  const keys = Array.isArray(keyPath) && keyPath.every((k) => typeof k === "string" || typeof k === "number");
  if (!keys) {
    problems.push(`its key path is ${describe(keyPath)}, not a list of keys such as ["credentials"]`);
  }
  const fields = typeof note === "object" && note !== null ? note as Record<string, unknown> : undefined;
  if (!fields) problems.push(`the note is ${describe(note)}, not {code, message, hint}`);
  else {
    for (const field of ["code", "message", "hint"]) {
      const value = fields[field];
      if (typeof value !== "string" || value.trim() === "") {
        problems.push(`its ${field} is ${describe(value)}, not a text`);
      }
    }
  }
  if (problems.length > 0) {
    throw new DatasetError(
      "catalog/bad-note",
      `Dataset type "${type}" passed warn() a note kmlf cannot show: ${problems.join("; ")}`,
      {
        hint:
          'fix the dataset type (its plugin): call ctx.warn(["key"], { code: "catalog/<what>", message, ' +
          "hint }), with the key of the entry the note is about",
      },
    );
  }
  return { keyPath: keyPath as (string | number)[], note: fields as unknown as CatalogNote };
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (typeof value === "string") {
    return value === "" ? "empty" : `the text ${JSON.stringify(value.slice(0, 40))}`;
  }
  return Array.isArray(value) ? "a list with other values" : `${value === null ? "null" : typeof value}`;
}
