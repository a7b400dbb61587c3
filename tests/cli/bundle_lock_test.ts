/** The bundle's deno.lock: kmlf's own dependencies and their closure, not the repository's test packages. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bundleLock, type Lockfile } from "../../tools/bundle_lock.ts";
import { kmlfBundle, REPO } from "../cli_harness.ts";

const repoLock: Lockfile = JSON.parse(Deno.readTextFileSync(join(REPO, "deno.lock")));

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
  assert.deepEqual(lock.workspace, repoLock.workspace);
});

Deno.test("a dependency the lock cannot resolve fails the build, naming it", () => {
  const broken = structuredClone(repoLock);
  delete broken.npm!["argparse@2.0.1"];
  assert.throws(() => bundleLock(broken), /dependency argparse/);
  const unresolved = structuredClone(repoLock);
  delete unresolved.specifiers!["npm:zod@4.6.7"];
  assert.throws(() => bundleLock(unresolved), /npm:zod@4\.6\.7/);
  assert.throws(() => bundleLock({ ...repoLock, version: "4" }), /version 4/);
});
