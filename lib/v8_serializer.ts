/**
 * V8's structured serialization (what `node:v8` reads and writes): kmlf's own codec for the values pipelines
 * usually pickle (lib/v8_codec.ts), `node:v8` for everything else, each loaded on first need. Importing
 * `node:v8` costs ~8 ms (it loads `node:buffer`), which a run that saves a model or a few rows no longer pays;
 * the codec (~22 KB) loads with the first pickle, not with every catalog that declares one.
 *
 * @example
 * ```ts
 * const bytes = await v8Serialize(new Map([["a", 1]]));
 * (await v8Deserialize(bytes)) instanceof Map; // true
 * ```
 *
 * @module
 */
import { DeferredModule } from "./deferred_module.ts";

const codec = new DeferredModule<typeof import("./v8_codec.ts")>(() =>
  import(new URL("./v8_codec.ts", import.meta.url).href)
);

/** The V8 serialization of `value` (throws what `v8.serialize` throws, e.g. for a function). */
export async function v8Serialize(value: unknown): Promise<Uint8Array> {
  const { encodeV8 } = codec.loaded ?? await codec.load();
  return encodeV8(value) ?? (await import("node:v8")).serialize(value);
}

/** The value V8 serialized into `bytes` (throws what `v8.deserialize` throws for other bytes). */
export async function v8Deserialize(bytes: Uint8Array): Promise<unknown> {
  const { decodeV8 } = codec.loaded ?? await codec.load();
  const decoded = decodeV8(bytes);
  return decoded ? decoded.value : (await import("node:v8")).deserialize(bytes);
}
