/**
 * How a scoring request reaches the model: MLflow's content-type rules and words (another charset, an
 * unknown parameter such as MLflow 1.x's format=pandas-split), Python's json.dumps NaN/Infinity tokens,
 * `"params": null`, a top-level list or scalar, gzip/deflate bodies (bounded after decompression), and
 * bodies that are not UTF-8 — each a prediction or a 4xx that says what to change.
 */
import assert from "node:assert/strict";
import { gzipSync as nodeGzip } from "node:zlib";
import { scoringHandler } from "../../lib/models/mod.ts";
import { loadedRulesModel } from "./model_helpers.ts";

const { model } = await loadedRulesModel();
const handler = scoringHandler(model, { maxBodyBytes: 4096 });

const gzipSync = (text: string) => new Uint8Array(nodeGzip(text));

const ROW = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
const OK = '{"predictions": [{"prediction": "setosa", "probability": 0.9}]}';

async function invoke(
  body: BodyInit,
  headers: Record<string, string> = { "content-type": "application/json" },
) {
  const res = await handler(new Request("http://127.0.0.1/invocations", { method: "POST", headers, body }));
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

Deno.test("content-type parameters answer as MLflow: another charset, then other parameters", async () => {
  const body = JSON.stringify({ dataframe_records: [ROW] });
  const latin = await invoke(body, { "content-type": "application/json; charset=latin-1" });
  assert.deepEqual(latin, {
    status: 415,
    type: "text/plain; charset=utf-8",
    text: "The scoring server only supports UTF-8",
  });
  const split = await invoke(body, { "content-type": "application/json; format=pandas-split" });
  assert.equal(split.status, 415);
  assert.match(
    split.text,
    /^Unrecognized content type parameters: format\. IMPORTANT: The MLflow Model scoring protocol has changed/,
  );
  for (const type of ["application/json; charset=UTF-8", 'application/json; charset="utf-8"']) {
    assert.deepEqual(await invoke(body, { "content-type": type }), {
      status: 200,
      type: "application/json",
      text: OK,
    });
  }
});

Deno.test("a body without Content-Type (requests.post(url, data=…)) is 415 naming the header to send", async () => {
  // A byte body gets no Content-Type of its own (a string would be text/plain).
  const bytes = new TextEncoder().encode(JSON.stringify({ dataframe_records: [ROW] }));
  assert.deepEqual(await invoke(bytes, {}), {
    status: 415,
    type: "text/plain; charset=utf-8",
    text:
      "This predictor only supports the following content types: Types: ['text/csv', 'application/json']. " +
      "Got no Content-Type header: send the body with Content-Type: application/json or text/csv.",
  });
});

Deno.test("Python's NaN and Infinity tokens are read as json.loads reads them", async () => {
  const columns = JSON.stringify(Object.keys(ROW));
  const inf = await invoke(
    `{"dataframe_split": {"columns": ${columns}, "data": [[Infinity, 3.5, 1.4, -Infinity]]}}`,
  );
  assert.equal(inf.status, 200, inf.text);
  // NaN in a required column is a missing value, said as such (not "invalid JSON").
  const nan = await invoke(`{"dataframe_split": {"columns": ${columns}, "data": [[NaN, 3.5, 1.4, 0.2]]}}`);
  assert.equal(nan.status, 400);
  assert.match(
    nan.text,
    /Column 'sepal_length' is required by the model signature, but row 0 has no value \(NaN\)/,
  );
  // Inside a string the token is text.
  const text = await invoke(
    `{"dataframe_records": [{"sepal_length": "NaN x", "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}]}`,
  );
  assert.match(text.text, /could not convert string to float: 'NaN x'/);
});

Deno.test("params null is no params, as MLflow pops it with None", async () => {
  assert.equal((await invoke(JSON.stringify({ dataframe_records: [ROW], params: null }))).text, OK);
  assert.equal((await invoke(JSON.stringify({ dataframe_records: [ROW], params: [1] }))).status, 400);
});

Deno.test("a top-level list or scalar says what it received and how to wrap it", async () => {
  const list = await invoke(JSON.stringify([ROW]));
  assert.equal(list.status, 400);
  assert.match(
    JSON.parse(list.text).message,
    /exactly one of the input fields .*\. Received a list\. Wrap a list of records as \{"dataframe_records": \[\.\.\.\]\}/,
  );
  const scalar = await invoke('"hello"');
  assert.match(JSON.parse(scalar.text).message, /Received unexpected input type '<class 'str'>'\./);
  const split = await invoke(JSON.stringify({ dataframe_split: { columns: "sepal_length", data: [[1]] } }));
  assert.match(JSON.parse(split.text).message, /with columns a list of names/);
});

Deno.test("gzip and deflate bodies are decompressed, within the body limit; other encodings are 415", async () => {
  const json = JSON.stringify({ dataframe_records: [ROW] });
  const gzip = await invoke(gzipSync(json), {
    "content-type": "application/json",
    "content-encoding": "gzip",
  });
  assert.equal(gzip.text, OK);
  const deflated = await new Response(
    new Blob([json]).stream().pipeThrough(new CompressionStream("deflate")),
  ).arrayBuffer();
  const deflate = await invoke(deflated, {
    "content-type": "application/json",
    "content-encoding": "deflate",
  });
  assert.equal(deflate.text, OK);
  // 5000 rows compress far below the 4096-byte limit; decompressed they exceed it.
  const many = gzipSync(JSON.stringify({ dataframe_records: Array.from({ length: 5000 }, () => ROW) }));
  assert.ok(many.byteLength < 4096);
  const bomb = await invoke(many, { "content-type": "application/json", "content-encoding": "gzip" });
  assert.equal(bomb.status, 413);
  const broken = await invoke("not gzip", { "content-type": "application/json", "content-encoding": "gzip" });
  assert.equal(broken.status, 400);
  assert.match(broken.text, /The body is not valid gzip data/);
  const br = await invoke("x", { "content-type": "application/json", "content-encoding": "br" });
  assert.equal(br.status, 415);
  assert.match(br.text, /Unsupported Content-Encoding 'br'/);
});

Deno.test("a body that is not UTF-8 is a 400 saying so, JSON and CSV alike", async () => {
  const latin1 = new Uint8Array([
    ...new TextEncoder().encode('{"dataframe_records": [{"caf'),
    0xe9,
    ...new TextEncoder().encode('": 1}]}'),
  ]);
  for (const type of ["application/json", "text/csv"]) {
    const res = await invoke(latin1, { "content-type": type });
    assert.equal(res.status, 400);
    assert.match(JSON.parse(res.text).message, /The body is not UTF-8 text/);
  }
});

Deno.test("CSV cells of the signature's columns are typed as pandas.read_csv(dtype=…) types them", async () => {
  const header = Object.keys(ROW).join(",");
  const csv = { "content-type": "text/csv" };
  assert.equal((await invoke(`${header}\n"5.1", 3.5,1.4,0.2\n`, csv)).text, OK);
  // "True" is no double (a JSON true would be 1.0, as pandas casts a bool column).
  const bool = await invoke(`${header}\nTrue,3.5,1.4,0.2\n`, csv);
  assert.equal(bool.status, 400);
  assert.match(
    JSON.parse(bool.text).message,
    /Failed to convert column sepal_length to type 'float64'.*could not convert string to float: 'True'/,
  );
  // A long line is pandas' tokenizing error (a short one is padded: scoring_inputs_test.ts).
  const ragged = await invoke(`${header}\n5.1,3.5,1.4,0.2\n5.1,3.5,1.4,0.2,1\n`, csv);
  assert.match(
    JSON.parse(ragged.text).message,
    /^Failed to parse input as a Pandas DataFrame\. .*Error: 'Error tokenizing data\. C error: Expected 4 fields in line 3, saw 5\n'$/s,
  );
});
