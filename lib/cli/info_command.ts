/** `kmlf info`: versions, runtime, project, plugins and what user node modules may import. */
import { findProjectRoot, loadProjectSettings } from "../config/mod.ts";
import { importPlugins, pluginRegistry } from "../session/mod.ts";
import { KMLF_VERSION } from "../version.ts";
import { EXIT } from "./exit_codes.ts";
import { builtinPlugins } from "./plugins.ts";
import { isCompiledBinary, kmlfRoot } from "./project_runtime.ts";
import { BUNDLED_FROM } from "./bundle_info.ts";
import { out, style } from "./terminal.ts";
import denoJson from "../../deno.json" with { type: "json" };

/**
 * Prints kmlf information.
 *
 * @example
 * ```ts
 * await infoCommand({});
 * ```
 */
export async function infoCommand(globals: { project?: string }): Promise<number> {
  out(style.bold(`kmlf ${KMLF_VERSION}`));
  out(`runtime: deno ${Deno.version.deno} (v8 ${Deno.version.v8}, typescript ${Deno.version.typescript})`);
  out(`runs from: ${runsFrom()}`);
  const root = findProjectRoot(globals.project ?? Deno.cwd());
  const plugins = builtinPlugins();
  if (root) {
    const settings = await loadProjectSettings(root);
    out(`project: ${settings.name} (${root}), default env ${settings.defaultEnv}`);
    const taken = plugins.map((p) => p.name);
    plugins.push(
      ...await importPlugins(settings.plugins, { kmlfVersion: KMLF_VERSION, projectRoot: root, taken }),
    );
  } else out("project: none found (create one with `kmlf new <dir>`)");
  out(`plugins: ${plugins.map((p) => p.name).join(", ") || "(none)"}`);
  const registry = pluginRegistry(plugins);
  out(`dataset types: ${registry.typeNames().join(", ")}`);
  const shipped = Object.keys(denoJson.imports).filter((name) => name !== "kmlf");
  out(`npm packages kmlf ships (importable by project code): ${shipped.join(", ")}`);
  out(
    isCompiledBinary()
      ? "project dependencies: only the packages above (this is a compiled binary)"
      : "project dependencies: what the project's deno.json imports maps (`deno add npm:<package>`), locked in its deno.lock",
  );
  return EXIT.ok;
}

// Sources, the bundle `deno task install` built (edits need a new install), or a compiled binary.
function runsFrom(): string {
  if (isCompiledBinary()) return `a compiled binary (${Deno.execPath()})`;
  const root = decodeURIComponent(kmlfRoot()!.pathname);
  if (!BUNDLED_FROM) return `the sources in ${root}`;
  const sources = decodeURIComponent(new URL(BUNDLED_FROM).pathname);
  return `the bundle in ${root}, built from ${sources} (run deno task install there again after editing or pulling)`;
}
