// Types of lib/models/_semver.js (npm semver's satisfies and valid, tools/vendor_semver.ts): npm semver ships
// none, so these are its README's, for the two functions the module exports.

/** semver's options: `loose` reads malformed versions, `includePrerelease` lets any prerelease match. */
export interface Options {
  loose?: boolean;
  includePrerelease?: boolean;
}

/** Whether `version` is in `range`; false when either cannot be read. */
export function satisfies(version: string, range: string, options?: Options): boolean;

/** `version` normalized (`v1.2.3` → `1.2.3`), or null when it is not one exact version. */
export function valid(version: string, options?: Options): string | null;
