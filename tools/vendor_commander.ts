/**
 * Copies the npm package commander (the version deno.json pins) into lib/cli/_commander/ with one change:
 * it imports no Node built-in module. `node:process`, `node:fs`, `node:child_process`, `node:path` and
 * `node:util` load on first use instead of with the module: parsing arguments needs none of them
 * (executable subcommands, which kmlf has none of, use fs, child_process and path; help and error output
 * use process and util). `node:events` is replaced by a small emitter with the three methods commander
 * calls (lib/event_emitter.js, written here). Importing any Node built-in starts Deno's Node
 * compatibility layer, which costs a command 10–20 ms before its first line runs. Everything else is
 * commander's own file, byte for byte; tests/cli/commander_vendor_test.ts fails when the copy drifts
 * from the pinned package.
 * Run: `deno task vendor-commander` after changing commander's version in deno.json.
 *
 * kmlf's own modules import the copy; projects still get npm commander through kmlf's import map.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { npmPackage } from "./npm_package.ts";

/** Where the copy lives, relative to the repository root. */
export const VENDOR_DIR = "lib/cli/_commander";

/** The package files kmlf needs (the entry, its modules, the type definitions, the license). */
const FILES = [
  "index.js",
  "lib/argument.js",
  "lib/command.js",
  "lib/error.js",
  "lib/help.js",
  "lib/option.js",
  "lib/suggestSimilar.js",
  "typings/index.d.ts",
  "LICENSE",
];

const EAGER_IMPORTS = "import childProcess from 'node:child_process';\nimport path from 'node:path';\n" +
  "import fs from 'node:fs';\nimport process from 'node:process';\n";
const LAZY_IMPORTS =
  "// kmlf: node:process, node:child_process, node:fs and node:path load on first use, not with this\n" +
  "// module (parsing arguments needs none of them); see kmlf's tools/vendor_commander.ts.\n" +
  "const lazy = (load) =>\n" +
  "  new Proxy({}, {\n" +
  "    get: (_, key) => {\n" +
  "      const target = load();\n" +
  "      const value = target[key];\n" +
  "      return typeof value === 'function' ? value.bind(target) : value;\n" +
  "    },\n" +
  "  });\n" +
  "const process = lazy(() => globalThis.process);\n" +
  "const childProcess = lazy(() => globalThis.process.getBuiltinModule('node:child_process'));\n" +
  "const fs = lazy(() => globalThis.process.getBuiltinModule('node:fs'));\n" +
  "const path = lazy(() => globalThis.process.getBuiltinModule('node:path'));\n";
const NODE_EVENTS = "import { EventEmitter } from 'node:events';\n";
const OWN_EVENTS =
  "// kmlf: commander's events without node:events; see kmlf's tools/vendor_commander.ts.\n" +
  "import { EventEmitter } from './event_emitter.js';\n";
/** The emitter commander's Command extends: on, emit and listenerCount, as node:events has them. */
const EVENT_EMITTER =
  `// kmlf: the part of node:events commander uses (Command extends it), so that parsing arguments loads
// no Node built-in module; written by kmlf's tools/vendor_commander.ts.
export class EventEmitter {
  #listeners = new Map();

  on(event, listener) {
    const list = this.#listeners.get(event);
    if (list) list.push(listener);
    else this.#listeners.set(event, [listener]);
    return this;
  }

  emit(event, ...args) {
    const list = this.#listeners.get(event);
    if (!list || list.length === 0) return false;
    for (const listener of [...list]) listener.apply(this, args);
    return true;
  }

  listenerCount(event) {
    return this.#listeners.get(event)?.length ?? 0;
  }
}
`;
const EAGER_UTIL = "import { stripVTControlCharacters } from 'node:util';\n";
const LAZY_UTIL = "// kmlf: node:util loads on first use (help output), not with this module.\n" +
  "const stripVTControlCharacters = (str) =>\n" +
  "  globalThis.process.getBuiltinModule('node:util').stripVTControlCharacters(str);\n";
const TYPES_HEADER = '// @ts-self-types="./typings/index.d.ts"\n';

/**
 * The vendored files (path → text) made from an installed commander package folder.
 *
 * @example
 * ```ts
 * const files = await vendoredFiles(await commanderPackageDir(root));
 * ```
 */
export async function vendoredFiles(packageDir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const file of FILES) {
    let text = await Deno.readTextFile(join(packageDir, file));
    if (file === "index.js") text = TYPES_HEADER + text;
    if (file === "lib/command.js") {
      text = rewrite(rewrite(text, file, EAGER_IMPORTS, LAZY_IMPORTS), file, NODE_EVENTS, OWN_EVENTS);
    }
    if (file === "lib/command.js" || file === "lib/help.js") {
      text = rewrite(text, file, EAGER_UTIL, LAZY_UTIL);
    }
    files[file] = text;
  }
  files["lib/event_emitter.js"] = EVENT_EMITTER;
  return files;
}

function rewrite(text: string, file: string, from: string, to: string): string {
  if (!text.includes(from)) {
    throw new Error(
      `commander's ${file} no longer has the import tools/vendor_commander.ts rewrites (${from.trim()}): ` +
        "update the rewrites for this version",
    );
  }
  return text.replace(from, to);
}

/**
 * The installed folder of the commander version deno.json pins (downloaded into Deno's cache if needed).
 *
 * @example
 * ```ts
 * await commanderPackageDir("/path/to/kmlf"); // "/home/me/.cache/deno/npm/registry.npmjs.org/commander/15.1.0"
 * ```
 */
export async function commanderPackageDir(root: string): Promise<string> {
  return (await npmPackage(root, "commander")).dir;
}

if (import.meta.main) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const files = await vendoredFiles(await commanderPackageDir(root));
  await Deno.remove(join(root, VENDOR_DIR), { recursive: true }).catch(() => {});
  for (const [file, text] of Object.entries(files)) {
    const target = join(root, VENDOR_DIR, file);
    await Deno.mkdir(dirname(target), { recursive: true });
    await Deno.writeTextFile(target, text);
  }
  console.log(`wrote ${Object.keys(files).length} files to ${VENDOR_DIR}`);
}
