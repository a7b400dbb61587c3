/**
 * What an inference pipeline returns reaches the client as MLflow sends numpy arrays and frames: typed
 * arrays as lists, a Map as an object, a BigInt as a number, a Date as ISO text — and an output with no JSON
 * form is the model's 500 naming its place, never `{}` or a function's source in a 200.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadModel, scoringHandler } from "../../lib/models/mod.ts";
import { openStore } from "../../lib/tracking/mod.ts";
import { kmlf } from "../cli_harness.ts";
import { trainedRulesProject } from "./model_helpers.ts";

// petal_width picks what the node returns.
const PREDICT = [
  'import type { Rule } from "./shared.ts";',
  "export function applyRule(_rule: Rule, instances: Record<string, number>[]) {",
  "  switch (instances[0].petal_width) {",
  "    case 1: return new Float64Array([0.25, 0.75]);",
  '    case 2: return new Map([["setosa", 0.9]]);',
  "    case 3: return [{ count: 12n, at: new Date(Date.UTC(2026, 0, 2)) }];",
  "    case 4: return [{ explain: () => 1 }];",
  "    case 5: return [{ setosa: true, virginica: false, score: NaN, margin: -Infinity }];",
  "    default: return instances.map(() => ({ prediction: 'setosa' }));",
  "  }",
  "}",
  "",
].join("\n");

const t = await trainedRulesProject({ "pipelines/rules/predict.ts": PREDICT });
const store = await openStore(`sqlite:///${t.store}`, { baseDir: t.base });
const model = await loadModel(t.modelUri, { store, cacheDir: join(t.base, "cache") });
await store.close();
globalThis.addEventListener("unload", () => Deno.removeSync(t.base, { recursive: true }));
const handler = scoringHandler(model);

async function invoke(petalWidth: number) {
  const row = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: petalWidth };
  const res = await handler(
    new Request("http://127.0.0.1/invocations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ dataframe_records: [row] }),
    }),
  );
  return { status: res.status, text: await res.text() };
}

Deno.test("typed arrays, Maps, BigInts and Dates are answered as JSON carries them", async () => {
  assert.deepEqual(await invoke(1), { status: 200, text: '{"predictions": [0.25, 0.75]}' });
  assert.deepEqual(await invoke(2), { status: 200, text: '{"predictions": {"setosa": 0.9}}' });
  assert.deepEqual(await invoke(3), {
    status: 200,
    text: '{"predictions": [{"count": 12, "at": "2026-01-02T00:00:00.000Z"}]}',
  });
});

Deno.test("an output with no JSON form is the model's 500 naming where it is", async () => {
  const res = await invoke(4);
  assert.equal(res.status, 500, res.text);
  assert.deepEqual(JSON.parse(res.text), {
    error_code: "INTERNAL_ERROR",
    message: "The model's output cannot be sent as JSON: predictions[0].explain is a function",
  });
});

Deno.test("kmlf models predict writes the same values to JSON and CSV, and fails on the same output", async () => {
  await Deno.writeTextFile(
    join(t.base, "in.csv"),
    "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,3\n",
  );
  const json = await kmlf(["models", "predict", "-m", t.modelUri, "-i", join(t.base, "in.csv")], {
    cwd: t.project,
  });
  assert.equal(
    json.stdout,
    '{"predictions": [{"count": 12, "at": "2026-01-02T00:00:00.000Z"}]}\n',
    json.stderr,
  );
  const out = join(t.base, "out.csv");
  const csv = await kmlf(["models", "predict", "-m", t.modelUri, "-i", join(t.base, "in.csv"), "-o", out], {
    cwd: t.project,
  });
  assert.equal(csv.code, 0, csv.stderr);
  assert.equal(await Deno.readTextFile(out), "count,at\n12,2026-01-02T00:00:00.000Z\n");
  await Deno.writeTextFile(
    join(t.base, "bad.csv"),
    "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,4\n",
  );
  const bad = await kmlf(["models", "predict", "-m", t.modelUri, "-i", join(t.base, "bad.csv")], {
    cwd: t.project,
  });
  assert.equal(bad.code, 1);
  assert.match(
    bad.stderr,
    /error\[model\/bad-output\]: The model's output cannot be sent as JSON: predictions\[0\]\.explain is a function/,
  );
});

Deno.test("kmlf models predict -o x.csv writes booleans, NaN and infinities as pandas' to_csv does", async () => {
  const input = join(t.base, "flags.csv");
  await Deno.writeTextFile(input, "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,5\n");
  const out = join(t.base, "flags_out.csv");
  const r = await kmlf(["models", "predict", "-m", t.modelUri, "-i", input, "-o", out], { cwd: t.project });
  assert.equal(r.code, 0, r.stderr);
  // pandas reads True/False back as booleans and the empty cell as NaN (1/0 would be integers).
  assert.equal(await Deno.readTextFile(out), "setosa,virginica,score,margin\nTrue,False,,-inf\n");
});
