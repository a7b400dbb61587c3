/**
 * MLflow's page tokens: `base64(json.dumps({"offset": N}))`. Opaque to callers; byte-identical to
 * the tokens MLflow issues, so tokens from either tool work in the other.
 *
 * @module
 */
import { mlflowError } from "../tracking_errors.ts";

/**
 * The token for the page starting at `offset`.
 *
 * @example
 * ```ts
 * encodePageToken(1000); // "eyJvZmZzZXQiOiAxMDAwfQ==" (= {"offset": 1000})
 * ```
 */
export function encodePageToken(offset: number): string {
  return btoa(`{"offset": ${offset}}`);
}

const B64 = /[A-Za-z0-9+/]/;

/**
 * Python's non-strict `base64.b64decode`: characters outside the alphabet are skipped, and the
 * data must be padded to whole quads; undefined where Python raises `binascii.Error`.
 */
function pyB64decode(token: string): Uint8Array | undefined {
  let data = "";
  let pads = 0;
  for (const c of token) {
    if (c === "=") {
      if (data.length % 4 >= 2 && data.length % 4 + ++pads >= 4) break;
    } else if (B64.test(c)) {
      if (pads) pads = 0;
      data += c;
    }
  }
  const rest = data.length % 4;
  if (rest === 1 || (rest !== 0 && rest + pads < 4)) return undefined;
  const bin = atob(data + "=".repeat((4 - rest) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Python's `repr(bytes)`, as MLflow prints an undecodable token. */
function bytesRepr(bytes: Uint8Array): string {
  const text = String.fromCharCode(...bytes);
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = `b${quote}`;
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (c === quote || c === "\\") out += `\\${c}`;
    else if (c === "\t") out += "\\t";
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, "0")}`;
    else out += c;
  }
  return out + quote;
}

/** Python's `repr()` of a parsed JSON value (dicts with single-quoted keys, True/None). */
function pyRepr(v: unknown): string {
  if (v === null) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "string") return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (typeof v === "object") {
    return `{${Object.entries(v).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(", ")}}`;
  }
  return String(v);
}

/**
 * The offset a token encodes (0 for no token), refused with MLflow's messages
 * (`SearchUtils.parse_start_offset_from_page_token`) — and, where MLflow would go on or crash, an
 * offset that is negative or beyond 2^53 is refused too.
 *
 * @example
 * ```ts
 * decodePageToken(encodePageToken(25)); // 25
 * ```
 */
export function decodePageToken(token: string | undefined | null): number {
  if (!token) return 0;
  const bytes = pyB64decode(token);
  if (bytes === undefined) {
    throw mlflowError("INVALID_PARAMETER_VALUE", "Invalid page token, could not base64-decode");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw mlflowError("INVALID_PARAMETER_VALUE", `Invalid page token, decoded value=${bytesRepr(bytes)}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw mlflowError("INVALID_PARAMETER_VALUE", `Invalid page token, parsed value=${pyRepr(parsed)}`);
  }
  const offset = (parsed as { offset?: unknown }).offset;
  if (!offset) {
    throw mlflowError("INVALID_PARAMETER_VALUE", `Invalid page token, parsed value=${pyRepr(parsed)}`);
  }
  // Python's int(): an int, a float (truncated), or a string of digits.
  const n = typeof offset === "number"
    ? Math.trunc(offset)
    : typeof offset === "string" && /^\s*[+-]?\d+\s*$/.test(offset)
    ? Number(offset)
    : NaN;
  if (Number.isNaN(n)) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid page token, not stringable ${pyRepr(offset).replace(/^'(.*)'$/, "$1")}`,
    );
  }
  if (n < 0 || n > Number.MAX_SAFE_INTEGER) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid page token, offset ${JSON.stringify(offset)} is out of range`,
      "page tokens come from next_page_token of the previous page; pass them back unchanged",
    );
  }
  return n;
}

/**
 * One page of an already sorted list and the token of the next page, if any.
 *
 * @example
 * ```ts
 * paginate([1, 2, 3], undefined, 2); // { items: [1, 2], nextPageToken: encodePageToken(2) }
 * ```
 */
export function paginate<T>(
  items: readonly T[],
  pageToken: string | undefined | null,
  maxResults: number,
): { items: T[]; nextPageToken?: string } {
  const start = decodePageToken(pageToken);
  const end = start + maxResults;
  const page = items.slice(start, end);
  return end < items.length ? { items: page, nextPageToken: encodePageToken(end) } : { items: page };
}
