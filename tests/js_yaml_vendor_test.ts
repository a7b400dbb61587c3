/** lib/yaml/_js_yaml.js is deno.json's js-yaml without its dumper (tools/vendor_js_yaml.ts). */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as npmYaml from "js-yaml";
import * as vendored from "../lib/yaml/_js_yaml.js";
import { loaderOnlyJsYaml, VENDORED } from "../tools/vendor_js_yaml.ts";
import { REPO } from "./cli_harness.ts";

Deno.test("lib/yaml/_js_yaml.js is what `deno task vendor-js-yaml` writes for the pinned js-yaml", async () => {
  assert.equal(
    await Deno.readTextFile(join(REPO, VENDORED)),
    await loaderOnlyJsYaml(REPO),
    `${VENDORED} is out of date (another js-yaml version in deno.json): run \`deno task vendor-js-yaml\``,
  );
});

Deno.test("the vendored js-yaml exports npm js-yaml's loader API, and no dumper", () => {
  const names = Object.keys(npmYaml).filter((n) => n !== "dump" && n !== "safeDump").sort();
  assert.deepEqual(Object.keys(vendored).sort(), names);
  const text = "a: [1, {b: 2024-01-31}]\nc: &x !!binary aGk=\nd: *x\n? [k]\n: v\n";
  assert.deepEqual(vendored.load(text), npmYaml.load(text));
  assert.deepEqual(vendored.loadAll("--- 1\n--- two\n"), [1, "two"]);
  assert.throws(() => vendored.load("a: [1"), vendored.YAMLException);
});
