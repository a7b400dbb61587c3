/**
 * Conditional artifact downloads. MLflow serves artifacts with Flask's `send_file`, which marks every
 * download `Cache-Control: no-cache`, sends an `ETag` and `Last-Modified`, and answers a browser's
 * revalidation (`If-None-Match`, `If-Modified-Since`) with 304. kmlf evaluates the preconditions in
 * RFC 9110's order (§13.2.2), which is what HTTP clients and caches expect; it departs from Werkzeug
 * where Werkzeug departs from the RFC: a matching `If-Match` (or `*`) is served, not refused; a failing
 * `If-Unmodified-Since` is 412 (Werkzeug ignores it); a 412 carries no file body; and a 304/412 is
 * decided before a `Range` (Werkzeug serves a 206 to a cache that already holds the file).
 *
 * @module
 */
import type { FileValidators } from "./byte_ranges.ts";

/** What the preconditions of a download decide: serve it, 304, or 412. */
export type PreconditionOutcome = "proceed" | "not-modified" | "failed";

const CONDITIONAL_HEADERS = ["if-match", "if-none-match", "if-modified-since", "if-unmodified-since"];

/**
 * Whether `request` carries a precondition (a repository that can measure a file is then asked for its
 * validators before the body is fetched).
 *
 * @example
 * ```ts
 * hasPreconditions(new Request("http://h/a", { headers: { "if-none-match": '"1-2"' } })); // true
 * ```
 */
export function hasPreconditions(request: Request): boolean {
  return CONDITIONAL_HEADERS.some((name) => request.headers.has(name));
}

/**
 * RFC 9110 §13.2.2 for a GET/HEAD of a file with `validators`: `If-Match` (strong comparison, `*` any
 * file) else `If-Unmodified-Since` → 412 when it fails; then `If-None-Match` (weak comparison) else
 * `If-Modified-Since` → 304 when the client's copy is current. A date that does not parse, or a
 * validator the file lacks, leaves its header without effect. Other methods always proceed.
 *
 * @example
 * ```ts
 * evaluatePreconditions(request, { etag: '"1-2"', lastModified: new Date() }); // "not-modified"
 * ```
 */
export function evaluatePreconditions(request: Request, validators: FileValidators): PreconditionOutcome {
  if (request.method !== "GET" && request.method !== "HEAD") return "proceed";
  const header = (name: string) => request.headers.get(name);
  const ifMatch = header("if-match");
  if (ifMatch !== null) {
    if (!matchesAny(ifMatch, validators.etag, "strong")) return "failed";
  } else {
    const since = httpDate(header("if-unmodified-since"));
    if (since !== undefined && validators.lastModified && seconds(validators.lastModified) > since) {
      return "failed";
    }
  }
  const ifNoneMatch = header("if-none-match");
  if (ifNoneMatch !== null) {
    return matchesAny(ifNoneMatch, validators.etag, "weak") ? "not-modified" : "proceed";
  }
  const since = httpDate(header("if-modified-since"));
  if (since !== undefined && validators.lastModified && seconds(validators.lastModified) <= since) {
    return "not-modified";
  }
  return "proceed";
}

// Headers a 304 keeps (RFC 9110 §15.4.5): those that let a cache update what it holds.
const KEPT_ON_304 = ["etag", "last-modified", "cache-control", "expires", "vary", "content-location"];

/**
 * The answer for an outcome other than "proceed": 304 with the file's validators and cache headers,
 * or 412 without a body. `headers` are the ones a 200 would have carried.
 *
 * @example
 * ```ts
 * if (outcome !== "proceed") return preconditionResponse(outcome, headers);
 * ```
 */
export function preconditionResponse(outcome: "not-modified" | "failed", headers: Headers): Response {
  if (outcome === "failed") {
    const kept = new Headers({ "content-length": "0" });
    for (const name of ["etag", "last-modified", "cache-control"]) {
      const value = headers.get(name);
      if (value !== null) kept.set(name, value);
    }
    return new Response(null, { status: 412, headers: kept });
  }
  const kept = new Headers();
  for (const name of KEPT_ON_304) {
    const value = headers.get(name);
    if (value !== null) kept.set(name, value);
  }
  return new Response(null, { status: 304, headers: kept });
}

/**
 * Sets a download's validators and Werkzeug's `Cache-Control: no-cache` (a browser keeps the file but
 * asks again before reusing it, since an artifact can be overwritten) on `headers`.
 *
 * @example
 * ```ts
 * setValidatorHeaders(headers, { etag: '"1-2"', lastModified: new Date() });
 * ```
 */
export function setValidatorHeaders(headers: Headers, validators: FileValidators): void {
  if (validators.etag) headers.set("etag", validators.etag);
  if (validators.lastModified) headers.set("last-modified", validators.lastModified.toUTCString());
  headers.set("cache-control", "no-cache");
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

// An HTTP date (IMF-fixdate, RFC 850 or asctime, as Date parses them) in whole seconds, or undefined.
function httpDate(value: string | null): number | undefined {
  if (value === null || !/[A-Za-z]{3}/.test(value)) return undefined;
  const time = new Date(value.trim()).getTime();
  return Number.isNaN(time) ? undefined : Math.floor(time / 1000);
}

// A list of entity tags (`"a", W/"b"`) or `*` against the file's tag; no tag matches nothing but `*`
// is still only for an existing file, which every caller has.
function matchesAny(list: string, etag: string | undefined, comparison: "strong" | "weak"): boolean {
  if (list.trim() === "*") return true;
  if (!etag) return false;
  const mine = parseTag(etag);
  if (comparison === "strong" && mine.weak) return false;
  for (const tag of list.match(/(?:W\/)?"[^"]*"|[^,\s]+/g) ?? []) {
    const theirs = parseTag(tag);
    if (comparison === "strong" && theirs.weak) continue;
    if (theirs.opaque === mine.opaque) return true;
  }
  return false;
}

function parseTag(tag: string): { weak: boolean; opaque: string } {
  const trimmed = tag.trim();
  const weak = trimmed.startsWith("W/");
  const body = weak ? trimmed.slice(2) : trimmed;
  return { weak, opaque: body.replace(/^"(.*)"$/, "$1") };
}
