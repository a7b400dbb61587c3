/**
 * The module graph of an entry as `deno info --json` sees it: what loads with the module (static imports)
 * and what it can reach by dynamic import too. npm modules are named by their package.
 */
import { join } from "node:path";
import assert from "node:assert/strict";
import { REPO } from "./cli_harness.ts";

interface InfoModule {
  specifier: string;
  dependencies?: { specifier: string; isDynamic?: boolean; code?: { specifier?: string } }[];
  npmPackage?: string;
}

/**
 * The modules `entry` (relative to `root`) loads at once (`static`) and may load (`all`), as URLs,
 * `node:` specifiers and npm package names.
 *
 * @example
 * ```ts
 * const { static: atStart } = await moduleGraph("lib/cli/main.ts");
 * ```
 */
export async function moduleGraph(
  entry: string,
  root = REPO,
): Promise<{ static: Set<string>; all: Set<string> }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "--config", join(root, "deno.json"), join(root, entry)],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const info: { roots: string[]; modules: InfoModule[]; redirects: Record<string, string> } = JSON.parse(
    new TextDecoder().decode(out.stdout),
  );
  const byUrl = new Map(info.modules.map((m) => [m.specifier, m]));
  const walk = (includeDynamic: boolean) => {
    const seen = new Set<string>();
    const visit = (url: string) => {
      const resolved = info.redirects[url] ?? url;
      if (seen.has(resolved)) return;
      seen.add(resolved);
      for (const dep of byUrl.get(resolved)?.dependencies ?? []) {
        if (dep.isDynamic && !includeDynamic) continue;
        if (dep.code?.specifier) visit(dep.code.specifier);
      }
    };
    info.roots.forEach(visit);
    return new Set([...seen].map((u) => byUrl.get(u)?.npmPackage ?? u));
  };
  return { static: walk(false), all: walk(true) };
}
