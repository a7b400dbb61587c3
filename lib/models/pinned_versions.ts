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
 * One sentence per pinned npm package whose version here differs from the model's pin.
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
    if (here?.version !== undefined && here.version !== here.pinned) {
      notes.push(
        `${name}: the model was logged with ${target}, this kmlf gives it ${here.pkg} ${here.version}`,
      );
    }
  }
  return notes;
}

/**
 * The model's pins this process does not give its code as pinned: a package it does not map, or maps at
 * another version (what `kmlf models predict|serve` restore in a Deno process of the model's own).
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
    else {
      const here = await versionHere(name, target);
      if (here?.version !== undefined && here.version !== here.pinned) unmet.push(name);
    }
  }
  return unmet;
}

// For an exact npm pin: the package, the pinned version and the version this process resolves `name` to
// (undefined when it does not map it); undefined for a range (npm:zod@^4 says which versions the model
// takes, not one) or another kind of target.
async function versionHere(
  name: string,
  target: string,
): Promise<{ pkg: string; pinned: string; version: string | undefined } | undefined> {
  const pin = target.match(/^npm:(@?[^@/]+(?:\/[^@/]+)?)@(\d+\.\d+\.\d+(?:[-+][^/]*)?)(?:\/.*)?$/);
  if (!pin) return undefined;
  const [, pkg, pinned] = pin;
  const resolved = await resolvedHere(name);
  if (resolved === undefined) return { pkg, pinned, version: undefined };
  const escaped = pkg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // A file URL in Deno's npm cache once some module loaded the package; before, the map's npm: target
  // (its version, or its range: "^4" is not the pinned version either).
  const url = decodeURIComponent(resolved);
  const version = url.startsWith("npm:")
    ? url.match(new RegExp(`^npm:/?${escaped}@([^/]+)`))?.[1]
    : url.match(new RegExp(`/${escaped}[/@](\\d+\\.\\d+\\.\\d+[^/]*)/`))?.[1];
  return { pkg, pinned, version };
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
