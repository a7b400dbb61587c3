/**
 * The deno.lock this kmlf process resolves npm ranges with: the project's, in a kmlf restarted inside its
 * project (`KMLF_PROJECT_RUNTIME` names the project folder), else the one of kmlf's own configuration
 * (beside the `cli.ts` / `cli.js` that started). A range the process maps (`npm:zod@^4.1.0`) is a version
 * only once Deno resolved it: the lock's `specifiers` say which.
 *
 * @module
 */
import { dirname, fileURLToPath, isAbsolute, join, resolve } from "../path.ts";
import { readTextFile } from "../file_io.ts";
import { isRecord } from "../is_record.ts";
import { parseJsonc } from "../deno_config_file.ts";

/**
 * The version the resolving deno.lock gives `specifier` (`npm:zod@^4.1.0` → `4.6.7`), or undefined (no
 * lock, no such entry). `configDir` is the folder of the Deno configuration the process runs with.
 *
 * @example
 * ```ts
 * await lockedVersion("npm:zod@^4.1.0"); // "4.6.7"
 * ```
 */
export async function lockedVersion(
  specifier: string,
  configDir: string | undefined = configFolder(),
): Promise<string | undefined> {
  if (configDir === undefined) return undefined;
  const lock = await lockPath(configDir);
  if (lock === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(await readTextFile(lock));
    const entry = isRecord(parsed) && isRecord(parsed.specifiers) ? parsed.specifiers[specifier] : undefined;
    // "4.6.7_peer@1.0.0": the version, then the peer dependencies it was resolved with.
    return typeof entry === "string" ? entry.replace(/_.*$/, "") : undefined;
  } catch {
    return undefined;
  }
}

// The configuration's lock file: `lock` in deno.json (a path, `{ path }`, or false for none), else deno.lock.
async function lockPath(configDir: string): Promise<string | undefined> {
  for (const name of ["deno.json", "deno.jsonc"]) {
    let text: string;
    try {
      text = await readTextFile(join(configDir, name));
    } catch {
      continue;
    }
    let lock: unknown;
    try {
      const config = parseJsonc(text);
      lock = isRecord(config) ? config.lock : undefined;
    } catch { /* a file Deno cannot read either: the default */ }
    if (lock === false) return undefined;
    const path = typeof lock === "string"
      ? lock
      : isRecord(lock) && typeof lock.path === "string"
      ? lock.path
      : undefined;
    if (path !== undefined) return resolve(configDir, path);
    break;
  }
  return join(configDir, "deno.lock");
}

function configFolder(): string | undefined {
  const project = Deno.env.get("KMLF_PROJECT_RUNTIME");
  if (project && isAbsolute(project)) return project;
  try {
    return Deno.mainModule.startsWith("file:") ? dirname(fileURLToPath(Deno.mainModule)) : undefined;
  } catch {
    return undefined;
  }
}
