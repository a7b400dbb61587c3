/**
 * zod for kmlf's own modules: the pinned npm package's `zod/mini` API bundled into one module with only the
 * functions kmlf calls (`deno task vendor-zod`, tools/vendor_zod.ts), because npm zod's ~95 modules cost
 * every command that validates a file ~15 ms to load, and the classic API's schemas (each carries ~50 bound
 * methods) take ~3x as long to build. Same validation and English messages as classic zod; types are npm
 * zod/mini's. Projects keep importing npm zod.
 *
 * @example
 * ```ts
 * // in lib/config/project.ts, which imports { z } from this module:
 * const Settings = z.strictObject({ name: z.string(), port: z.optional(z.int().check(z.gte(1))) });
 * ```
 *
 * @module
 */
import { z } from "./_bundle.js";
import { cacheSlot } from "../validation_cache.ts";

export { z };

/**
 * A schema built the first time a value reaches it, for a big, rarely given part of a file (a dataset's
 * `load_args`): building schemas is what a validating module's import costs. `z.lazy(build)` alone does
 * not defer it: an object asks each of its keys' schemas whether the key may be absent (`optin`/`optout`)
 * on every parse, and a lazy schema builds its inner one to answer. The inner schema must be a plain one
 * (not optional, not defaulted), so the answers are known: none; wrap the result in `z.optional`.
 *
 * @example
 * ```ts
 * const Entry = z.strictObject({
 *   filepath: z.string(),
 *   load_args: z.optional(deferred(() => z.strictObject({ sep: z.optional(z.string()) }))),
 * });
 * Entry.parse({ filepath: "a.csv" }); // load_args' schema is not built
 * ```
 */
export function deferred<T extends z.core.SomeType>(build: () => T): z.ZodMiniLazy<T> {
  const schema = z.lazy(() => {
    const inner = build();
    if (inner._zod.optin !== undefined || inner._zod.optout !== undefined) {
      throw new Error("deferred(): build a plain schema and wrap the deferred one in z.optional/z._default");
    }
    return inner;
  });
  // Own properties shadow zod's getters (on the instance's prototype), which would build the inner schema.
  for (const key of ["optin", "optout"]) {
    Object.defineProperty(schema._zod, key, { value: undefined, writable: true, configurable: true });
  }
  return schema;
}

// The ids of the schemas {@link cachedSchema} made, for the validation cache.
const CACHE_IDS = new WeakMap<object, string>();

/**
 * A schema built the first time a value has to be parsed by it ({@link deferred}), whose successes
 * {@link cachedSafeParse} remembers across runs under `id` (lib/validation_cache.ts): a remembered value
 * does not build it at all. Only for kmlf's own schemas whose answer depends on the value alone (not on a
 * plugin, nor on state a refinement reads); `build` must return a plain schema, as for `deferred`.
 *
 * @example
 * ```ts
 * const Settings = cachedSchema("settings", () => z.strictObject({ name: z.string() }));
 * cachedSafeParse(Settings, { name: "iris" }); // { success: true, data: { name: "iris" } }
 * ```
 */
export function cachedSchema<T extends z.core.SomeType>(id: string, build: () => T): z.ZodMiniLazy<T> {
  const schema = deferred(build);
  CACHE_IDS.set(schema, id);
  return schema;
}

/**
 * `z.safeParse(schema, value)`; for a {@link cachedSchema}, answered from the validation cache when this value
 * passed it before (the schema is then not built). Failures are always parsed, so their issues are fresh.
 *
 * @example
 * ```ts
 * const parsed = cachedSafeParse(NodeEntry, entry);
 * if (!parsed.success) report(NodeEntry, parsed.error.issues);
 * ```
 */
export function cachedSafeParse<S extends z.core.$ZodType>(
  schema: S,
  value: unknown,
): z.core.util.SafeParseResult<z.output<S>> {
  const id = CACHE_IDS.get(schema);
  const slot = id === undefined ? undefined : cacheSlot(id, value);
  if (slot?.hit) return { success: true, data: slot.hit.output as z.output<S> };
  // jitless: zod compiles a fast path for an object schema on its first parse, which only pays off over
  // many parses of one schema.
  const parsed = z.safeParse(schema, value, { jitless: true });
  if (parsed.success) slot?.remember(parsed.data);
  return parsed;
}

/**
 * The schema a lazy one ({@link deferred}, {@link cachedSchema}) stands for, built now; any other schema as it
 * is: for reading an object schema's keys.
 *
 * @example
 * ```ts
 * Object.keys(builtSchema(definition.schema).shape ?? {});
 * ```
 */
export function builtSchema(schema: z.core.$ZodType): z.core.$ZodType {
  const zod = schema._zod as { def: { type: string }; innerType?: z.core.$ZodType };
  return zod.def.type === "lazy" ? builtSchema(zod.innerType!) : schema;
}
