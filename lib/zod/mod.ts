/**
 * zod for kmlf's own modules: the pinned npm package bundled into one module with only the builders kmlf
 * calls (`deno task vendor-zod`, tools/vendor_zod.ts), because npm zod's ~95 modules cost every command
 * that validates a file ~15 ms to load. Types are npm zod's. Projects keep importing npm zod.
 *
 * @example
 * ```ts
 * // in lib/config/project.ts, which imports { z } from this module:
 * const Settings = z.strictObject({ name: z.string() });
 * ```
 *
 * @module
 */
export { z } from "./_bundle.js";
