/**
 * `Range` requests on artifact downloads, answered as Werkzeug's `send_file` (behind MLflow's
 * `/get-artifact`) answers them: one byte range (`bytes=a-b`, `a-`, `-n`) gives 206 with
 * `Content-Range`; a header Werkzeug cannot parse, several ranges, another unit or a range outside the
 * file gives 416 with `Content-Range: bytes *\/<size>`; an empty file, or an `If-Range` that no longer
 * matches the file's `ETag` / `Last-Modified`, gives the whole file (200). Bodies stream: a slice of a
 * local file is read from its offset, never whole.
 *
 * @module
 */

/** Half-open byte interval `[start, end)` of a file. */
export interface ByteRange {
  start: number;
  end: number;
}

/** A file's validators, compared with `If-Range`. */
export interface FileValidators {
  /** Quoted strong entity tag, e.g. `"1733535363.5-1048576"`. */
  etag?: string;
  lastModified?: Date;
}

/** What a download answers: the whole file, one slice, or 416. */
export type RangeDecision =
  | { kind: "full" }
  | { kind: "partial"; range: ByteRange }
  | { kind: "unsatisfiable" };

const PLAIN_INT = /^-?\d+$/;

/**
 * Werkzeug's `parse_range_header`: the unit and the `[begin, end)` items (end null: to the end; a
 * negative begin: a suffix), or undefined for a header it refuses (no `=`, an item without `-`, not
 * integers, ranges out of order, `a-b` with b < a).
 *
 * @example
 * ```ts
 * parseRangeHeader("bytes=0-99"); // { units: "bytes", ranges: [[0, 100]] }
 * parseRangeHeader("bytes=-500"); // { units: "bytes", ranges: [[-500, null]] }
 * ```
 */
export function parseRangeHeader(
  value: string | null,
): { units: string; ranges: [number, number | null][] } | undefined {
  if (!value || !value.includes("=")) return undefined;
  const at = value.indexOf("=");
  const units = value.slice(0, at).trim().toLowerCase();
  const ranges: [number, number | null][] = [];
  let lastEnd = 0;
  for (const raw of value.slice(at + 1).split(",")) {
    const item = raw.trim();
    if (!item.includes("-")) return undefined;
    if (item.startsWith("-")) {
      if (lastEnd < 0 || !PLAIN_INT.test(item)) return undefined;
      ranges.push([Number(item) || 0, null]); // -0 is Python's 0
      lastEnd = -1;
      continue;
    }
    const dash = item.indexOf("-");
    const beginText = item.slice(0, dash).trim();
    const endText = item.slice(dash + 1).trim();
    if (!PLAIN_INT.test(beginText)) return undefined;
    const begin = Number(beginText);
    if (begin < lastEnd || lastEnd < 0) return undefined;
    let end: number | null = null;
    if (endText) {
      if (!PLAIN_INT.test(endText)) return undefined;
      end = Number(endText) + 1;
      if (begin >= end) return undefined;
    }
    lastEnd = end ?? -1;
    ranges.push([begin, end]);
  }
  return { units, ranges };
}

/**
 * Werkzeug's `Range.range_for_length`: the one byte range a parsed header selects in a file of
 * `length` bytes, or undefined (another unit, several ranges, outside the file).
 *
 * @example
 * ```ts
 * rangeForLength(parseRangeHeader("bytes=-10")!, 100); // { start: 90, end: 100 }
 * ```
 */
export function rangeForLength(
  parsed: { units: string; ranges: [number, number | null][] },
  length: number,
): ByteRange | undefined {
  if (parsed.units !== "bytes" || parsed.ranges.length !== 1) return undefined;
  let [start, end] = parsed.ranges[0];
  if (end === null) {
    end = length;
    if (start < 0) start += length;
  }
  if (start >= end || start < 0 || start >= length) return undefined;
  return { start, end: Math.min(end, length) };
}

/**
 * How to answer a download of a `size`-byte file: Werkzeug's `make_conditional` with
 * `accept_ranges=True` (a `Range` is honoured only on GET/HEAD, on a non-empty file, and when
 * `If-Range`, if sent, still matches).
 *
 * @example
 * ```ts
 * decideRange(request, 1024, { etag: '"1-1024"' }); // { kind: "partial", range: { start: 0, end: 100 } }
 * ```
 */
export function decideRange(request: Request, size: number, validators: FileValidators = {}): RangeDecision {
  const header = request.headers.get("range");
  if (header === null || size === 0) return { kind: "full" };
  if (request.method !== "GET" && request.method !== "HEAD") return { kind: "full" };
  const ifRange = request.headers.get("if-range");
  if (ifRange !== null && !ifRangeMatches(ifRange, validators)) return { kind: "full" };
  const parsed = parseRangeHeader(header);
  const range = parsed && rangeForLength(parsed, size);
  return range ? { kind: "partial", range } : { kind: "unsatisfiable" };
}

// Werkzeug's `is_resource_modified` for If-Range: a date matches when the file is not newer (to the
// second), an entity tag (quotes and W/ dropped) when it equals the file's.
function ifRangeMatches(value: string, validators: FileValidators): boolean {
  const date = /^[A-Za-z]{3},/.test(value.trim()) ? new Date(value) : undefined;
  if (date && !Number.isNaN(date.getTime())) {
    return validators.lastModified !== undefined &&
      Math.floor(validators.lastModified.getTime() / 1000) <= Math.floor(date.getTime() / 1000);
  }
  if (!validators.etag) return false;
  return unquoteEtag(value) === unquoteEtag(validators.etag);
}

const unquoteEtag = (tag: string) => tag.trim().replace(/^W\//, "").replace(/^"(.*)"$/, "$1");

/**
 * Sets a 206 answer's headers on `headers` (the file's others kept) and returns its status.
 *
 * @example
 * ```ts
 * return new Response(body, { status: partialHeaders(headers, range, size), headers });
 * ```
 */
export function partialHeaders(headers: Headers, range: ByteRange, size: number): number {
  headers.set("content-length", String(range.end - range.start));
  headers.set("content-range", `bytes ${range.start}-${range.end - 1}/${size}`);
  headers.set("accept-ranges", "bytes");
  return 206;
}

/**
 * Werkzeug's `RequestedRangeNotSatisfiable` as Flask renders it: 416, its HTML page and
 * `Content-Range: bytes *\/<size>`.
 *
 * @example
 * ```ts
 * rangeNotSatisfiable(1024).headers.get("content-range"); // "bytes *\/1024"
 * ```
 */
export function rangeNotSatisfiable(size: number): Response {
  const html = [
    "<!doctype html>",
    "<html lang=en>",
    "<title>416 Requested Range Not Satisfiable</title>",
    "<h1>Requested Range Not Satisfiable</h1>",
    "<p>The server cannot provide the requested range.</p>",
  ].join("\n");
  return new Response(html, {
    status: 416,
    headers: { "content-type": "text/html; charset=utf-8", "content-range": `bytes */${size}` },
  });
}

/**
 * Bytes `[range.start, range.end)` of an open file as a stream, read in 64 KiB pieces from the
 * offset; the file is closed when the slice is sent or the client goes away.
 *
 * @example
 * ```ts
 * const body = fileSlice(await Deno.open(path), { start: 100, end: 200 });
 * ```
 */
export function fileSlice(file: Deno.FsFile, range: ByteRange): ReadableStream<Uint8Array> {
  let left = range.end - range.start;
  let positioned = false;
  const close = () => {
    try {
      file.close();
    } catch { /* already closed */ }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!positioned) {
          await file.seek(range.start, Deno.SeekMode.Start);
          positioned = true;
        }
        const buffer = new Uint8Array(Math.min(left, 64 * 1024));
        const read = await file.read(buffer);
        if (read === null) {
          // The file shrank since it was measured: end short rather than hang.
          close();
          controller.error(new Error("artifact file ended before the requested range"));
          return;
        }
        left -= read;
        controller.enqueue(buffer.subarray(0, read));
        if (left === 0) {
          close();
          controller.close();
        }
      } catch (error) {
        close();
        controller.error(error);
      }
    },
    cancel: close,
  }, { highWaterMark: 0 });
}
