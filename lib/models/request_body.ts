/**
 * Reading a scoring request's body: at most a given number of bytes (after decompression, so a small gzip
 * body cannot expand without limit), `Content-Encoding: gzip` or `deflate` undone (clients that compress
 * every body, as `requests` users and API gateways may), and the text decoded as strict UTF-8 — the only
 * charset MLflow's scoring server takes — so a Latin-1 file is said to be one instead of scored with
 * replacement characters.
 *
 * @module
 */
import { ScoringError } from "./scoring_error.ts";

/**
 * The body of `request` as text.
 *
 * @example
 * ```ts
 * await readScoringBody(new Request("http://x/invocations", { method: "POST", body: "{}" }), 1024); // "{}"
 * ```
 */
export async function readScoringBody(request: Request, max: number): Promise<string> {
  const encoding = (request.headers.get("content-encoding") ?? "").trim().toLowerCase();
  if (encoding !== "" && encoding !== "identity" && !DECOMPRESSED.includes(encoding)) {
    await request.body?.cancel();
    throw new ScoringError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      `Unsupported Content-Encoding '${encoding}': send the body as it is, or compressed with gzip or deflate`,
    );
  }
  const declared = Number(request.headers.get("content-length") ?? NaN);
  const tooLarge = () =>
    new ScoringError(413, "REQUEST_LIMIT_EXCEEDED", `The request body is larger than ${max} bytes`, {
      hint: "send fewer rows per request, or start the server with a larger --max-body-size",
    });
  if (declared > max) {
    await request.body?.cancel();
    throw tooLarge();
  }
  let bytes: Uint8Array;
  if (DECOMPRESSED.includes(encoding) && request.body) {
    const stream = request.body.pipeThrough(new DecompressionStream(encoding as CompressionFormat));
    try {
      bytes = await collect(stream, max, tooLarge);
    } catch (error) {
      if (error instanceof ScoringError) throw error;
      throw new ScoringError(
        400,
        "BAD_REQUEST",
        `Invalid input. The body is not valid ${encoding} data (Content-Encoding: ${encoding}): ${
          (error as Error).message
        }`,
      );
    }
  } else if (declared >= 0) {
    // A declared length within the limit: one read (the streamed path is several times slower per request).
    bytes = new Uint8Array(await request.arrayBuffer());
  } else {
    bytes = request.body ? await collect(request.body, max, tooLarge) : new Uint8Array();
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new ScoringError(
      400,
      "BAD_REQUEST",
      "Invalid input. The body is not UTF-8 text (the only charset the scoring server takes): save or " +
        "encode the JSON or CSV as UTF-8",
    );
  }
}

const DECOMPRESSED = ["gzip", "deflate"];
// Strict: bytes that are not UTF-8 are an error, not U+FFFD; a leading byte-order mark is dropped.
const UTF8 = new TextDecoder("utf-8", { fatal: true });

async function collect(
  stream: ReadableStream<Uint8Array>,
  max: number,
  tooLarge: () => ScoringError,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    if (size > max) {
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) all.set(c, at), at += c.byteLength;
  return all;
}
