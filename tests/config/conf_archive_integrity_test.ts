/**
 * A conf archive reads as `tar -x` / `unzip` would leave it on disk: a name packed twice keeps its last
 * copy (checked against the system's tar), and a .tar.gz whose gzip CRC-32 or length disagrees with its
 * trailer is refused naming the archive, never loaded as garbage.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync, inflateSync, zipSync } from "fflate";
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

// A .zip of conf/base/parameters.yml (and a catalog), with where the parameters' data sits and its
// central directory entry starts.
function zipOf(parameters: string, level: 0 | 6) {
  const zip = zipSync({
    "conf/base/catalog.yml": [enc.encode("{}\n"), { level }],
    "conf/base/parameters.yml": [enc.encode(parameters), { level }],
  });
  const view = new DataView(zip.buffer);
  // The second local header follows the first member's data.
  const first = 30 + view.getUint16(26, true) + view.getUint16(28, true) + view.getUint32(18, true);
  const data = first + 30 + view.getUint16(first + 26, true) + view.getUint16(first + 28, true);
  const size = view.getUint32(first + 18, true);
  const central = new TextDecoder("latin1").decode(zip).lastIndexOf("PK\x01\x02");
  return { zip, data, size, local: first, central };
}

Deno.test("a .zip member whose CRC-32 or size is wrong is refused naming the archive and the member", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "conf.zip");
  const refused = async (bytes: Uint8Array, what: string, message = /zip check failed for member/) => {
    await Deno.writeFile(path, bytes);
    const e = await rejectsWith(() => lr(path), ConfigError, "config/bad-archive", message);
    assert.ok(e.message.startsWith(`Cannot read ${path}: `), `${what}: ${e.message}`);
    assert.match(e.message, /conf\/base\/parameters\.yml/, what);
    assert.match(e.hint ?? "", /re-create it or download it again/, what);
  };
  try {
    // Stored: a flipped data byte reads as other text — only the CRC catches it.
    const stored = zipOf(FIRST, 0);
    await Deno.writeFile(path, stored.zip);
    assert.deepEqual(await lr(path), { model: { lr: 0.1 } });
    const at = new TextDecoder("latin1").decode(stored.zip).indexOf("lr: 0.1") + 6;
    assert.ok(at > stored.data && at < stored.data + stored.size);
    const flipped = stored.zip.slice();
    flipped[at] = 0x37; // 0.1 -> 0.7
    await refused(flipped, "stored data");
    // A size the data does not have (local header and central directory agree, the data is shorter).
    const longer = stored.zip.slice();
    const longerView = new DataView(longer.buffer);
    longerView.setUint32(stored.local + 22, FIRST.length + 4, true);
    longerView.setUint32(stored.central + 24, FIRST.length + 4, true);
    await refused(longer, "stored size");

    // Deflated: a flipped bit either breaks the stream (named as the member) or inflates to other text of
    // the same length, which only the CRC catches; both kinds are tried.
    const text = "model: {lr: 0.1, name: abcdefghijklmnopqrstuvwxyz}\n";
    const deflated = zipOf(text, 6);
    await Deno.writeFile(path, deflated.zip);
    assert.deepEqual(
      (await lr(path) as { model: { name: string } }).model.name,
      "abcdefghijklmnopqrstuvwxyz",
    );
    const kinds = new Set<string>();
    for (let i = deflated.data; i < deflated.data + deflated.size && kinds.size < 2; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const bad = deflated.zip.slice();
        bad[i] ^= 1 << bit;
        let kind;
        try {
          const out = inflateSync(bad.subarray(deflated.data, deflated.data + deflated.size));
          kind = out.length === text.length && new TextDecoder().decode(out) !== text ? "garbage" : undefined;
        } catch {
          kind = "broken";
        }
        if (kind === undefined || kinds.has(kind)) continue;
        kinds.add(kind);
        await refused(
          bad,
          `deflated ${kind}`,
          kind === "broken" ? /member conf\/base\/parameters\.yml/ : undefined,
        );
        break;
      }
    }
    assert.deepEqual([...kinds].sort(), ["broken", "garbage"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a .tar whose header checksum fails (a renamed or resized member) is refused naming the member", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "conf.tar");
  try {
    // Made by the system's tar, which writes the checksums it checks.
    await Deno.mkdir(join(dir, "conf/base"), { recursive: true });
    await Deno.writeTextFile(join(dir, "conf/base/parameters.yml"), FIRST);
    const made = await new Deno.Command("tar", { args: ["-cf", path, "conf"], cwd: dir }).output();
    assert.ok(made.success, new TextDecoder().decode(made.stderr));
    const good = await Deno.readFile(path);
    assert.deepEqual(await lr(path), { model: { lr: 0.1 } });
    const header = new TextDecoder("latin1").decode(good).indexOf("conf/base/parameters.yml");
    // A flipped letter in the name: without the check it loads with no parameters at all.
    const renamed = good.slice();
    renamed[header + "conf/base/param".length] ^= 0x20; // parameters -> paramEters
    // A size digit changed: without the check the data is cut short or runs into the next header.
    const resized = good.slice();
    const size = header + 124;
    resized[size + 10] = resized[size + 10] === 0x31 ? 0x32 : 0x31;
    for (const [what, bytes] of [["name", renamed], ["size", resized]] as const) {
      await Deno.writeFile(path, bytes);
      const e = await rejectsWith(
        () => lr(path),
        ConfigError,
        "config/bad-archive",
        /tar header check failed/,
      );
      assert.ok(e.message.startsWith(`Cannot read ${path}: `), `${what}: ${e.message}`);
      assert.match(e.message, /member conf\/base\/param[eE]ters\.yml/, what);
      // The system's tar refuses it too.
      await Deno.mkdir(join(dir, `x-${what}`));
      const tar = await new Deno.Command("tar", { args: ["-xf", path, "-C", join(dir, `x-${what}`)] })
        .output();
      assert.equal(tar.success, false, what);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
