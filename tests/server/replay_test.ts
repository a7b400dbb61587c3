/**
 * Replays the exchanges recorded between the MLflow 2.17.2 Python client and `mlflow server`
 * (../shared/fixtures/mlflow-2.17.2/rest/) against kmlf's handler: same statuses, same JSON shapes
 * (keys and value types), same error codes; ids and times aside.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { serverFixture } from "./server_harness.ts";
import { type Exchange, exchangeFiles, REST_FIXTURES } from "../rest_exchanges.ts";

/** The structure of a JSON value: object keys, array element shapes, scalar types. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return [...new Set(value.map((v) => JSON.stringify(shape(v))))].sort();
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value).sort().map((k) => [k, shape((value as Record<string, unknown>)[k])]),
    );
  }
  // Metric values may be "NaN"/"Infinity" strings or numbers: both are a double on the wire.
  return typeof value;
}

const UPLOADS: Record<string, string> = {
  "notes.txt": "hello artifact\n",
  "config.json": JSON.stringify({ a: 1, b: [1, 2] }),
};

Deno.test("replaying the recorded MLflow 2.17.2 REST exchanges gives the same statuses and shapes", async () => {
  const files = exchangeFiles();
  assert.deepStrictEqual(files.length, 35);
  const fx = await serverFixture();
  let recordedRunId = "";
  let runId = "";
  const swap = (text: string) => (recordedRunId ? text.replaceAll(recordedRunId, runId) : text);
  try {
    for (const file of files) {
      const ex: Exchange = JSON.parse(await Deno.readTextFile(new URL(file, REST_FIXTURES)));
      const url = new URL(`http://127.0.0.1:5000${swap(ex.path)}`);
      for (const [k, v] of Object.entries(ex.query)) {
        for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, swap(item));
      }
      let body: BodyInit | undefined;
      if (ex.method === "PUT") body = UPLOADS[ex.path.split("/").at(-1)!];
      else if (ex.request_body !== null) body = swap(JSON.stringify(ex.request_body));
      const response = await fx.handle(
        new Request(url, { method: ex.method, headers: ex.request_headers, body }),
      );
      assert.deepStrictEqual(response.status, ex.status, `${file}: status`);
      if (typeof ex.response_body === "string") {
        const text = await response.text();
        if (file.includes("health") || file.includes("download") || file.startsWith("028")) {
          assert.deepStrictEqual(text, ex.response_body, `${file}: body`);
        } else {
          assert(text.length > 0, `${file}: body`);
        }
        continue;
      }
      assert.deepStrictEqual(
        response.headers.get("content-type"),
        "application/json",
        `${file}: content type`,
      );
      const json = await response.json();
      assert.deepStrictEqual(shape(json), shape(ex.response_body), `${file}: shape`);
      const recorded = ex.response_body as Record<string, unknown>;
      if (recorded.error_code) {
        assert.deepStrictEqual(json.error_code, recorded.error_code, `${file}: error code`);
        const firstSentence = swap(String(recorded.message)).split(" Error:")[0];
        assert(String(json.message).startsWith(firstSentence), `${file}: message ${json.message}`);
      }
      const run = (recorded.run as { info: { run_id: string } } | undefined)?.info;
      if (file.includes("runs-create")) {
        recordedRunId = run!.run_id;
        runId = json.run.info.run_id;
        assert.deepStrictEqual(json.run.info.artifact_uri, `mlflow-artifacts:/1/${runId}/artifacts`);
      }
    }
    // The uploads landed under the artifacts destination, where MLflow's server puts them.
    assert.deepStrictEqual(
      await Deno.readTextFile(
        join(fx.artifactsDestination, "1", runId, "artifacts", "sub", "dir", "notes.txt"),
      ),
      "hello artifact\n",
    );
  } finally {
    await fx.dispose();
  }
});
