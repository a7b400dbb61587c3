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
  // "01" is version 1 again: no "(was version 1)" for an alias that did not move.
  const zero = await kmlf(["models", "alias", "padded", "champion", "01"], { cwd: t.project });
  assert.equal(zero.code, 0, zero.stderr);
  assert.match(zero.stderr, /models:\/padded@champion → version 1$/m);
});

Deno.test("models alias: an unknown version of a model whose name holds ',' or ')' lists that model's versions", async () => {
  const name = "iris, v2 (rules)";
  assert.equal(
    (await kmlf(["models", "register", "-m", t.modelUri, "-n", name], { cwd: t.project })).code,
    0,
  );
  const r = await kmlf(["models", "alias", name, "champion", "5"], { cwd: t.project });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /hint: .*"iris, v2 \(rules\)" has versions up to 1\n/);
});

Deno.test("models alias: a version or alias the registry refuses names the argument; removing an unset alias says so", async () => {
  const cases: [string[], RegExp, RegExp][] = [
    [
      ["iris", "champion", "1.5"],
      /error\[cli\/bad-version\]: .*version "1\.5": a version is a whole number/,
      /latest/,
    ],
    [["iris", "champion", "--", "-1"], /error\[cli\/bad-version\]: .*version "-1"/, /alias iris champion 2/],
    [["iris", "champion", "v2"], /error\[cli\/bad-version\]: .*version "v2"/, /alias iris champion 2/],
    [
      ["iris", "v2", "1"],
      /error\[cli\/bad-alias\]: Cannot use alias "v2": Version alias name 'v2' is reserved/,
      /champion/,
    ],
    [
      ["iris", "bad alias", "1"],
      /error\[cli\/bad-alias\]: Cannot use alias "bad alias": Invalid alias name/,
      /champion/,
    ],
    [["iris", "latest", "--delete"], /error\[cli\/bad-alias\]: Cannot use alias "latest"/, /champion/],
  ];
  for (const [args, message, hint] of cases) {
    const r = await kmlf(["models", "alias", ...args], { cwd: t.project });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message, args.join(" "));
    assert.match(r.stderr.split("hint:")[1] ?? "", hint, args.join(" "));
  }
  assert.equal(
    (await kmlf(["models", "register", "-m", t.modelUri, "-n", "aliased"], { cwd: t.project })).code,
    0,
  );
  assert.equal((await kmlf(["models", "alias", "aliased", "champion", "1"], { cwd: t.project })).code, 0);
  const unset = await kmlf(["models", "alias", "aliased", "challenger", "--delete"], { cwd: t.project });
  assert.equal(unset.code, 0, unset.stderr);
  assert.match(
    unset.stderr,
    /"aliased" has no alias "challenger": nothing to remove \(its aliases: champion → 1\)/,
  );
  const removed = await kmlf(["models", "alias", "aliased", "champion", "--delete"], { cwd: t.project });
  assert.match(removed.stderr, /Alias "champion" of "aliased" removed \(it pointed at version 1\)/);
});

Deno.test("models register: a models:/ source whose files are gone is refused, registering nothing", async () => {
  const store = await openStore(`sqlite:///${t.store}`, { baseDir: t.base });
  try {
    const root = (await store.getRun(t.runId)).info.artifactUri;
    await store.registry.createRegisteredModel("hollow");
    await store.registry.createModelVersion("hollow", `${root}/lost`, { runId: t.runId });
  } finally {
    await store.close();
  }
  const r = await kmlf(["models", "register", "-m", "models:/hollow/1", "-n", "copy"], { cwd: t.project });
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /error\[cli\/register-no-model\]: Cannot register models:\/hollow\/1: the files of "hollow" version 1 are gone from .*lost \(no MLmodel file there\)/,
  );
  assert.ok(!(await registeredNames()).includes("copy"));
  // Loading it says which version has no files, not which run path (the user typed none).
  const p = await kmlf(["models", "predict", "-m", "models:/hollow/1", "-i", "data/instances.csv"], {
    cwd: t.project,
  });
  assert.equal(p.code, 2, p.stderr);
  assert.match(
    p.stderr,
    /error\[model\/version-files-missing\]: Cannot load models:\/hollow\/1: registered model "hollow" version 1 has no model/,
  );
});

Deno.test("models predict: input the model refuses names the file, its columns and a request it takes", async () => {
  const split = join(t.base, "input_example.json");
  await Deno.writeTextFile(split, '{"columns": ["petal_length"], "data": [[1.4]]}');
  const r = await kmlf(["models", "predict", "-m", t.modelUri, "-i", split], { cwd: t.project });
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /error\[model\/bad-request\]: The input must be a JSON dictionary with exactly one of/,
  );
  const hint = r.stderr.split("hint: ")[1];
  assert.match(
    hint,
    /^fix --input-path .*input_example\.json; it holds pandas' split orient .*\{"dataframe_split": …\}/,
  );
  assert.match(hint, /the model's input columns are sepal_length, sepal_width, petal_length, petal_width/);
  assert.match(hint, /a request it takes: .*serving_input_example\.json/);
  const csv = join(t.base, "short.csv");
  await Deno.writeTextFile(csv, "sepal_length\n5.1\n");
  const missing = await kmlf(["models", "predict", "-m", t.modelUri, "-i", csv], { cwd: t.project });
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /Model is missing inputs/);
  assert.match(
    missing.stderr,
    /hint: fix --input-path .*short\.csv; the model's input columns are sepal_length/,
  );
});

Deno.test("models predict: an input that is not UTF-8 is refused as the scoring server refuses the body", async () => {
  const header = "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n";
  // Excel's "Unicode text" (UTF-16 with a byte-order mark), and Latin-1: once read as U+FFFD column names.
  const utf16 = new Uint8Array([0xff, 0xfe, ...[...header].flatMap((c) => [c.charCodeAt(0), 0])]);
  const latin1 = new Uint8Array([...`s\xe9pal,${header}`].map((c) => c.charCodeAt(0)));
  for (
    const [name, bytes, which] of [["u16.csv", utf16, / \(it is UTF-16\)\n/], [
      "l1.csv",
      latin1,
      /text\n/,
    ]] as const
  ) {
    const path = join(t.base, name);
    await Deno.writeFile(path, bytes);
    const r = await kmlf(["models", "predict", "-m", t.modelUri, "-i", path], { cwd: t.project });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`error\\[cli/input-unreadable\\]: --input-path .*${name} is not UTF-8`),
    );
    assert.match(r.stderr, which);
    assert.match(r.stderr, /hint: save the CSV or JSON as UTF-8/);
  }
  // A UTF-8 byte-order mark is fine (Excel's "CSV UTF-8").
  const bom = join(t.base, "bom.csv");
  await Deno.writeFile(bom, new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(header)]));
  const ok = await kmlf(["models", "predict", "-m", t.modelUri, "-i", bom], { cwd: t.project });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), '{"predictions": [{"prediction": "setosa", "probability": 0.9}]}');
});

Deno.test("models register / alias outside a store refuse to create one", async () => {
  const empty = await Deno.makeTempDir({ prefix: "kmlf-no-store-" });
  try {
    for (
      const args of [
        ["models", "alias", "iris", "champion", "1"],
        ["models", "alias", "iris", "champion", "--delete"],
        ["models", "register", "-m", `runs:/${t.runId}/model`, "-n", "iris"],
      ]
    ) {
      const r = await kmlf(args, { cwd: empty, env: { MLFLOW_TRACKING_URI: "" } });
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /error\[cli\/mlflow-no-store\]: No tracking store at sqlite:\/\/\/mlflow\.db .*does not exist/,
      );
      assert.deepEqual([...Deno.readDirSync(empty)], [], "no empty mlflow.db left behind");
    }
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});
