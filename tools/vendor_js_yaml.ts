/**
 * Writes lib/yaml/_js_yaml.js: the js-yaml version deno.json pins, its ES module without the dumper. kmlf
 * reads YAML with js-yaml and writes it with PyYAML's emitter (lib/yaml/pyyaml_dump.ts), but js-yaml's
 * module reaches its dumper through `var dump = dumper.dump`, a property read the bundler must keep (it
 * could be a getter): ~30 KB every command loaded and compiled for nothing, from the sources and the bundle
 * alike. The cut is made at fixed lines of the pinned version's `dist/js-yaml.mjs`; another version whose
 * text differs fails here, naming the line to look at. Types stay npm js-yaml's (`_js_yaml.d.ts`).
 * Run: `deno task vendor-js-yaml` after changing js-yaml's version in deno.json.
 *
 * User code is unaffected: projects import npm js-yaml through their import map as before.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { npmPackage } from "./npm_package.ts";

/** Where the module lives, relative to the repository root. */
export const VENDORED = "lib/yaml/_js_yaml.js";

// The dumper's section: after the loader's `var loader = {…};` through `var dumper = {…};`; then every
// use of `dump` in the module's exports.
const LOADER_END = "\tload: load_1\n};\n";
const DUMPER_END = "var dumper = {\n\tdump: dump_1\n};\n";
const LINES = [
  "var dump                = dumper.dump;\n",
  "var safeDump            = renamed('safeDump', 'dump');\n",
  "\tdump: dump,\n",
  "\tsafeDump: safeDump\n",
];

/**
 * The text of lib/yaml/_js_yaml.js for `root`'s pinned js-yaml: a header, the license, then the package's
 * `dist/js-yaml.mjs` without its dumper (`dump` and `safeDump` are not exported).
 *
 * @example
 * ```ts
 * await Deno.writeTextFile(VENDORED, await loaderOnlyJsYaml("/path/to/kmlf"));
 * ```
 */
export async function loaderOnlyJsYaml(root: string): Promise<string> {
  const { dir, version } = await npmPackage(root, "js-yaml");
  let text = await Deno.readTextFile(join(dir, "dist/js-yaml.mjs"));
  const start = text.indexOf(LOADER_END);
  const end = text.indexOf(DUMPER_END, start);
  if (start < 0 || end < 0) {
    throw new Error(
      `js-yaml ${version}: dist/js-yaml.mjs has no dumper section after ${JSON.stringify(LOADER_END)}`,
    );
  }
  text = text.slice(0, start + LOADER_END.length) + text.slice(end + DUMPER_END.length);
  for (const line of LINES) {
    if (!text.includes(line)) throw new Error(`js-yaml ${version}: dist/js-yaml.mjs has no line ${line}`);
    text = text.replace(line, "");
  }
  // The last export of the default object lost its follower's comma.
  text = text.replace("\tsafeLoadAll: safeLoadAll,\n};", "\tsafeLoadAll: safeLoadAll\n};");
  const exports = /^export \{ ([^}]*) \};$/m;
  const names = text.match(exports)?.[1].split(", ");
  if (!names) throw new Error(`js-yaml ${version}: dist/js-yaml.mjs has no export list`);
  text = text.replace(
    exports,
    `export { ${names.filter((n) => n !== "dump" && n !== "safeDump").join(", ")} };`,
  );
  const license = await Deno.readTextFile(join(dir, "LICENSE"));
  return `// @ts-self-types="./_js_yaml.d.ts"\n` +
    `// js-yaml ${version} without its dumper, written by \`deno task vendor-js-yaml\` ` +
    `(tools/vendor_js_yaml.ts): do not edit.\n//\n` +
    license.trim().split("\n").map((l) => `// ${l}`.trimEnd()).join("\n") + "\n\n" + text;
}

if (import.meta.main) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  await Deno.writeTextFile(join(root, VENDORED), await loaderOnlyJsYaml(root));
  console.log(`wrote ${VENDORED}`);
}
