/**
 * V8's structured serialization (what `node:v8` reads and writes): kmlf's own codec for the values pipelines
 * usually pickle (lib/v8_codec.ts), `node:v8` for everything else, each loaded on first need. Importing
 * `node:v8` costs ~8 ms (it loads `node:buffer`), which a run that saves a model or a few rows no longer pays.
 *
 * @example
 * ```ts
 * const bytes = await v8Serialize(new Map([["a", 1]]));
 * (await v8Deserialize(bytes)) instanceof Map; // true
 * ```
 *
 * @module
 */
import { decodeV8, encodeV8 } from "./v8_codec.ts";

/** The V8 serialization of `value` (throws what `v8.serialize` throws, e.g. for a function). */
export async function v8Serialize(value: unknown): Promise<Uint8Array> {
  return encodeV8(value) ?? (await import("node:v8")).serialize(value);
}

/** The value V8 serialized into `bytes` (throws what `v8.deserialize` throws for other bytes). */
export async function v8Deserialize(bytes: Uint8Array): Promise<unknown> {
  const decoded = decodeV8(bytes);
  return decoded ? decoded.value : (await import("node:v8")).deserialize(bytes);
}
