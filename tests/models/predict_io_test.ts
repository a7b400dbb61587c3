/**
 * `kmlf models predict`'s input as `mlflow models predict` takes it: from stdin when --input-path is left
 * out (or is `-`), JSON written by Python's json.dump (NaN/Infinity tokens, in a list of records too), and
 * an empty stdin said as such.
 */
import assert from "node:assert/strict";
import { CLI_PATH } from "../cli_harness.ts";
import { trainedRulesProject } from "./model_helpers.ts";

const t = await trainedRulesProject();
globalThis.addEventListener("unload", () => Deno.removeSync(t.base, { recursive: true }));

const COLUMNS = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

async function predict(args: string[], stdin: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--quiet", CLI_PATH, "models", "predict", "-m", t.modelUri, ...args],
    cwd: t.project,
    env: { NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const out = await child.output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

const labels = (stdout: string) =>
  JSON.parse(stdout).predictions.map((p: { prediction: string }) => p.prediction);

Deno.test("without --input-path, or with -, the input is read from stdin (JSON, or CSV with -t csv)", async () => {
  const json = JSON.stringify({ dataframe_split: { columns: COLUMNS, data: [[5.1, 3.5, 1.4, 0.2]] } });
  const r = await predict([], json);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(labels(r.stdout), ["setosa"]);
  const csv = await predict(["-i", "-", "-t", "csv"], `${COLUMNS.join(",")}\n6.7,3.0,5.2,2.3\n`);
  assert.equal(csv.code, 0, csv.stderr);
  assert.deepEqual(labels(csv.stdout), ["virginica"]);
});

Deno.test("an empty stdin is an error that says how to give the input", async () => {
  const r = await predict([], "");
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /error\[cli\/input-unreadable\]: No input: --input-path is not given and stdin is empty/,
  );
});

Deno.test("JSON written by Python's json.dump (Infinity, NaN) is read as MLflow reads it", async () => {
  const records = `[{"sepal_length": Infinity, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}]`;
  const ok = await predict([], records);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(labels(ok.stdout), ["setosa"]);
  // NaN in a required column is a missing value, not a JSON error.
  const nan = await predict([], records.replace("Infinity", "NaN"));
  assert.equal(nan.code, 2);
  assert.match(
    nan.stderr,
    /Column 'sepal_length' is required by the model signature, but row 0 has no value \(NaN\)/,
  );
  const bad = await predict([], "{nope");
  assert.match(bad.stderr, /error\[cli\/input-bad-json\]: standard input is not valid JSON/);
});
