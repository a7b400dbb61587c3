/**
 * Whether this kmlf runs from the bundle `deno task bundle` builds (`dist/bundle/`, what `deno task install`
 * and `deno task compile` ship) rather than from its sources. tools/build_bundle.ts sets the value in the
 * bundled copy; in the sources it is always undefined.
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
