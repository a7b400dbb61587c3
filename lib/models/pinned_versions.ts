/**
 * Whether the npm packages a model's `code/deno.json` pins are the versions this kmlf process gives the
 * model's code, as MLflow warns when a model's requirements do not match the environment loading it: the
 * model's modules import `"zod"`, and the project serving it (or a newer kmlf) may map another version,
 * which can change or break its predictions without a word.
 *
 * The version given is read from where Deno resolves the bare name for code outside kmlf's own folder
 * (a `data:` module has no scope, so it sees the import map's top-level imports, as the model's code
 * does); nothing is downloaded, and a name this process does not map is left to the import itself.
 *
 * @module
 */
import { join } from "../path.ts";
import { readTextFile } from "../file_io.ts";
import { isRecord } from "../is_record.ts";

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
  let imports: Record<string, unknown>;
  try {
    const config = JSON.parse(await readTextFile(join(dir, "code", "deno.json")));
    if (!isRecord(config) || !isRecord(config.imports)) return [];
    imports = config.imports;
  } catch {
    return []; // A model without pins (logged by another tool): nothing to compare.
  }
  const notes: string[] = [];
  for (const [name, target] of Object.entries(imports)) {
    if (typeof target !== "string" || name.endsWith("/")) continue;
    // An exact version only: a range (npm:zod@^4) says which versions the model takes, not one.
    const pin = target.match(/^npm:(@?[^@/]+(?:\/[^@/]+)?)@(\d+\.\d+\.\d+(?:[-+][^/]*)?)(?:\/.*)?$/);
    if (!pin) continue;
    const [, pkg, version] = pin;
    const resolved = await resolvedHere(name);
    if (resolved === undefined) continue;
    const escaped = pkg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const here = decodeURIComponent(resolved).match(new RegExp(`/${escaped}[/@](\\d+\\.\\d+\\.\\d+[^/]*)/`))
      ?.[1];
    if (here !== undefined && here !== version) {
      notes.push(`${name}: the model was logged with ${target}, this kmlf gives it ${pkg} ${here}`);
    }
  }
  return notes;
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
