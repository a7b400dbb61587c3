/**
 * V8's structured serializer (`node:v8`), loaded on first use: importing any `node:` module starts Deno's
 * Node compatibility layer (5–10 ms), which commands that only list or validate never need.
 *
 * @example
 * ```ts
 * const bytes = await v8Serialize(new Map([["a", 1]]));
 * (await v8Deserialize(bytes)) instanceof Map; // true
 * ```
 *
 * @module
 */

/** The V8 serialization of `value` (throws what `v8.serialize` throws, e.g. for a function). */
export async function v8Serialize(value: unknown): Promise<Uint8Array> {
  const { serialize } = await import("node:v8");
  return serialize(value);
}

/** The value V8 serialized into `bytes` (throws what `v8.deserialize` throws for other bytes). */
export async function v8Deserialize(bytes: Uint8Array): Promise<unknown> {
  const { deserialize } = await import("node:v8");
  return deserialize(bytes);
}
