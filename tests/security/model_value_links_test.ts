/**
 * A `js_value` model folder (an unpacked archive, a copied folder) whose data file is a symlink to a file
 * elsewhere is refused: the file is neither read nor quoted in a parse error.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { jsValueFlavor, loadModelFolder, saveModelFolder } from "../../lib/tracking/mod.ts";

Deno.test("a js_value model whose data file links out of its folder is refused, the target never quoted", async () => {
  const base = await Deno.makeTempDir();
  const secret = join(base, "credentials");
  await Deno.writeTextFile(secret, "[default]\naws_secret_access_key = TOPSECRET\n");
  for (const serialization of ["json", "v8"]) {
    const dir = join(base, serialization);
    await Deno.mkdir(dir);
    await saveModelFolder(dir, { threshold: 2.45 }, jsValueFlavor, { flavorArgs: { serialization } });
    assert.deepEqual(await loadModelFolder(dir, jsValueFlavor), { threshold: 2.45 });
    const data = join(dir, `model.${serialization}`);
    await Deno.remove(data);
    await Deno.symlink(secret, data);
    await assert.rejects(() => loadModelFolder(dir, jsValueFlavor), (error: Error & { code?: string }) => {
      assert.equal(error.code, "model/bad-flavor");
      assert.match(
        error.message,
        new RegExp(`flavors\\.js_value\\.data \\(model\\.${serialization}\\) is a link`),
      );
      assert.ok(!error.message.includes("TOPSECRET") && !error.message.includes("default"), error.message);
      return true;
    });
    // A link that stays inside the folder still loads.
    await Deno.remove(data);
    await Deno.writeTextFile(join(dir, "kept.json"), JSON.stringify({ threshold: 1 }));
    if (serialization === "json") {
      await Deno.symlink(join(dir, "kept.json"), data);
      assert.deepEqual(await loadModelFolder(dir, jsValueFlavor), { threshold: 1 });
    }
  }
  await Deno.remove(base, { recursive: true });
});
