/**
 * Replays the exchanges recorded between MLflow 2.17.2's Python client and `mlflow server`
 * (/work/shared/fixtures/mlflow-2.17.2/rest): a local server answers with the recorded responses,
 * the RestStore makes the same calls, and each request it sends must match the recorded request
 * (method, path, query, JSON body with its types: int64 as numbers, ids as strings, NaN as "NaN").
 *
 * Not replayed as requests: 001/002 (`/health`, `/version`: not store calls), 008 and 010–012
 * (`log-parameter` / `log-metric`: kmlf logs through `log-batch`, but for a lone param outside a batch,
 * which 033 checks with its recorded request and answer), 035 (the `/ajax-api` prefix is the web UI's).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { HttpArtifactRepository, RestStore } from "../../lib/tracking/mod.ts";
import { type ReceivedRequest, ScriptedServer } from "./rest_test_server.ts";
import { rejection } from "./rest_test_server.ts";
import { type Exchange, loadExchange } from "../rest_exchanges.ts";

const RUN_ID = "9cbcbf180edd44728f11c457696f7fd1";
const ARTIFACT_URI = `mlflow-artifacts:/1/${RUN_ID}/artifacts`;
const fixture = loadExchange;

function recordedResponse(exchange: Exchange): Response {
  const body = typeof exchange.response_body === "string"
    ? exchange.response_body
    : JSON.stringify(exchange.response_body);
  return new Response(body, { status: exchange.status, headers: exchange.response_headers });
}

function queryObject(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

/** Asserts that the request the store sent is the recorded one. */
function assertSameRequest(sent: ReceivedRequest, recorded: Exchange, label: string): void {
  assert.equal(sent.method, recorded.method, label);
  assert.equal(sent.path, recorded.path, label);
  assert.deepEqual(queryObject(sent.query), recorded.query, `${label}: query`);
  assert.match(sent.headers.get("user-agent") ?? "", /^kmlf\/\d+\.\d+\.\d+/, label);
  const contentType = recorded.request_headers["content-type"];
  if (contentType) assert.equal(sent.headers.get("content-type"), contentType, `${label}: content-type`);
  const body = recorded.request_body;
  if (body === null) assert.equal(sent.body.length, 0, `${label}: no body`);
  else if (typeof body === "string") {
    const bytes = Number(body.match(/^<(\d+) bytes>$/)?.[1]);
    assert.equal(sent.body.length, bytes, `${label}: raw body size`);
  } else {
    assert.deepEqual(JSON.parse(new TextDecoder().decode(sent.body)), body, `${label}: JSON body`);
  }
}

/** Runs `call` against recorded answers and checks each request it sends against the recording. */
async function step<T>(
  server: ScriptedServer,
  prefixes: string[],
  call: () => Promise<T>,
): Promise<T> {
  const exchanges = await Promise.all(prefixes.map(fixture));
  const start = server.received.length;
  server.answer(...exchanges.map((e) => () => recordedResponse(e)));
  const result = await call();
  const sent = server.received.slice(start);
  assert.equal(sent.length, exchanges.length, `${prefixes.join("+")}: request count`);
  exchanges.forEach((e, i) => assertSameRequest(sent[i], e, prefixes[i]));
  return result;
}

Deno.test({
  name: "the REST store sends what MLflow's client sent and decodes what MLflow's server answered",
}, async () => {
  const server = new ScriptedServer();
  const tmp = await Deno.makeTempDir({ prefix: "kmlf-rest-replay-" });
  const store = new RestStore(server.url, { maxRetries: 0, env: () => undefined });
  try {
    // set_experiment('rest-demo'): get-by-name 404 → create → get; then found by name
    assert.equal(await step(server, ["003"], () => store.getExperimentByName("rest-demo")), undefined);
    assert.equal(await step(server, ["004"], () => store.createExperiment("rest-demo")), "1");
    const experiment = await step(server, ["005"], () => store.getExperiment("1"));
    assert.deepEqual(
      { ...experiment, creationTime: typeof experiment.creationTime },
      {
        experimentId: "1",
        name: "rest-demo",
        artifactLocation: "mlflow-artifacts:/1",
        lifecycleStage: "active",
        creationTime: "number",
        lastUpdateTime: 1795349808596,
        tags: {},
      },
    );
    assert.deepEqual(await step(server, ["006"], () => store.getExperimentByName("rest-demo")), experiment);

    // start_run(run_name='rest-run')
    const created = await step(server, ["007"], () =>
      store.createRun({
        experimentId: "1",
        userId: "root",
        runName: "rest-run",
        startTime: 1795349808819,
        tags: {
          "mlflow.user": "root",
          "mlflow.source.name": "record_rest_client.py",
          "mlflow.source.type": "LOCAL",
          team: "ml",
          "mlflow.runName": "rest-run",
        },
      }));
    assert.equal(created.info.runId, RUN_ID);
    assert.equal(created.info.status, "RUNNING");
    assert.equal(created.info.endTime, null);
    assert.equal(created.info.artifactUri, ARTIFACT_URI);
    assert.equal(created.data.tags.team, "ml");

    // logging
    await step(server, ["009"], () =>
      store.logBatch(RUN_ID, {
        params: [{ key: "l1_ratio", value: "0.1" }, { key: "model", value: "elasticnet" }],
      }));
    await step(server, ["013"], () =>
      store.logBatch(RUN_ID, {
        metrics: [
          { key: "acc", value: 0.93, timestamp: 1795349809641, step: 0 },
          { key: "f1", value: 0.9, timestamp: 1795349809641, step: 0 },
        ],
      }));
    await step(server, ["014"], () => store.setTag(RUN_ID, "stage", "dev"));
    await step(server, ["015"], () =>
      store.logBatch(RUN_ID, {
        metrics: [
          { key: "nan_metric", value: NaN, timestamp: 1700000000000, step: 0 },
          { key: "neg_metric", value: -1.5, timestamp: 1700000000000, step: 0 },
          { key: "huge_metric", value: 1e300, timestamp: 1700000000000, step: 0 },
        ],
        params: [{ key: "batch_param", value: "x" }],
        tags: [{ key: "batch_tag", value: "y" }],
      }));

    // log_artifact / log_dict through the artifact proxy
    const run = await step(server, ["016"], () => store.getRun(RUN_ID));
    const repo = store.getArtifactRepository(run.info.artifactUri);
    assert.ok(repo instanceof HttpArtifactRepository);
    assert.equal(repo.rootUri, ARTIFACT_URI);
    const notes = join(tmp, "notes.txt");
    await Deno.writeTextFile(notes, "hello artifact\n");
    await step(server, ["017"], () => repo.logArtifact(notes));
    await step(server, ["018"], () => repo.logArtifact(notes, "sub/dir"));
    const config = JSON.stringify({ a: 1, b: [1, 2, 3], c: { d: "e" } }).padEnd(39, " ");
    await step(server, ["019"], () => repo.writeArtifact("cfg/config.json", config));

    // end_run()
    await step(server, ["020"], () => store.getRun(RUN_ID));
    const ended = await step(
      server,
      ["021"],
      () => store.updateRun(RUN_ID, { status: "FINISHED", endTime: 1795349810074 }),
    );
    assert.equal(ended.status, "FINISHED");
    assert.equal(ended.endTime, 1795349810074);

    // reading back
    const finished = await step(server, ["022"], () => store.getRun(RUN_ID));
    assert.equal(finished.info.endTime, 1795349810074);
    assert.equal(finished.data.metrics.loss, 0.3333);
    assert.deepEqual(finished.data.latestMetrics.loss, {
      key: "loss",
      value: 0.3333,
      timestamp: 1795349809580,
      step: 2,
    });
    assert.ok(Number.isNaN(finished.data.metrics.nan_metric));
    assert.equal(finished.data.metrics.huge_metric, 1e300);
    assert.equal(finished.data.metrics.neg_metric, -1.5);
    assert.deepEqual(finished.data.params, {
      alpha: "0.5",
      l1_ratio: "0.1",
      model: "elasticnet",
      batch_param: "x",
    });
    assert.equal(finished.data.tags.batch_tag, "y");
    assert.deepEqual(finished.inputs, { datasetInputs: [] });

    const found = await step(server, ["023"], () =>
      store.searchRuns({
        experimentIds: ["1"],
        runViewType: "ACTIVE_ONLY",
        filter: "params.alpha = '0.5' and metrics.acc > 0.9",
        maxResults: 10,
        orderBy: ["metrics.acc DESC"],
      }));
    assert.deepEqual(found.runs, [finished]);
    assert.equal(found.nextPageToken, undefined);

    const history = await step(server, ["024"], () => store.getMetricHistory(RUN_ID, "loss"));
    assert.deepEqual(history.metrics.map((m) => [m.value, m.step]), [[1, 0], [0.5, 1], [0.3333, 2]]);
    assert.equal(history.nextPageToken, undefined);

    assert.deepEqual(await step(server, ["025"], () => repo.listArtifacts()), [
      { path: "cfg", isDir: true, fileSize: null },
      { path: "notes.txt", isDir: false, fileSize: 15 },
      { path: "sub", isDir: true, fileSize: null },
    ]);
    assert.deepEqual(await step(server, ["026"], () => repo.listArtifacts("sub/dir")), [
      { path: "sub/dir/notes.txt", isDir: false, fileSize: 15 },
    ]);
    const downloaded = await step(server, ["027", "028"], () => repo.downloadArtifacts("notes.txt", tmp));
    assert.equal(downloaded, join(tmp, "notes.txt"));
    assert.equal(await Deno.readTextFile(downloaded), "hello artifact\n");

    // delete / restore
    await step(server, ["029"], () => store.deleteRun(RUN_ID));
    const deleted = await step(server, ["030"], () => store.getRun(RUN_ID));
    assert.equal(deleted.info.lifecycleStage, "deleted");
    await step(server, ["031"], () => store.restoreRun(RUN_ID));

    // errors
    const missing = await step(
      server,
      ["032"],
      () => rejection(store.getRun("0123456789abcdef0123456789abcdef")),
    );
    assert.equal(missing.code, "RESOURCE_DOES_NOT_EXIST");
    assert.match(missing.message, /Run with id=0123456789abcdef0123456789abcdef not found/);
    const duplicate = await step(server, ["034"], () => rejection(store.createExperiment("rest-demo")));
    assert.equal(duplicate.code, "RESOURCE_ALREADY_EXISTS");
    assert.match(duplicate.message, /^Experiment\(name=rest-demo\) already exists/);
    assert.equal(server.pending, 0);
  } finally {
    await store.close();
    await server.close();
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test({
  name: "a lone param goes as MLflow's log_param request, and its 'Changing param values' answer decodes",
}, async () => {
  const server = new ScriptedServer();
  const store = new RestStore(server.url, { maxRetries: 0, env: () => undefined });
  try {
    const recorded = await fixture("033");
    server.answer(() => recordedResponse(recorded));
    const error = await rejection(store.logBatch(RUN_ID, { params: [{ key: "alpha", value: "0.9" }] }));
    assert.equal(error.code, "INVALID_PARAMETER_VALUE");
    assert.match(error.message, /^Changing param values is not allowed. Param with key='alpha'/);
    const [sent] = server.received;
    assert.equal(sent.path, recorded.path);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(sent.body)), recorded.request_body);
  } finally {
    await store.close();
    await server.close();
  }
});
