/**
 * Saving many files into one folder (a partitioned dataset of thousands of partitions) lists the folder
 * once, not once per file — the sweep of stale temp files made such a save quadratic — and the sweep
 * still finds what a killed save of another process leaves there later.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { atomicWrite } from "../../lib/catalog/mod.ts";

/** Runs `fn` counting the `Deno.readDirSync` calls made on `dir`. */
async function countingListings(dir: string, fn: () => Promise<void>): Promise<number> {
  const real = Deno.readDirSync;
  let count = 0;
  Deno.readDirSync = (path: string | URL) => {
    if (String(path) === dir) count++;
    return real(path);
  };
  try {
    await fn();
  } finally {
    Deno.readDirSync = real;
  }
  return count;
}

Deno.test("atomicWrite of 300 files into one folder lists the folder a few times, not 300", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-atomic-many-" });
  try {
    const listings = await countingListings(dir, async () => {
      for (let i = 0; i < 300; i++) await atomicWrite(join(dir, `part-${i}.txt`), String(i));
    });
    assert.ok(listings <= 3, `${listings} listings of the folder for 300 saves`);
    assert.equal([...Deno.readDirSync(dir)].length, 300);
    assert.equal(await Deno.readTextFile(join(dir, "part-299.txt")), "299");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a temp file a dead process leaves after this process's last save is still swept by the next save", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-atomic-many-" });
  try {
    await atomicWrite(join(dir, "a.txt"), "1");
    const dead = new Deno.Command("true").spawn();
    await dead.status;
    // Another process writes into the folder later (a clock tick later: the folder's mtime moves).
    await new Promise((r) => setTimeout(r, 30));
    await Deno.writeTextFile(join(dir, `.a.txt.${dead.pid}-abcdef01.tmp`), "half");
    await atomicWrite(join(dir, "a.txt"), "2");
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["a.txt"]);
    assert.equal(await Deno.readTextFile(join(dir, "a.txt")), "2");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
