/**
 * The symlink check every artifact read and write goes through (`resolvesInside`) costs a bounded number of
 * `realpath` calls whatever the depth: climbing from a missing path one folder at a time cost one per level,
 * each quadratic in the depth inside glibc, so a client that made a 1,000-folder path could hold a server
 * for tens of seconds with one request for a deeper one. Counted, not timed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { resolvesInside } from "../../lib/fs_utils.ts";

function countingRealPath<T>(fn: () => T): { result: T; calls: number } {
  const original = Deno.realPathSync;
  let calls = 0;
  Deno.realPathSync = (path) => {
    calls++;
    return original(path);
  };
  try {
    return { result: fn(), calls };
  } finally {
    Deno.realPathSync = original;
  }
}

Deno.test("resolvesInside checks a path far below its deepest existing folder with a few realpath calls", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir());
  const outside = await Deno.realPath(await Deno.makeTempDir());
  try {
    const existing = join(root, ..."a/".repeat(300).split("/").filter(Boolean));
    await Deno.mkdir(existing, { recursive: true });
    const deeper = join(existing, ..."b/".repeat(600).split("/").filter(Boolean), "x");
    const inside = countingRealPath(() => resolvesInside(root, deeper));
    assert.equal(inside.result, true);
    assert.ok(inside.calls <= 3, `${inside.calls} realpath calls`);
    // The check itself is unchanged: a link on the way out is still found, however deep.
    await Deno.symlink(outside, join(existing, "out"));
    const through = countingRealPath(() => resolvesInside(root, join(existing, "out", "c", "d", "x")));
    assert.equal(through.result, false);
    assert.ok(through.calls <= 3, `${through.calls} realpath calls`);
    // A dangling link: the folder holding it decides, as before.
    await Deno.symlink(join(outside, "missing"), join(existing, "dangling"));
    assert.equal(resolvesInside(root, join(existing, "dangling", "x")), true);
    assert.equal(resolvesInside(root, join(existing, "dangling")), true);
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});
