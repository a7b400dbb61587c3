/** kmlf's copy of commander (lib/cli/_commander) is the pinned npm package plus the one documented change. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { commanderPackageDir, VENDOR_DIR, vendoredFiles } from "../../tools/vendor_commander.ts";
import { REPO } from "../cli_harness.ts";

Deno.test("lib/cli/_commander is deno.json's commander importing no Node built-in", async () => {
  const expected = await vendoredFiles(await commanderPackageDir(REPO));
  for (const [file, text] of Object.entries(expected)) {
    assert.equal(
      await Deno.readTextFile(join(REPO, VENDOR_DIR, file)),
      text,
      `${VENDOR_DIR}/${file} differs from the package: run \`deno task vendor-commander\``,
    );
  }
  for (const [file, text] of Object.entries(expected)) {
    if (file.endsWith(".js")) assert.doesNotMatch(text, /^import .* from 'node:/m, file);
  }
});

Deno.test("the copy's lazy node:fs still answers commander's executable-subcommand check", async () => {
  const { Command } = await import("../../lib/cli/_commander/index.js");
  const program = new Command("x").exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  // Before spawning an executable subcommand commander checks the file exists (fs.existsSync).
  const check = (program as unknown as {
    _checkForMissingExecutable(file: string, dir: string | undefined, name: string): void;
  })._checkForMissingExecutable.bind(program);
  assert.throws(() => check("/no/such/kmlf-tool", undefined, "tool"), /kmlf-tool/);
  check(Deno.execPath(), undefined, "deno"); // exists: no error
});
