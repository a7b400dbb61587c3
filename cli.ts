/**
 * kmlf command-line entry point. `--version` answers without loading anything else; a command that
 * loads project code first moves into the project's own Deno configuration (lib/cli/project_runtime.ts).
 *
 * The command tree is imported by a computed URL, not a string literal: Deno reads (and resolves the npm
 * packages of) every module a literal `import()` reaches before the entry runs, which cost `--version`
 * about 15 ms. It is an entry point of the bundle `deno task compile` embeds (tests/cli/compiled_workers_test.ts).
 *
 * @module
 */
// Commands that never load project code (project_runtime.ts's PLAIN_COMMANDS; a test keeps the two
// equal) skip the project check when they come first: its module graph is one more import before
// main.ts, ~1 ms of `kmlf server`'s start → first /health (bench/README.md).
const PLAIN_COMMANDS = ["new", "server", "completion", "help", "pipeline"];

if (Deno.args.length === 1 && (Deno.args[0] === "--version" || Deno.args[0] === "-V")) {
  const { KMLF_VERSION } = await import("./lib/version.ts");
  console.log(KMLF_VERSION);
} else {
  if (!PLAIN_COMMANDS.includes(Deno.args[0])) {
    const { relaunchInProject, watchLauncher } = await import("./lib/cli/project_runtime.ts");
    const code = await relaunchInProject(Deno.args);
    if (code !== undefined) Deno.exit(code);
    watchLauncher();
  }
  const { main }: typeof import("./lib/cli/main.ts") = await import(
    new URL("./lib/cli/main.ts", import.meta.url).href
  );
  Deno.exit(await main(Deno.args));
}
