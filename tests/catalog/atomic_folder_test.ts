/**
 * atomicFolder: a folder dataset (a saved model) is replaced all or nothing, and the temp folders a killed
 * save left beside it are swept by the next save — those of a live process are left alone.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { atomicFolder } from "../../lib/catalog/mod.ts";

const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();

Deno.test("atomicFolder creates, then replaces a folder; a failing fill keeps the previous one", async () => {
  const dir = await Deno.makeTempDir();
  const target = join(dir, "model");
  try {
    await atomicFolder(target, (tmp) => Deno.writeTextFile(join(tmp, "MLmodel"), "v1"));
    assert.equal(await Deno.readTextFile(join(target, "MLmodel")), "v1");
    await atomicFolder(target, (tmp) => Deno.writeTextFile(join(tmp, "other"), "v2"));
    assert.deepEqual(names(target), ["other"], "the new folder replaces the old one whole");
    await assert.rejects(
      atomicFolder(target, async (tmp) => {
        await Deno.writeTextFile(join(tmp, "half"), "x");
        throw new Error("the model cannot be saved");
      }),
      /cannot be saved/,
    );
    assert.deepEqual(names(target), ["other"]);
    assert.deepEqual(names(dir), ["model"], "no temp folder is left");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("atomicFolder sweeps temp folders and files a killed save left, not a live process's", async () => {
  const dir = await Deno.makeTempDir();
  const target = join(dir, "model");
  const live = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    const dead = new Deno.Command("true").spawn();
    const deadPid = dead.pid;
    await dead.status;
    for (const name of [`.model.${deadPid}-abcdef01.tmp`, `.model.${deadPid}-abcdef02.tmp`]) {
      await Deno.mkdir(join(dir, name, "inner"), { recursive: true });
      await Deno.writeTextFile(join(dir, name, "inner", "weights.bin"), "x");
    }
    await Deno.writeTextFile(join(dir, `.model.${deadPid}-abcdef03.tmp`), "a half-written file");
    await Deno.mkdir(join(dir, `.model.${live.pid}-abcdef04.tmp`));
    await Deno.mkdir(join(dir, `.other.${deadPid}-abcdef05.tmp`));
    await atomicFolder(target, (tmp) => Deno.writeTextFile(join(tmp, "MLmodel"), "v1"));
    assert.deepEqual(names(dir), [
      `.model.${live.pid}-abcdef04.tmp`,
      `.other.${deadPid}-abcdef05.tmp`,
      "model",
    ]);
  } finally {
    live.kill();
    await live.status;
    await Deno.remove(dir, { recursive: true });
  }
});
