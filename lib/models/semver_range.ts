/**
 * Whether a version is in an npm version range (`^4.1.0`, `~1.2`, `>=2 <3`, `1.x || 2.x`, `1.2 - 1.4`), as
 * npm and Deno read one: a model's code/deno.json may pin a range (`deno add` writes `npm:zod@^4.1.0`), met
 * by whichever version in it this kmlf gives the model's code. The reading is npm's own semver package (the
 * version deno.json pins), bundled into `_semver.js` by `deno task vendor-semver` (tools/vendor_semver.ts):
 * npm semver is CommonJS, which would start Deno's Node layer. `pinned_versions.ts` loads this module only
 * when a pin and the version here differ in text.
 *
 * @module
 */
import { satisfies, valid } from "./_semver.js";

/**
 * Whether `version` (exact, `4.6.7`) is in `range`, as npm decides; false when either cannot be read (a
 * dist-tag such as `latest`, `1.x.3`), so a pin kmlf cannot read counts as one this process does not meet.
 *
 * @example
 * ```ts
 * satisfiesRange("4.6.7", "^4.1.0"); // true
 * satisfiesRange("3.25.0", "^4.1.0"); // false
 * satisfiesRange("1.9.0-beta.1", "^1.2.0"); // false: a prerelease only where the range names one on 1.9.0
 * ```
 */
export function satisfiesRange(version: string, range: string): boolean {
  return satisfies(version, range);
}

/**
 * `text` as one exact version (`v4.6.7` → `4.6.7`, `1.0.0-rc.1`), or undefined for a range or anything
 * else npm does not read as a version.
 *
 * @example
 * ```ts
 * exactVersion("4.6.7"); // "4.6.7"
 * exactVersion("^4.6.7"); // undefined
 * ```
 */
export function exactVersion(text: string): string | undefined {
  return valid(text) ?? undefined;
}
