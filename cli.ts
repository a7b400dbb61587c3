/**
 * kmlf command-line entry point. `--version` answers without loading anything else; a command that
 * loads project code first moves into the project's own Deno configuration (lib/cli/project_runtime.ts).
 *
 * @module
 */
if (Deno.args.length === 1 && (Deno.args[0] === "--version" || Deno.args[0] === "-V")) {
  const { KMLF_VERSION } = await import("./lib/version.ts");
  console.log(KMLF_VERSION);
} else {
  const { relaunchInProject, watchLauncher } = await import("./lib/cli/project_runtime.ts");
  const code = await relaunchInProject(Deno.args);
  if (code !== undefined) Deno.exit(code);
  watchLauncher();
  const { main } = await import("./lib/cli/main.ts");
  Deno.exit(await main(Deno.args));
}
