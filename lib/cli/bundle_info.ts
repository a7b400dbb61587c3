/**
 * Whether this kmlf runs from the bundle `deno task bundle` builds (`dist/bundle/`, what `deno task install`
 * and `deno task compile` ship) rather than from its sources, and which build it is. tools/build_bundle.ts
 * sets the values in the bundled copy; in the sources they are always undefined.
 *
 * @module
 */

/**
 * The source checkout a bundled kmlf was built from (a `file:` URL ending in `/`), or undefined when
 * kmlf runs from its sources.
 *
 * @example
 * ```ts
 * const entry = BUNDLED_FROM ? "cli.js" : "cli.ts";
 * ```
 */
export const BUNDLED_FROM: string | undefined = undefined;

/**
 * A fingerprint of the sources a bundled kmlf was built from (SHA-256), or undefined from the sources. It
 * keys the validation cache (lib/validation_cache.ts): a value validated by one build is not taken as
 * valid by another.
 *
 * @example
 * ```ts
 * useValidationCache(join(root, ".kmlf", "cache"), BUILD_ID);
 * ```
 */
export const BUILD_ID: string | undefined = undefined;
