/**
 * Writes lib/models/_semver.js: the npm semver version deno.json pins (npm's own reader of version ranges,
 * which Deno's npm resolution follows), its `satisfies` and `valid` bundled (`deno bundle`) into one ES
 * module with only the modules they need (ranges, comparators, versions). semver is CommonJS, and importing
 * an npm CommonJS module starts Deno's Node compatibility layer (10–20 ms) — on `kmlf models predict|serve`'s
 * path, where a model pins a version range. One change: semver's debug logger reads `process.env.NODE_DEBUG`
 * when it loads, and the `process` global costs ~15 ms in Deno, so it is a no-op here. Its types are
 * `_semver.d.ts` (npm semver ships none). tests/semver_vendor_test.ts fails when the module drifts
 * from the pinned package.
 * Run: `deno task vendor-semver` after changing semver's version in deno.json.
 *
 * semver is pinned in deno.json's `scopes["./tools/"]`, not its `imports`: project code gets no semver
 * through kmlf's import map (`kmlf info` lists what it does get).
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleEntry, npmPackage, npmSpecifier } from "./npm_package.ts";

/** Where the module lives, relative to the repository root. */
export const VENDORED = "lib/models/_semver.js";

// semver's internal/debug.js as deno bundle writes it, and what it becomes.
const DEBUG =
  'var debug = typeof process === "object" && process.env && process.env.NODE_DEBUG && /\\bsemver\\b/i.test(process.env.NODE_DEBUG) ? (...args) => console.error("SEMVER", ...args) : () => {\n    };\n';
const NO_DEBUG =
  "// kmlf: no NODE_DEBUG logging, which reads the process global (~15 ms in Deno); see tools/vendor_semver.ts.\n" +
  "    var debug = () => {\n    };\n";

/**
 * The text of lib/models/_semver.js for `root`'s pinned semver: a header, the license, then `deno bundle`'s
 * output with Deno's cache paths cut down to `semver/<version>/…` and the debug logger a no-op.
 *
 * @example
 * ```ts
 * await Deno.writeTextFile(VENDORED, await bundledSemver("/path/to/kmlf"));
 * ```
 */
export async function bundledSemver(root: string): Promise<string> {
  const specifier = await npmSpecifier(root, "semver");
  const { dir, version } = await npmPackage(root, "semver");
  const entry = `import satisfies from "${specifier}/functions/satisfies.js";\n` +
    `import valid from "${specifier}/functions/valid.js";\nexport { satisfies, valid };\n`;
  let body = await bundleEntry(root, entry);
  const at = `semver/${version}/`;
  body = body.replaceAll(new RegExp(`[^\\s"]*/${at.replaceAll(".", "\\.")}`, "g"), at)
    .replace(/^\/\/ (\S*)entry\.js$/m, "// tools/vendor_semver.ts (entry)");
  if (!body.includes(DEBUG)) {
    throw new Error(
      `semver ${version}: the bundle has no debug logger ${JSON.stringify(DEBUG)} to replace`,
    );
  }
  body = body.replace(DEBUG, NO_DEBUG);
  for (const left of [/\bprocess\b/, /\brequire\(/, /^import /m]) {
    const line = body.split("\n").find((l) => !l.trim().startsWith("//") && left.test(l));
    if (line) throw new Error(`semver ${version}: the bundle still reads ${left}: ${line.trim()}`);
  }
  const license = await Deno.readTextFile(join(dir, "LICENSE"));
  return `// @ts-self-types="./_semver.d.ts"\n` +
    `// semver ${version}'s satisfies and valid, bundled by \`deno task vendor-semver\` ` +
    `(tools/vendor_semver.ts): do not edit.\n//\n` +
    license.trim().split("\n").map((l) => `// ${l}`.trimEnd()).join("\n") + "\n\n" + body;
}

/** What tests/semver_vendor_test.ts compares the bundle with. */
export interface SemverApi {
  satisfies(version: string, range: string): boolean;
  valid(version: string): string | null;
}

/**
 * npm semver itself, the pinned CommonJS package (deno.json's `scopes["./tools/"]`), to compare the bundle
 * against.
 *
 * @example
 * ```ts
 * (await npmSemver()).satisfies("4.6.7", "^4.1.0"); // true
 * ```
 */
export async function npmSemver(): Promise<SemverApi> {
  return (await import("semver")).default;
}

if (import.meta.main) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  await Deno.writeTextFile(join(root, VENDORED), await bundledSemver(root));
  console.log(`wrote ${VENDORED}`);
}
