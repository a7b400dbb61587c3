/**
 * A run stopping on a missing input file names the registered pipeline and node that save it (`kmlf run
 * inference` before any `kmlf run training`); a file no pipeline makes keeps the catalog's own hint.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { demoProject, kmlf } from "../cli_harness.ts";

Deno.test("kmlf run inference before training names the pipeline and node that save the model", async () => {
  const dir = await demoProject();
  try {
    const r = await kmlf(["run", "inference"], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error\[dataset\/file-not-found\]: Cannot load dataset "model"/);
    assert.match(
      r.stderr,
      /\n {2}hint: run `kmlf run --pipeline training` first: its node "train_model" saves "model" \(or check its filepath in the catalog\)\n/,
    );
    // The catalog's vaguer hint is replaced, not printed under the new one.
    assert.doesNotMatch(r.stderr, /run the node that produces this dataset first/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a missing input no pipeline saves keeps the catalog's hint", async () => {
  const dir = await demoProject();
  try {
    const trained = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(trained.code, 0, trained.stderr);
    await Deno.remove(join(dir, "data/01_raw/instances.csv"));
    const r = await kmlf(["run", "inference"], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /Cannot load dataset "instances"/);
    assert.match(
      r.stderr,
      /hint: check filepath in the catalog, or run the node that produces this dataset first/,
    );
    assert.doesNotMatch(r.stderr, /kmlf run --pipeline/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
