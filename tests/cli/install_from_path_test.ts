/**
 * `deno task install` end to end, as a new user does it, in temp folders only (never ~/.deno): from a
 * checkout in a folder with a space and a non-ASCII name, the installed command answers `--version`,
 * creates and runs a project elsewhere, installs again over itself (an upgrade), and uninstalls.
 */
import assert from "node:assert/strict";
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { REPO } from "../cli_harness.ts";

async function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  const o = await new Deno.Command(cmd, {
    args,
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const dec = new TextDecoder();
  return { code: o.code, out: dec.decode(o.stdout) + dec.decode(o.stderr) };
}

Deno.test("deno task install from a checkout in 'my kmlf ü': the command runs, upgrades in place, uninstalls", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "kmlf-test-install-" });
  try {
    const checkout = join(tmp, "my kmlf ü");
    await Deno.mkdir(checkout);
    for (const name of ["cli.ts", "mod.ts", "deno.json", "deno.lock"]) {
      await Deno.copyFile(join(REPO, name), join(checkout, name));
    }
    for (const dir of ["lib", "tools"]) await cp(join(REPO, dir), join(checkout, dir), { recursive: true });
    const root = join(tmp, "root");
    const install = () =>
      run(Deno.execPath(), ["run", "--allow-all", "tools/install.ts", "--root", root], checkout);
    const first = await install();
    assert.equal(first.code, 0, first.out);
    const bin = join(root, "bin", "kmlf");
    const version = await run(bin, ["--version"], tmp);
    assert.equal(version.out.trim(), JSON.parse(await Deno.readTextFile(join(REPO, "deno.json"))).version);
    const created = await run(bin, ["new", "demo"], tmp);
    assert.equal(created.code, 0, created.out);
    const trained = await run(bin, ["run", "training", "-q"], join(tmp, "demo"));
    assert.equal(trained.code, 0, trained.out);
    const again = await install();
    assert.equal(again.code, 0, again.out);
    const info = await run(bin, ["info"], join(tmp, "demo"));
    assert.match(info.out, /runs from: the bundle in .*my kmlf ü\/dist\/bundle\//);
    const removed = await run(Deno.execPath(), [
      "run",
      "--allow-all",
      "tools/install.ts",
      "--uninstall",
      "--root",
      root,
    ], checkout);
    assert.equal(removed.code, 0, removed.out);
    assert.equal(await Deno.stat(bin).then(() => true, () => false), false, "kmlf is gone");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
