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

Deno.test("a versioned or partitioned input with nothing saved yet names the pipeline and node too", async () => {
  const dir = await demoProject();
  try {
    const path = join(dir, "conf/base/catalog.yml");
    const catalog = await Deno.readTextFile(path);
    const cases: [string, RegExp][] = [
      [
        "model:\n  type: pickle\n  filepath: data/06_models/model.pkl\n  versioned: true\n",
        /error\[dataset\/no-versions\][^\n]*\n(?: {2}at [^\n]*\n)? {2}hint: run `kmlf run --pipeline training` first: its node "train_model" saves "model" \(or check its filepath in the catalog\)\n/,
      ],
      [
        "model:\n  type: partitioned\n  path: data/06_models/parts\n  dataset: pickle\n",
        /error\[dataset\/no-partitions\][^\n]*\n(?: {2}at [^\n]*\n)? {2}hint: run `kmlf run --pipeline training` first: its node "train_model" saves "model" \(or check its path in the catalog\)\n/,
      ],
    ];
    for (const [entry, expected] of cases) {
      await Deno.writeTextFile(path, catalog.replace(/\nmodel:\n(?: {2}.*\n)+/, `\n${entry}`));
      const r = await kmlf(["run", "inference"], { cwd: dir });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, expected);
      assert.doesNotMatch(r.stderr, /run the node that saves it first|save the partitions first/);
    }
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
