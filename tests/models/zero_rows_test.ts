/**
 * A request with the signature's columns and no rows is an empty frame, as MLflow 2.17.2 builds it: the
 * schema holds (the columns are there), the inference pipeline runs on zero rows and the answer is
 * `{"predictions": []}`. A body naming no columns (`dataframe_records: []`, `instances: []`) keeps MLflow's
 * "Model is missing inputs" 400, quoting the frame as pandas prints it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { scoringHandler } from "../../lib/models/mod.ts";
import { demoProject, kmlf } from "../cli_harness.ts";
import { loadedRulesModel } from "./model_helpers.ts";

const { model } = await loadedRulesModel();
const handler = scoringHandler(model, { maxBodyBytes: 1 << 20, allowedHosts: ["127.0.0.1"] });

const COLUMNS = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
const EMPTY_BODIES: [string, string, string][] = [
  [
    "dataframe_split",
    JSON.stringify({ dataframe_split: { columns: COLUMNS, data: [] } }),
    "application/json",
  ],
  ["inputs", JSON.stringify({ inputs: Object.fromEntries(COLUMNS.map((c) => [c, []])) }), "application/json"],
  ["csv", `${COLUMNS.join(",")}\n`, "text/csv"],
  ["csv with extra column", `${COLUMNS.join(",")},note\n`, "text/csv"],
];

async function invoke(body: string, contentType = "application/json") {
  const res = await handler(
    new Request("http://127.0.0.1/invocations", {
      method: "POST",
      headers: { "content-type": contentType },
      body,
    }),
  );
  return { status: res.status, text: await res.text() };
}

for (const [name, body, contentType] of EMPTY_BODIES) {
  Deno.test(`zero rows with the signature's columns predict nothing: ${name}`, async () => {
    const res = await invoke(body, contentType);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text, '{"predictions": []}');
  });
}

Deno.test("zero rows naming no columns, or too few, are MLflow's 'missing inputs' 400", async () => {
  const schema = "'['sepal_length': double (required), 'sepal_width': double (required), " +
    "'petal_length': double (required), 'petal_width': double (required)]'";
  // MLflow quotes a frame as pandas prints it, the list or dict of an `instances` / `inputs` body as Python's
  // str(): parse_tf_serving_input makes no frame of them.
  const quotes: [unknown, string][] = [
    [{ dataframe_records: [] }, "Empty DataFrame\nColumns: []\nIndex: []"],
    [{ instances: [] }, "[]"],
    [{ inputs: [] }, "[]"],
    [{ inputs: {} }, "{}"],
  ];
  for (const [body, frame] of quotes) {
    const res = await invoke(JSON.stringify(body));
    assert.equal(res.status, 400, res.text);
    const answer = JSON.parse(res.text);
    assert.equal(answer.error_code, "INVALID_PARAMETER_VALUE");
    assert.equal(
      answer.message,
      `Failed to predict data '${frame}'. \nError: Failed to enforce schema of data '${frame}' with schema ` +
        `${schema}. Error: Model is missing inputs ${
          JSON.stringify(COLUMNS).replaceAll('"', "'").replaceAll(",", ", ")
        }.`,
    );
  }
  const res = await invoke(JSON.stringify({ dataframe_split: { columns: COLUMNS.slice(0, 3), data: [] } }));
  assert.equal(res.status, 400, res.text);
  const { message } = JSON.parse(res.text);
  assert.match(
    message,
    /^Failed to predict data 'Empty DataFrame\nColumns: \[sepal_length, sepal_width, petal_length\]\nIndex: \[\]'/,
  );
  assert.match(message, /Model is missing inputs \['petal_width'\]\.$/);
});

Deno.test("the demo's logged model predicts [] for zero rows through kmlf models predict", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const trainedDemo = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(trainedDemo.code, 0, trainedDemo.stderr);
    const uri = trainedDemo.stderr.match(/Model logged: (runs:\/\w+\/model)/)?.[1];
    assert.ok(uri, trainedDemo.stderr);
    const inputs: [string, string][] = [
      ["empty.csv", `${COLUMNS.join(",")}\n`],
      ["split.json", JSON.stringify({ dataframe_split: { columns: COLUMNS, data: [] } })],
      ["inputs.json", JSON.stringify({ inputs: Object.fromEntries(COLUMNS.map((c) => [c, []])) })],
    ];
    for (const [file, content] of inputs) {
      await Deno.writeTextFile(join(dir, file), content);
      const r = await kmlf(["models", "predict", "-m", uri, "-i", file], { cwd: dir });
      assert.equal(r.code, 0, `${file}: ${r.stderr}`);
      assert.equal(r.stdout, '{"predictions": []}\n', file);
    }
    await Deno.writeTextFile(join(dir, "records.json"), "[]");
    const r = await kmlf(["models", "predict", "-m", uri, "-i", "records.json"], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /Model is missing inputs \['sepal_length', 'sepal_width', 'petal_length', 'petal_width'\]/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
