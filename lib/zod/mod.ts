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
