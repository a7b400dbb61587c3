/** lib/zod/_bundle.js is deno.json's zod bundled with exactly the builders lib/ calls (tools/vendor_zod.ts). */
import assert from "node:assert/strict";
import { join } from "node:path";
import { BUNDLE, bundledZod, usedBuilders } from "../tools/vendor_zod.ts";
import { z as npmZod } from "zod";
import { z } from "../lib/zod/mod.ts";
import { REPO } from "./cli_harness.ts";

Deno.test("lib/zod/_bundle.js is what `deno task vendor-zod` writes for today's lib/", async () => {
  assert.equal(
    await Deno.readTextFile(join(REPO, BUNDLE)),
    await bundledZod(REPO),
    `${BUNDLE} is out of date (a new zod builder in lib/, or another zod version): run \`deno task vendor-zod\``,
  );
});

Deno.test("the bundle has every builder lib/ calls, and none of zod's locales but English", async () => {
  const builders = await usedBuilders(REPO);
  assert.ok(builders.includes("strictObject") && builders.includes("string"), builders.join(", "));
  for (const name of builders) assert.equal(typeof (z as Record<string, unknown>)[name], "function", name);
  const text = await Deno.readTextFile(join(REPO, BUNDLE));
  assert.deepEqual([...text.matchAll(/^\/\/ zod\/[^/]+\/v4\/locales\/(\w+)\.js$/gm)].map((m) => m[1]), [
    "en",
  ]);
});

Deno.test("the bundled zod reports in English, with paths, like npm zod", () => {
  const issues = (zod: typeof z) => {
    const schema = zod.strictObject({ name: zod.string(), size: zod.union([zod.number(), zod.null()]) });
    const result = schema.safeParse({ name: 3, size: "big", extra: true });
    assert.equal(result.success, false);
    return result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  assert.deepEqual(issues(z), issues(npmZod));
  assert.deepEqual(issues(z), [
    "name: Invalid input: expected string, received number",
    "size: Invalid input",
    ': Unrecognized key: "extra"',
  ]);
});
