/** The bundle's deno.lock: kmlf's own dependencies and their closure, not the repository's test packages. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bundleLock, type Lockfile } from "../../tools/bundle_lock.ts";
import { kmlfBundle, REPO } from "../cli_harness.ts";

const repoLock: Lockfile = JSON.parse(Deno.readTextFileSync(join(REPO, "deno.lock")));
const imports: Record<string, string> = JSON.parse(Deno.readTextFileSync(join(REPO, "deno.json"))).imports;

Deno.test("the bundle's lock holds the import map's packages with their dependencies, and nothing else", async () => {
  const lock: Lockfile = JSON.parse(await Deno.readTextFile(join(await kmlfBundle(), "deno.lock")));
  const config = JSON.parse(await Deno.readTextFile(join(REPO, "deno.json")));
  const mapped = Object.values(config.imports as Record<string, string>)
    .filter((target) => target.startsWith("npm:"))
    .map((target) => target.replace(/^npm:((?:@[^/]+\/)?[^/@]+@[^/]+).*$/, "npm:$1"));
  assert.deepEqual(Object.keys(lock.specifiers ?? {}).sort(), [...new Set(mapped)].sort());
  assert.ok(lock.npm?.["argparse@2.0.1"], "js-yaml's dependency is kept");
  assert.ok(!lock.npm?.["playwright-core@1.65.1"], "the tests' browser driver is not");
  for (const [key, entry] of Object.entries(lock.npm ?? {})) {
    assert.deepEqual(entry, repoLock.npm?.[key], key);
  }
  assert.deepEqual(lock.workspace, {
    ...repoLock.workspace,
    dependencies: Object.keys(lock.specifiers ?? {}),
  });
});

Deno.test("a package deno.json maps for its tools only is left out, with its workspace entry", () => {
  // deno.json's scopes["./tools/"] (semver, which kmlf runs vendored): Deno lists it with the workspace's.
  assert.ok(repoLock.workspace?.dependencies?.includes("npm:semver@7.8.6"));
  const lock = bundleLock(repoLock, imports);
  assert.ok(!lock.specifiers?.["npm:semver@7.8.6"] && !lock.npm?.["semver@7.8.6"]);
  assert.ok(!lock.workspace?.dependencies?.includes("npm:semver@7.8.6"));
  assert.ok(lock.specifiers?.["npm:csv-parse@7.0.3"], "a subpath import keeps its package");
});

Deno.test("a dependency the lock cannot resolve fails the build, naming it", () => {
  const broken = structuredClone(repoLock);
  delete broken.npm!["argparse@2.0.1"];
  assert.throws(() => bundleLock(broken, imports), /dependency argparse/);
  const unresolved = structuredClone(repoLock);
  delete unresolved.specifiers!["npm:zod@4.6.7"];
  assert.throws(() => bundleLock(unresolved, imports), /npm:zod@4\.6\.7/);
  assert.throws(() => bundleLock({ ...repoLock, version: "4" }, imports), /version 4/);
});
