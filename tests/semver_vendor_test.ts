/** lib/models/_semver.js is deno.json's npm semver, its satisfies and valid bundled (tools/vendor_semver.ts). */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bundledSemver, npmSemver, VENDORED } from "../tools/vendor_semver.ts";
import * as vendored from "../lib/models/_semver.js";
import { REPO } from "./cli_harness.ts";

Deno.test("lib/models/_semver.js is what `deno task vendor-semver` writes for the pinned semver", async () => {
  assert.equal(
    await Deno.readTextFile(join(REPO, VENDORED)),
    await bundledSemver(REPO),
    `${VENDORED} is out of date (another semver version in deno.json): run \`deno task vendor-semver\``,
  );
});

Deno.test("the bundle exports satisfies and valid, and reads no process global or Node module", async () => {
  assert.deepEqual(Object.keys(vendored).sort(), ["satisfies", "valid"]);
  const code = (await Deno.readTextFile(join(REPO, VENDORED))).split("\n")
    .filter((line) => !line.trim().startsWith("//")).join("\n");
  assert.doesNotMatch(code, /\bprocess\b|\brequire\(|^import |node:/m);
});

// Versions and ranges where readers of npm ranges tend to part: prereleases, unions, hyphens, partial
// versions, carets below 1.0.0, wildcards, build metadata, `v` and `=` prefixes, and ranges npm refuses.
const VERSIONS = [
  "0.0.3",
  "0.0.4",
  "0.2.5",
  "1.0.0",
  "1.0.0-rc.1",
  "1.2.3",
  "1.2.3-beta",
  "1.2.4-beta.2",
  "1.9.0",
  "1.9.0-beta.1",
  "2.0.0-0",
  "2.4.0",
  "2.5.0",
  "2.5.0-rc.1",
  "3.0.0",
  "v1.2.3",
  "1.2.3+build.5",
  "01.2.3",
  "1.2",
];
const RANGES = [
  "*",
  "",
  "x",
  "1.x || >=2.5.0",
  "1.2 - 1.4",
  "1.2.3 - 2",
  "1.2.3 - 1.2.4-beta",
  "~1",
  "~1.2",
  "~>1.2",
  "^0.0.3",
  "^0.2",
  "^1.x",
  "^1.2.3-beta",
  "1.2.3+build",
  "=v1.2.3",
  ">= 1.2.3 < 2",
  ">1.2.3-alpha",
  "<2.0.0-0",
  ">=1.0.0 <=1.2",
  ">1",
  "<=1.x",
  ">*",
  "latest",
  "1.2.3 || latest",
  "x.1.2",
  "^01.2.3",
];

Deno.test("the bundle answers as npm semver itself on every version and range", async () => {
  const npm = await npmSemver();
  for (const version of VERSIONS) {
    assert.equal(vendored.valid(version), npm.valid(version), version);
    for (const range of RANGES) {
      assert.equal(
        vendored.satisfies(version, range),
        npm.satisfies(version, range),
        `${version} in ${range}`,
      );
    }
  }
});
