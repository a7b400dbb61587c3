/**
 * A temp folder that cannot be made names the temp root (and TMPDIR when it comes from there) and the fix.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { KmlfError } from "../lib/errors.ts";
import { checkTempFolder, makeTempFolder } from "../lib/temp_folder.ts";

async function withTmpdir(value: string, fn: () => Promise<void>): Promise<void> {
  const previous = Deno.env.get("TMPDIR");
  Deno.env.set("TMPDIR", value);
  try {
    await fn();
  } finally {
    if (previous === undefined) Deno.env.delete("TMPDIR");
    else Deno.env.set("TMPDIR", previous);
  }
}

Deno.test({
  name: "TMPDIR missing, or a file: io/temp-folder-unusable naming it; a usable one gives a folder",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "kmlf-tmpdir-" });
    try {
      await Deno.writeTextFile(join(dir, "file"), "x");
      for (const bad of [join(dir, "missing"), join(dir, "file")]) {
        await withTmpdir(bad, async () => {
          for (const attempt of [() => makeTempFolder("kmlf-x-"), checkTempFolder]) {
            await assert.rejects(attempt, (e: unknown) => {
              assert.ok(e instanceof KmlfError);
              assert.equal(e.code, "io/temp-folder-unusable");
              assert.ok(
                e.message.startsWith(`Cannot create a temp folder in ${bad} (from TMPDIR): `),
                e.message,
              );
              assert.doesNotMatch(e.message, /tmpdir$/);
              assert.match(e.hint ?? "", /point TMPDIR at an existing, writable folder/);
              return true;
            });
          }
        });
      }
      await withTmpdir(dir, async () => {
        const made = await makeTempFolder("kmlf-x-");
        assert.ok(made.startsWith(join(dir, "kmlf-x-")));
        await checkTempFolder();
      });
      const left = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
      assert.equal(left.length, 2, "the folder made, and nothing of checkTempFolder's");
      assert.equal(left[0], "file");
      assert.match(left[1], /^kmlf-x-/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
