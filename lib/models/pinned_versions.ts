/**
 * Whether the npm packages a model's `code/deno.json` pins are the versions this kmlf process gives the
 * model's code, as MLflow warns when a model's requirements do not match the environment loading it: the
 * model's modules import `"zod"`, and the project serving it (or a newer kmlf) may map another version,
 * which can change or break its predictions without a word.
 *
 * The version given is read from where Deno resolves the bare name for code outside kmlf's own folder
 * (a `data:` module has no scope, so it sees the import map's top-level imports, as the model's code
 * does); nothing is downloaded, and a name this process does not map is left to the import itself.
 * `unmetPins` lists what `kmlf models predict|serve` start a process of the model's own for
 * (`lib/cli/model_environment.ts`).
 *
 * @module
 */
import { join } from "../path.ts";
import { readTextFile } from "../file_io.ts";
import { isRecord } from "../is_record.ts";
import { lockedVersion } from "./resolving_lock.ts";

// npm's semver (vendored), by a computed URL: only a pin whose text differs from what this process gives
// needs it (a model kmlf logged pins the very versions kmlf maps).
const semverRange = (): Promise<typeof import("./semver_range.ts")> =>
  import(new URL("./semver_range.ts", import.meta.url).href);

/**
 * The packages a model's `code/deno.json` pins (`{name or "name/": target}`), its local aliases left out;
 * empty for a model without pins (logged by another tool).
 *
 * @example
 * ```ts
 * await modelPins("/tmp/model"); // { zod: "npm:zod@4.6.7", "zod/": "npm:/zod@4.6.7/" }
 * ```
 */
export async function modelPins(dir: string): Promise<Record<string, string>> {
  let config: unknown;
  try {
    config = JSON.parse(await readTextFile(join(dir, "code", "deno.json")));
  } catch {
    return {};
  }
  if (!isRecord(config) || !isRecord(config.imports)) return {};
  return Object.fromEntries(
    Object.entries(config.imports).filter((e): e is [string, string] =>
      typeof e[1] === "string" && /^(npm|jsr|node|https?):/.test(e[1])
    ),
  );
}

/**
 * One sentence per pinned npm package this process does not give the model's code as pinned.
 *
 * @example
 * ```ts
 * await pinnedVersionNotes("/tmp/model");
 * // ['zod: the model was logged with npm:zod@4.6.7, this kmlf gives it zod 3.25.0']
 * ```
 */
export async function pinnedVersionNotes(dir: string): Promise<string[]> {
  const notes: string[] = [];
  for (const [name, target] of Object.entries(await modelPins(dir))) {
    if (name.endsWith("/")) continue;
    const here = await versionHere(name, target);
    if (here?.met === false && here.version !== undefined) {
      notes.push(
        `${name}: the model was logged with ${target}, this kmlf gives it ${here.pkg} ${here.version}`,
      );
    }
  }
  return notes;
}

/**
 * The model's pins this process does not give its code as pinned: a package it does not map, or maps at
 * another version (what `kmlf models predict|serve` restore in a Deno process of the model's own). A range
 * pin (`npm:zod@^4.1.0`) is met by a version in it; a range this process maps is met when its deno.lock
 * resolves it to the pin, or when it is the very range pinned; a range whose version is not known yet is
 * not (Deno may pick another version than the pin's).
 *
 * @example
 * ```ts
 * await unmetPins("/tmp/model"); // ["argparse"] when this kmlf maps no argparse
 * ```
 */
export async function unmetPins(dir: string): Promise<string[]> {
  const unmet: string[] = [];
  for (const [name, target] of Object.entries(await modelPins(dir))) {
    if (name.endsWith("/") || target.startsWith("node:")) continue;
    if (await resolvedHere(name) === undefined) unmet.push(name);
    else if ((await versionHere(name, target))?.met === false) unmet.push(name);
  }
  return unmet;
}

// For an npm pin (`npm:zod@4.6.7`, `npm:zod@^4.1.0`, `npm:zod`): the package, the version this process
// gives `name` (undefined when not known: it maps no such name, or a range no lock resolves yet; not read
// when the pin is met by its text alone) and whether that meets the pin, as npm's semver decides; undefined
// for another kind of target.
async function versionHere(
  name: string,
  target: string,
): Promise<{ pkg: string; version: string | undefined; met: boolean } | undefined> {
  const pin = target.match(/^npm:\/?(@[^@/]+\/[^@/]+|[^@/]+)(?:@([^/]+))?(?:\/.*)?$/);
  if (!pin) return undefined;
  const [, pkg, wanted = ""] = pin;
  const resolved = await resolvedHere(name);
  if (resolved === undefined) return { pkg, version: undefined, met: false };
  if (wanted === "") return { pkg, version: undefined, met: true };
  const escaped = pkg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // A file URL in Deno's npm cache once some module loaded the package, or Deno's lock resolved it at
  // start; before, the map's npm: target: its version, or its range (resolved by the lock, if it has it).
  const url = decodeURIComponent(resolved);
  let version: string | undefined;
  if (url.startsWith("npm:")) {
    const mapped = url.match(new RegExp(`^npm:/?${escaped}(?:@([^/]+))?`))?.[1] ?? "";
    if (mapped === wanted) return { pkg, version: undefined, met: true };
    version = (await semverRange()).exactVersion(mapped) ??
      await lockedVersion(`npm:${pkg}${mapped ? `@${mapped}` : ""}`);
  } else version = url.match(new RegExp(`/${escaped}[/@](\\d+\\.\\d+\\.\\d+[^/]*)/`))?.[1];
  if (version === undefined) return { pkg, version, met: false };
  if (version === wanted) return { pkg, version, met: true };
  return { pkg, version, met: (await semverRange()).satisfiesRange(version, wanted) };
}

// Where Deno resolves `name` for a module outside kmlf's folder, or undefined when it maps no such name.
async function resolvedHere(name: string): Promise<string | undefined> {
  // Spelled in parts: this is the data: module's own import.meta, which tools/build_bundle.ts (looking for
  // kmlf's own uses of it) must leave alone.
  const source = `export default ${["import", "meta"].join(".")}.resolve(${JSON.stringify(name)});`;
  try {
    const mod = await import(`data:text/javascript,${encodeURIComponent(source)}`);
    return String(mod.default);
  } catch {
    return undefined;
  }
}
