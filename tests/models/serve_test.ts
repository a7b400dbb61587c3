/**
 * `kmlf models serve`: the scoring handler answers like MLflow 2.17.2's scoring server (the 15 recorded
 * exchanges), all input formats agree, bad requests name the column, a failing node is MLflow's 400 that
 * does not stop the server, bodies are limited, and concurrent requests never see each other's data.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadModel, scoringHandler } from "../../lib/models/mod.ts";
import { openStore } from "../../lib/tracking/mod.ts";
import { CLI_PATH } from "../cli_harness.ts";
import { loadedRulesModel, trainedRulesProject } from "./model_helpers.ts";

const FIXTURES = new URL("../fixtures/mlflow-2.17.2/model/scoring/", import.meta.url).pathname;

interface Exchange {
  name: string;
  request: { method: string; path: string; content_type: string | null; body: string | null };
  response: { status: number; content_type: string; body: string };
}

async function exchanges(): Promise<Exchange[]> {
  const names = (await Deno.readTextFile(join(FIXTURES, "index.txt"))).trim().split("\n").map((l) =>
    l.split(":")[0]
  );
  return await Promise.all(
    names.map(async (n) => JSON.parse(await Deno.readTextFile(join(FIXTURES, `${n}.json`)))),
  );
}

const { trained, model } = await loadedRulesModel();
const handler = scoringHandler(model, {
  maxBodyBytes: 4096,
  allowedHosts: ["localhost", "127.0.0.1", "::1"],
});

function request(
  method: string,
  path: string,
  contentType?: string | null,
  body?: string | null,
): Promise<Response> {
  return handler(
    new Request(`http://127.0.0.1${path}`, {
      method,
      headers: contentType ? { "content-type": contentType } : {},
      body: body ?? undefined,
    }),
  );
}

const invoke = (body: unknown, contentType = "application/json") =>
  request("POST", "/invocations", contentType, typeof body === "string" ? body : JSON.stringify(body));

// Python's JSONDecodeError text cannot be reproduced by a JS parser; the rest of the message is MLflow's.
const normalize = (name: string, body: string) =>
  name === "bad_json" ? body.replace(/Error: '.*?'\\nInput/, "Error: '<parser message>'\\nInput") : body;

for (const exchange of await exchanges()) {
  Deno.test(`scoring answers like mlflow models serve 2.17.2: ${exchange.name}`, async () => {
    const { method, path, content_type, body } = exchange.request;
    const res = await request(method, path, content_type, body);
    const text = await res.text();
    assert.equal(res.status, exchange.response.status, text);
    assert.equal(res.headers.get("content-type"), exchange.response.content_type);
    assert.equal(normalize(exchange.name, text), normalize(exchange.name, exchange.response.body));
  });
}

Deno.test("the four JSON formats and CSV give identical predictions", async () => {
  const columns = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
  const data = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [4.6, 3.1, 1.5, 0.2]];
  const records = data.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
  const bodies: [string, string][] = [
    [JSON.stringify({ dataframe_split: { columns, data } }), "application/json"],
    [JSON.stringify({ dataframe_records: records }), "application/json"],
    [JSON.stringify({ instances: records }), "application/json; charset=utf-8"],
    [
      JSON.stringify({ inputs: Object.fromEntries(columns.map((c, i) => [c, data.map((r) => r[i])])) }),
      "application/json",
    ],
    [JSON.stringify({ instances: data }), "application/json"],
    [[columns.join(","), ...data.map((r) => r.join(","))].join("\n") + "\n", "text/csv"],
  ];
  const answers = await Promise.all(bodies.map(async ([b, t]) => {
    const res = await invoke(b, t);
    assert.equal(res.status, 200);
    return await res.text();
  }));
  assert.equal(new Set(answers).size, 1, answers.join("\n"));
  assert.deepEqual(JSON.parse(answers[0]).predictions.map((p: { prediction: string }) => p.prediction), [
    "setosa",
    "virginica",
    "setosa",
  ]);
});

Deno.test("bad requests are 400s that name the column", async () => {
  const missing = await invoke({
    dataframe_records: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4 }],
  });
  assert.equal(missing.status, 400);
  assert.match((await missing.json()).message, /Model is missing inputs \['petal_width'\]/);
  const wrong = await invoke({
    dataframe_records: [{ sepal_length: 5.1, sepal_width: "x", petal_length: 1.4, petal_width: 1 }],
  });
  assert.equal(wrong.status, 400);
  const body = await wrong.json();
  assert.equal(body.error_code, "BAD_REQUEST");
  assert.match(body.message, /Failed to convert column sepal_width to type 'float64'/);
  const csvMissing = await invoke("sepal_length,petal_length\n5.1,1.4\n", "text/csv");
  assert.equal(csvMissing.status, 400);
  assert.match(await csvMissing.text(), /missing inputs \['sepal_width', 'petal_width'\]/);
  const split = await invoke({ dataframe_split: { columns: ["a"], data: [1] } });
  assert.equal(split.status, 400);
  assert.match((await split.json()).message, /'dataframe_split' must be a list of rows/);
});

Deno.test("extra columns are dropped before the pipeline runs, as MLflow does", async () => {
  const res = await invoke({
    dataframe_records: [{ id: 7, sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }],
  });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).predictions[0].prediction, "setosa");
});

Deno.test("a node that throws answers MLflow's 400 with the node and its error, and the next request is served", async () => {
  const bad = await invoke({
    dataframe_records: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: -1, petal_width: 0.2 }],
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.headers.get("content-type"), "application/json");
  const text = await bad.text();
  // MLflow 2.17's shape, in its order (mlflow/pyfunc/scoring_server: MlflowException with a stack_trace).
  assert.match(text, /^\{"error_code": "BAD_REQUEST", "message": "[^]*", "stack_trace": "[^]*"\}$/);
  const body = JSON.parse(text);
  assert.deepEqual(Object.keys(body), ["error_code", "message", "stack_trace"]);
  assert.equal(
    body.message,
    "Encountered an unexpected error while evaluating the model. Verify that the serialized input Dataframe " +
      'is compatible with the model for inference. Node "apply_rule" (./rules/predict.ts#applyRule) failed: ' +
      "petal_length must not be negative, got -1",
  );
  // The node's own error and where it was thrown, as MLflow sends Python's traceback.
  assert.match(
    body.stack_trace,
    /^Error: petal_length must not be negative, got -1\n\s+at [^]*predict\.ts:\d+/,
  );
  const ok = await invoke({
    dataframe_records: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1, petal_width: 0.2 }],
  });
  assert.equal(ok.status, 200);
});

Deno.test("bodies over the limit get 413, other hosts 403, other routes 404/405", async () => {
  const big = await invoke({
    dataframe_records: Array.from(
      { length: 100 },
      () => ({ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }),
    ),
  });
  assert.equal(big.status, 413);
  assert.equal((await big.json()).error_code, "REQUEST_LIMIT_EXCEEDED");
  const rebinding = await handler(
    new Request("http://evil.example/ping", { headers: { host: "evil.example" } }),
  );
  assert.equal(rebinding.status, 403);
  await rebinding.body?.cancel();
  assert.equal((await request("GET", "/nope")).status, 404);
  assert.equal((await request("GET", "/invocations")).status, 405);
});

Deno.test("concurrent requests each predict on their own catalog", async () => {
  const rows = (n: number) =>
    Array.from(
      { length: n },
      (_, i) => ({ sepal_length: 5, sepal_width: 3, petal_length: i % 2 ? 5.5 : 1.2, petal_width: i }),
    );
  const sizes = Array.from({ length: 48 }, (_, i) => 1 + (i % 7));
  const answers = await Promise.all(
    sizes.map(async (n) => (await (await invoke({ dataframe_records: rows(n) })).json()).predictions),
  );
  answers.forEach((predictions, i) => {
    assert.equal(predictions.length, sizes[i], `request ${i} got another request's rows`);
    predictions.forEach((p: { prediction: string }, j: number) =>
      assert.equal(p.prediction, j % 2 ? "virginica" : "setosa")
    );
  });
});

Deno.test("kmlf models serve binds loopback by default and answers /invocations", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--quiet",
      CLI_PATH,
      "models",
      "serve",
      "-m",
      trained.modelUri,
      "--port",
      "0",
    ],
    cwd: trained.project,
    env: { NO_COLOR: "1", KMLF_CACHE_DIR: join(trained.base, "cache") },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  try {
    while (!/listening on (http\S+)/.test(seen)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`server exited: ${seen}`);
      seen += value;
    }
    const url = seen.match(/listening on (http\S+)/)![1];
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/invocations`, {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n",
    });
    assert.equal(await res.text(), '{"predictions": [{"prediction": "setosa", "probability": 0.9}]}');
  } finally {
    child.kill("SIGINT");
    await child.status;
    await reader.cancel();
    await child.stderr.cancel();
  }
});

Deno.test("a timeout past setTimeout's limit (--timeout 3000000) still waits for a prediction", async () => {
  // A node that takes a few milliseconds: a 35-day timeout once became a 1 ms timer and answered 504.
  const slow = await trainedRulesProject({
    "pipelines/rules/slow.ts": [
      'import { applyRule } from "./predict.ts";',
      "export async function slowRule(rule: never, instances: Record<string, unknown>[]) {",
      "  await new Promise((resolve) => setTimeout(resolve, 30));",
      "  return applyRule(rule, instances);",
      "}",
      "",
    ].join("\n"),
    "pipelines/inference.yml": [
      "nodes:",
      "  - name: apply_rule",
      "    func: ./rules/slow.ts#slowRule",
      "    inputs: [rule, instances]",
      "    outputs: predictions",
      "",
    ].join("\n"),
  });
  try {
    const store = await openStore(`sqlite:///${slow.store}`, { baseDir: slow.base });
    const slowModel = await loadModel(slow.modelUri, { store, cacheDir: join(slow.base, "cache") });
    await store.close();
    const patient = scoringHandler(slowModel, { timeoutMs: 3_000_000 * 1000, allowedHosts: ["127.0.0.1"] });
    const res = await patient(
      new Request("http://127.0.0.1/invocations", {
        method: "POST",
        headers: { "content-type": "text/csv" },
        body: "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n",
      }),
    );
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(await res.text(), '{"predictions": [{"prediction": "setosa", "probability": 0.9}]}');
  } finally {
    await Deno.remove(slow.base, { recursive: true });
  }
});
