/**
 * Reading JSON as Python's `json.loads` reads it: with the `NaN`, `Infinity` and `-Infinity` tokens
 * `json.dumps` writes for non-finite floats (a Kedro JSONDataset file, a scoring request a Python client
 * built with `json.dumps`).
 *
 * @module
 */

const NON_FINITE: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

/**
 * JSON with Python's non-standard `NaN`, `Infinity` and `-Infinity` (json.dump's default): each such token
 * outside a string becomes a marker string no string in the text equals, which a reviver turns back.
 * `{ ok: false }` when the text is not JSON even so (or has no such token: JSON.parse said it all).
 *
 * @example
 * ```ts
 * parsePythonJson('{"x": NaN}'); // { ok: true, value: { x: NaN } }
 * ```
 */
export function parsePythonJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (!/NaN|Infinity/.test(text)) return { ok: false };
  let marker = "\u0000kmlf-number:";
  while (text.includes(marker.slice(1))) marker += "#";
  let out = "";
  let from = 0;
  let found = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      // Skip the string, escapes included.
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      continue;
    }
    const token = ch === "N"
      ? "NaN"
      : ch === "I"
      ? "Infinity"
      : ch === "-" && text[i + 1] === "I"
      ? "-Infinity"
      : "";
    if (token && text.startsWith(token, i)) {
      out += text.slice(from, i) + JSON.stringify(marker + token);
      i += token.length - 1;
      from = i + 1;
      found = true;
    }
  }
  if (!found) return { ok: false };
  try {
    const value = JSON.parse(
      out + text.slice(from),
      (_key, v) => typeof v === "string" && v.startsWith(marker) ? NON_FINITE[v.slice(marker.length)] : v,
    );
    return { ok: true, value };
  } catch {
    return { ok: false };
  }
}
