/**
 * zod for kmlf's own modules: the pinned npm package's `zod/mini` API bundled into one module with only the
 * functions kmlf calls (`deno task vendor-zod`, tools/vendor_zod.ts), because npm zod's ~95 modules cost
 * every command that validates a file ~15 ms to load, and the classic API's schemas (each carries ~50 bound
 * methods) take ~3x as long to build. Same validation and English messages as classic zod; types are npm
 * zod/mini's. Projects keep importing npm zod. Modules on a run's path import lib/zod/on_demand.ts instead,
 * which loads this module only when a value is not in the validation cache.
 *
 * @example
 * ```ts
 * // in lib/catalog/yaml_type.ts, which imports { z } from this module:
 * const Args = z.strictObject({ indent: z.optional(z.int().check(z.gte(1))) });
 * ```
 *
 * @module
 */
import { z } from "./_bundle.js";
import { deferredIn } from "./on_demand.ts";

export { z };
export { builtSchema, cachedSafeParse } from "./on_demand.ts";

/**
 * A schema built the first time a value reaches it (lib/zod/on_demand.ts's `deferredIn`, with this `z`).
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
  return deferredIn(z, build);
}
