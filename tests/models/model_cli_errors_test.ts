/**
 * `kmlf models register` and `kmlf models predict` refuse what cannot work before writing anything: a
 * runs:/ URI without a model, a name models:/ URIs cannot address, a version the registry refuses (no empty
 * registered model is left behind), a JSON input that is not JSON, an output path that cannot be written.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../../lib/tracking/mod.ts";
import { kmlf } from "../cli_harness.ts";
import { trainedRulesProject } from "./model_helpers.ts";

const t = await trainedRulesProject();
globalThis.addEventListener("unload", () => Deno.removeSync(t.base, { recursive: true }));

async function registeredNames(): Promise<string[]> {
  const store = await openStore(`sqlite:///${t.store}`, { baseDir: t.base });
  try {
    return (await store.registry.searchRegisteredModels({})).registeredModels.map((m) => m.name);
  } finally {
    await store.close();
  }
}

Deno.test("models register: a runs:/ path without an MLmodel file is refused, naming the run's models", async () => {
  const r = await kmlf(["models", "register", "-m", `runs:/${t.runId}/modle`, "-n", "typo"], {
    cwd: t.project,
  });
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `error\\[cli/register-no-model\\]: Cannot register runs:/${t.runId}/modle: .*no model at "modle"`,
    ),
  );
  assert.match(r.stderr, new RegExp(`hint: the run's models: runs:/${t.runId}/model`));
  assert.deepEqual(await registeredNames(), [], "nothing registered");
});

Deno.test("models register: a name models:/ URIs cannot address is refused before the store is touched", async () => {
  for (const name of ["team/iris", "iris@prod", "a:b", "50%", " ", "iris "]) {
    const r = await kmlf(["models", "register", "-m", t.modelUri, "-n", name], { cwd: t.project });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /error\[cli\/bad-model-name\]: Cannot register a model named .*(cannot be part of|starts or ends with a space)/,
    );
    assert.match(r.stderr, /hint: (--name takes|a stray space)/);
  }
  assert.deepEqual(await registeredNames(), []);
});

Deno.test("models register: a --tag the registry would refuse names the flag and the key, shortened", async () => {
  const cases: [string, RegExp][] = [
    [
      `note=${"x".repeat(6000)}`,
      /--tag "note": the value "x{40}…x{10}" has 6000 characters, more than the registry's limit of 5000\n/,
    ],
    [
      `${"k".repeat(300)}=v`,
      /--tag "k{40}…k{10}": the key has 300 characters, more than the registry's limit of 250\n/,
    ],
    [
      "a*b=v",
      /--tag "a\*b": the registry refuses it: Invalid value "a\*b" for parameter 'key' supplied: Names may only/,
    ],
  ];
  for (const [tag, message] of cases) {
    const r = await kmlf(["models", "register", "-m", t.modelUri, "-n", "tagged", "--tag", tag], {
      cwd: t.project,
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /error\[cli\/bad-tag\]: /);
    assert.match(r.stderr, message);
    assert.ok(r.stderr.length < 400, r.stderr);
  }
  assert.deepEqual(await registeredNames(), []);
});

Deno.test("models register: a version the registry refuses leaves no empty registered model", async () => {
  // The source names a version that does not exist: the registry refuses it after creating the model.
  const r = await kmlf(["models", "register", "-m", "models:/nowhere/1", "-n", "fresh"], { cwd: t.project });
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /Unable to fetch model from model URI source artifact location 'models:\/nowhere\/1'/,
  );
  assert.deepEqual(await registeredNames(), [], "the model created for the version is removed again");
  const ok = await kmlf(["models", "register", "-m", t.modelUri, "-n", "fresh"], { cwd: t.project });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), "models:/fresh/1");
});

Deno.test("models predict: a JSON file that is not JSON, or an output it cannot write, names the flag", async () => {
  const bad = join(t.base, "bad.json");
  await Deno.writeTextFile(bad, '[{"petal_length": 1.4}');
  const r = await kmlf(["models", "predict", "-m", t.modelUri, "-i", bad], { cwd: t.project });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /error\[cli\/input-bad-json\]: --input-path .*bad\.json is not valid JSON: /);
  assert.doesNotMatch(r.stderr, /internal/);
  const out = await kmlf(
    [
      "models",
      "predict",
      "-m",
      t.modelUri,
      "-i",
      "data/instances.csv",
      "-o",
      join(t.base, "no/such/dir/p.json"),
    ],
    { cwd: t.project },
  );
  assert.equal(out.code, 2, out.stderr);
  assert.match(out.stderr, /error\[cli\/output-unwritable\]: Cannot write --output-path .*p\.json/);
  assert.match(out.stderr, /hint: create its folder first/);
});

Deno.test("models alias: a model without versions says so, and a padded version number is read as the number", async () => {
  const store = await openStore(`sqlite:///${t.store}`, { baseDir: t.base });
  try {
    await store.registry.createRegisteredModel("empty");
  } finally {
    await store.close();
  }
  const r = await kmlf(["models", "alias", "empty", "champion", "latest"], { cwd: t.project });
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /hint: .*"empty" has no versions yet: kmlf models register -m runs:\/<run_id>\/model -n empty/,
  );
  assert.equal(
    (await kmlf(["models", "register", "-m", t.modelUri, "-n", "padded"], { cwd: t.project })).code,
    0,
  );
  const padded = await kmlf(["models", "alias", "padded", "champion", " 1"], { cwd: t.project });
  assert.equal(padded.code, 0, padded.stderr);
  assert.match(padded.stderr, /models:\/padded@champion → version 1$/m);
});
