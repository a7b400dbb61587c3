/**
 * A conf archive reads as `tar -x` / `unzip` would leave it on disk: a name packed twice keeps its last
 * copy (checked against the system's tar), and a .tar.gz whose gzip CRC-32 or length disagrees with its
 * trailer is refused naming the archive, never loaded as garbage.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync, zipSync } from "fflate";
import { createTar } from "nanotar";
import { ConfigLoader } from "../../lib/config/mod.ts";
import { ConfigError } from "../../lib/errors.ts";
import { rejectsWith } from "./_helpers.ts";

const enc = new TextEncoder();
const FIRST = "model: {lr: 0.1}\n";
const LAST = "model: {lr: 0.9}\n";

async function lr(path: string): Promise<unknown> {
  const loader = await ConfigLoader.create({ confSource: path, env: "base" });
  return (await loader.get("parameters")).data;
}

Deno.test("a name packed twice in a .tar/.tar.gz keeps its last copy, as tar extracts it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const tar = createTar([
      { name: "conf/base/parameters.yml", data: enc.encode(FIRST) },
      { name: "conf/base/catalog.yml", data: enc.encode("{}\n") },
      { name: "conf/base/parameters.yml", data: enc.encode(LAST) },
    ]);
    await Deno.writeFile(join(dir, "c.tar"), tar);
    await Deno.writeFile(join(dir, "c.tar.gz"), gzipSync(tar));
    // The oracle: what the system's tar leaves on disk.
    await Deno.mkdir(join(dir, "x"));
    const tarCmd = await new Deno.Command("tar", { args: ["-xf", join(dir, "c.tar"), "-C", join(dir, "x")] })
      .output();
    assert.ok(tarCmd.success, new TextDecoder().decode(tarCmd.stderr));
    assert.equal(await Deno.readTextFile(join(dir, "x/conf/base/parameters.yml")), LAST);
    for (const name of ["c.tar", "c.tar.gz"]) {
      assert.deepEqual(await lr(join(dir, name)), { model: { lr: 0.9 } }, name);
    }
    // A .zip cannot hold a name twice through fflate's writer; unzipSync keeps the last as unzip does.
    await Deno.writeFile(join(dir, "c.zip"), zipSync({ "conf/base/parameters.yml": enc.encode(LAST) }));
    assert.deepEqual(await lr(join(dir, "c.zip")), { model: { lr: 0.9 } });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a .tar.gz whose gzip CRC-32 or length is wrong is refused naming the archive", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const tar = createTar([{ name: "conf/base/parameters.yml", data: enc.encode(FIRST) }]);
    const path = join(dir, "conf.tar.gz");
    // Stored (level 0) deflate: a flipped data byte still inflates — only the CRC catches it.
    const stored = gzipSync(tar, { level: 0 });
    const at = new TextDecoder("latin1").decode(stored).indexOf("lr: 0.1") + 6; // the "1" of the text
    assert.equal(stored[at], 0x31);
    const corruptData = stored.slice();
    corruptData[at] = 0x37;
    const corruptSize = stored.slice();
    corruptSize[corruptSize.length - 1] ^= 1;
    for (const [what, bytes] of [["data", corruptData], ["size", corruptSize]] as const) {
      await Deno.writeFile(path, bytes);
      const e = await rejectsWith(() => lr(path), ConfigError, "config/bad-archive", /gzip check failed/);
      assert.ok(e.message.startsWith(`Cannot read ${path}: `), `${what}: ${e.message}`);
      assert.equal(e.source?.file, path);
    }
    // Two members (cat a.gz b.gz): each checked, and a good one loads.
    const half = Math.floor(tar.length / 2);
    const twoMembers = new Uint8Array([...gzipSync(tar.subarray(0, half)), ...gzipSync(tar.subarray(half))]);
    await Deno.writeFile(path, twoMembers);
    assert.deepEqual(await lr(path), { model: { lr: 0.1 } });
    const badSecond = twoMembers.slice();
    badSecond[badSecond.length - 6] ^= 0xff;
    await Deno.writeFile(path, badSecond);
    await rejectsWith(() => lr(path), ConfigError, "config/bad-archive", /member 2/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
