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

Deno.test("the bundled zod/mini reports in English, with paths, like npm zod's classic API", () => {
  type Result = { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } };
  const issues = (schema: { safeParse(value: unknown): Result }) => {
    const result = schema.safeParse({ name: 3, size: "big", extra: true, count: 1.5, tag: "" });
    assert.equal(result.success, false);
    return result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  const ours = issues(z.strictObject({
    name: z.string(),
    size: z.union([z.number(), z.null()]),
    count: z.int().check(z.gte(0)),
    tag: z.optional(z.string().check(z.minLength(1))),
  }));
  assert.deepEqual(
    ours,
    issues(npmZod.strictObject({
      name: npmZod.string(),
      size: npmZod.union([npmZod.number(), npmZod.null()]),
      count: npmZod.number().int().min(0),
      tag: npmZod.string().min(1).optional(),
    })),
  );
  assert.deepEqual(ours, [
    "name: Invalid input: expected string, received number",
    "size: Invalid input",
    "count: Invalid input: expected int, received number",
    "tag: Too small: expected string to have >=1 characters",
    ': Unrecognized key: "extra"',
  ]);
});
