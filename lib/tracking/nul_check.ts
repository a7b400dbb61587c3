/**
 * NUL characters in stored strings (experiment names, run names, user ids, param/tag values): refused
 * by every store with the words MLflow's server uses for any request field holding one. SQLite cuts a
 * string at NUL and file stores write names into YAML, so accepting it would store something else than
 * was logged — and a REST store would refuse what a local one took.
 *
 * @module
 */
import { mlflowError } from "./tracking_errors.ts";

/** A string as Python's `json.dumps` writes it (ASCII only), as MLflow's messages quote values. */
function pyJsonString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Throws MLflow's `INVALID_PARAMETER_VALUE` when `value` holds a NUL character; `parameter` is the
 * request field MLflow would name (`name`, `value`, `params[0].value`, …).
 *
 * @example
 * ```ts
 * refuseNul("value", "a\0b"); // throws: Invalid value "a\u0000b" for parameter 'value' supplied: …
 * ```
 */
export function refuseNul(parameter: string, value: unknown): void {
  if (typeof value !== "string" || !value.includes("\0")) return;
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Invalid value ${
      pyJsonString(value)
    } for parameter '${parameter}' supplied: NUL characters are not allowed. ` +
      "See the API docs for more information about request parameters.",
    "remove the NUL (\\0) character from the value",
  );
}
