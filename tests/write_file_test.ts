/** lib/write_file.ts behaves as Deno.writeFile/writeTextFile do, and kmlf's modules use it instead. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFile, writeTextFile } from "../lib/write_file.ts";
import { REPO } from "./cli_harness.ts";
import { inTempDir } from "./catalog/dataset_contract.ts";

Deno.test("writeFile and writeTextFile create, replace and append like Deno's", async () => {
  await inTempDir(async (dir) => {
    const ours = join(dir, "ours.bin");
    const deno = join(dir, "deno.bin");
    const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251); // more than one write() call
    await writeFile(ours, big);
    await Deno.writeFile(deno, big);
    assert.deepEqual(await Deno.readFile(ours), await Deno.readFile(deno));
    await writeTextFile(ours, "héllo\n");
    assert.equal(await Deno.readTextFile(ours), "héllo\n"); // replaced, not overwritten in place
    await writeTextFile(ours, "more", { append: true });
    assert.equal(await Deno.readTextFile(ours), "héllo\nmore");
    await writeFile(ours, new Uint8Array(0));
    assert.equal((await Deno.stat(ours)).size, 0);
  });
});

Deno.test("writeFile options and errors match Deno.writeFile's", async () => {
  await inTempDir(async (dir) => {
    const path = join(dir, "f.txt");
    await writeTextFile(path, "x", { createNew: true });
    const outcome = async (write: () => Promise<void>) =>
      await write().then(() => "ok", (e: Error) => e.constructor.name);
    // createNew on an existing file, create: false on a missing one, a missing folder, a folder as file.
    const cases: [string, () => Promise<void>, () => Promise<void>][] = [
      [
        "exists",
        () => writeTextFile(path, "y", { createNew: true }),
        () => Deno.writeTextFile(path, "y", { createNew: true }),
      ],
      [
        "no create",
        () => writeTextFile(join(dir, "g"), "y", { create: false }),
        () => Deno.writeTextFile(join(dir, "g"), "y", { create: false }),
      ],
      [
        "no folder",
        () => writeTextFile(join(dir, "a/b/c"), "y"),
        () => Deno.writeTextFile(join(dir, "a/b/c"), "y"),
      ],
      ["a folder", () => writeTextFile(dir, "y"), () => Deno.writeTextFile(dir, "y")],
    ];
    for (const [what, ours, deno] of cases) assert.equal(await outcome(ours), await outcome(deno), what);
    assert.equal(await Deno.readTextFile(path), "x");
    if (Deno.build.os !== "windows") {
      await writeTextFile(join(dir, "m"), "z", { mode: 0o600 });
      assert.equal((await Deno.stat(join(dir, "m"))).mode! & 0o777, 0o600);
    }
  });
});

Deno.test("kmlf's modules write files through lib/write_file.ts, not Deno.writeFile/writeTextFile", async () => {
  // Deno's versions load its web streams on first use (~3 ms and ~2 MB for every command that writes).
  const offenders: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = join(dir, e.name);
      if (e.isDirectory) await walk(path);
      else if (e.name.endsWith(".ts") && !path.endsWith("write_file.ts")) {
        (await Deno.readTextFile(path)).split("\n").forEach((line, i) => {
          if (/^\s*(\*|\/\/)/.test(line)) return; // documentation examples for users
          if (/Deno\.write(Text)?File\(/.test(line)) offenders.push(`${path}:${i + 1}`);
        });
      }
    }
  };
  await walk(join(REPO, "lib"));
  assert.deepEqual(offenders, []);
});
