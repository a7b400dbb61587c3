/**
 * Writes lib/zod/_bundle.js: the zod version deno.json pins, its `zod/mini` API bundled (`deno bundle`,
 * tree-shaken) down to the functions kmlf's code calls. Importing npm zod makes Deno read ~95 modules, among
 * them 64 locales a `z` namespace re-exports, and costs every command that validates a file ~15 ms
 * (bench/README.md); the bundle is one module (74 KB; the classic API's was 203 KB and built schemas ~3x
 * slower) and registers zod's English messages, as the classic API does. The list of functions comes from
 * scanning lib/ for `z.<name>(`, so a new one fails tests/zod_vendor_test.ts until this task runs again;
 * types still come from the npm package (`_bundle.d.ts`).
 * Run: `deno task vendor-zod` after using a new zod builder or changing zod's version in deno.json.
 *
 * User code is unaffected: projects import npm zod through their import map as before.
 */
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleEntry, npmPackage } from "./npm_package.ts";

/** Where the bundle lives, relative to the repository root. */
export const BUNDLE = "lib/zod/_bundle.js";

// Aliases for builders whose names are reserved words in an import list.
const RESERVED = new Set(["enum", "null", "undefined", "void", "function"]);

/**
 * The zod builders kmlf's modules call as `z.<name>(…)`, sorted (lib/zod/mod.ts's helpers among them).
 *
 * @example
 * ```ts
 * await usedBuilders("/path/to/kmlf"); // ["array", "boolean", "enum", …]
 * ```
 */
export async function usedBuilders(root: string): Promise<string[]> {
  const names = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory && !entry.name.startsWith("_")) {
        await walk(path);
      } else if (entry.isFile && entry.name.endsWith(".ts")) {
        for (const m of (await Deno.readTextFile(path)).matchAll(/\bz\.(\w+)\s*\(/g)) names.add(m[1]);
      }
    }
  };
  await walk(join(root, "lib"));
  return [...names].sort();
}

/**
 * The text of lib/zod/_bundle.js for `root`'s sources and pinned zod: a license header, then `deno
 * bundle`'s output with Deno's cache paths cut down to `zod/<version>/…` (so it does not depend on where
 * the cache is).
 *
 * @example
 * ```ts
 * await Deno.writeTextFile(BUNDLE, await bundledZod("/path/to/kmlf"));
 * ```
 */
export async function bundledZod(root: string): Promise<string> {
  const builders = await usedBuilders(root);
  const local = (name: string) => (RESERVED.has(name) ? `${name}_` : name);
  // zod/mini registers no locale by itself: English, as npm zod's classic API sets on its first schema.
  const entry =
    `import { config, ${builders.map((b) => (RESERVED.has(b) ? `${b} as ${local(b)}` : b)).join(", ")} } ` +
    `from "zod/mini";\nimport en from "zod/v4/locales/en.js";\nconfig(en());\n` +
    `export const z = Object.freeze({ ${
      builders.map((b) => (RESERVED.has(b) ? `${b}: ${local(b)}` : b)).join(", ")
    } });\n`;
  const bundle = await bundleEntry(root, entry);
  const { version, license } = await zodPackage(root);
  const body = bundle.replace(/^\/\/ \S*\/(zod\/[^/\s]+\/)/gm, "// $1")
    .replace(/^\/\/ (\S*)entry\.js$/m, `// ${relative(root, join(root, "tools/vendor_zod.ts"))} (entry)`);
  return `// @ts-self-types="./_bundle.d.ts"\n` +
    `// zod ${version}, bundled by \`deno task vendor-zod\` (tools/vendor_zod.ts): do not edit.\n` +
    `// Builders: ${builders.join(", ")}.\n//\n` +
    license.trim().split("\n").map((l) => `// ${l}`.trimEnd()).join("\n") + "\n\n" + body;
}

async function zodPackage(root: string): Promise<{ version: string; license: string }> {
  const { dir, version } = await npmPackage(root, "zod");
  return { version, license: await Deno.readTextFile(join(dir, "LICENSE")) };
}

if (import.meta.main) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  await Deno.writeTextFile(join(root, BUNDLE), await bundledZod(root));
  console.log(`wrote ${BUNDLE} (${(await usedBuilders(root)).join(", ")})`);
}
