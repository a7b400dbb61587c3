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
export { z } from "./_bundle.js";
