/**
 * kmlf command-line entry point. `--version` answers without loading anything else.
 *
 * @module
 */
if (Deno.args.length === 1 && (Deno.args[0] === "--version" || Deno.args[0] === "-V")) {
  const { KMLF_VERSION } = await import("./lib/version.ts");
  console.log(KMLF_VERSION);
} else {
  const { main } = await import("./lib/cli/main.ts");
  Deno.exit(await main(Deno.args));
}
