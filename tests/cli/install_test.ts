/** `deno task install`'s arguments, and one set of run flags for every way kmlf starts. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { KMLF_RUN_FLAGS } from "../../lib/cli/project_runtime.ts";
import { binDir, BUNDLE_DIR, installCommand, parseInstallArgs } from "../../tools/install.ts";
import { REPO } from "../cli_harness.ts";

Deno.test("install arguments: --root DIR, --root=DIR, --uninstall; anything else is refused", () => {
  assert.deepEqual(parseInstallArgs([]), { uninstall: false });
  assert.deepEqual(parseInstallArgs(["--root", "/tmp/r"]), { uninstall: false, root: "/tmp/r" });
  assert.deepEqual(parseInstallArgs(["--uninstall", "--root=/tmp/r"]), { uninstall: true, root: "/tmp/r" });
  assert.deepEqual(parseInstallArgs(["--sources"]), { uninstall: false, sources: true });
  assert.throws(
    () => parseInstallArgs(["--prefix", "/x"]),
    /Unknown argument "--prefix": use --root DIR, --sources and\/or --uninstall/,
  );
  assert.equal(binDir("/tmp/r"), "/tmp/r/bin");
});

Deno.test("deno install -g gets the bundle (or with --sources cli.ts), its config and the flags the kmlf, demo and compile tasks use", async () => {
  const args = installCommand({ uninstall: false, root: "/tmp/r" });
  assert.deepEqual(args.slice(0, 5), ["install", "-g", "-f", "-n", "kmlf"]);
  assert.deepEqual(args.slice(-3), ["--config", join(BUNDLE_DIR, "deno.json"), join(BUNDLE_DIR, "cli.js")]);
  assert.equal(BUNDLE_DIR, join(REPO, "dist", "bundle"));
  for (const flag of KMLF_RUN_FLAGS) assert.ok(args.includes(flag), flag);
  const sources = installCommand({ uninstall: false, sources: true });
  assert.deepEqual(sources.slice(-3), ["--config", join(REPO, "deno.json"), join(REPO, "cli.ts")]);
  for (const flag of KMLF_RUN_FLAGS) assert.ok(sources.includes(flag), flag);
  const tasks = JSON.parse(await Deno.readTextFile(join(REPO, "deno.json"))).tasks;
  for (const name of ["kmlf", "demo", "compile"]) {
    for (const flag of KMLF_RUN_FLAGS) assert.ok(tasks[name].split(" ").includes(flag), `${name}: ${flag}`);
  }
  assert.match(
    tasks.compile,
    /--include dist\/bundle /,
    'the binary carries the bundle with its mod.js, so project code can import "kmlf"',
  );
});
