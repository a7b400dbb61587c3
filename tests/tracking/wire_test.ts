/**
 * The wire format against exchanges recorded from a real MLflow 2.17.2 server
 * (../shared/fixtures/mlflow-2.17.2/rest): kmlf reads every body and writes it back byte-identical.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TrackingError } from "../../lib/errors.ts";
import {
  doubleFromWire,
  doubleToWire,
  errorFromWire,
  errorToWire,
  experimentFromWire,
  experimentToWire,
  fileInfoFromWire,
  fileInfoToWire,
  int64FromWire,
  metricFromWire,
  metricToWire,
  mlflowError,
  runFromWire,
  runInfoFromWire,
  runInfoToWire,
  runStatusFromWire,
  runToWire,
  viewTypeFromWire,
} from "../../lib/tracking/mod.ts";

const REST = fileURLToPath(new URL("../fixtures/mlflow-2.17.2/rest", import.meta.url));

async function exchange(prefix: string): Promise<{ response_body: Record<string, unknown>; status: number }> {
  const name = [...Deno.readDirSync(REST)].find((e) => e.name.startsWith(prefix))!.name;
  return JSON.parse(await Deno.readTextFile(join(REST, name)));
}

Deno.test({
  name:
    "runs from MLflow's runs/get, runs/create and runs/search round-trip through the wire format unchanged",
  fn: async () => {
    for (const prefix of ["007", "016", "022", "030"]) {
      const body = (await exchange(prefix)).response_body as { run: Parameters<typeof runFromWire>[0] };
      const run = runFromWire(body.run);
      assert.deepEqual(runToWire(run), { inputs: {}, ...body.run }, prefix);
      assert.equal(JSON.stringify(runToWire(run).info), JSON.stringify(body.run.info), `${prefix} key order`);
    }
    const search = (await exchange("023")).response_body as { runs: Parameters<typeof runFromWire>[0][] };
    const run = runFromWire(search.runs[0]);
    assert.ok(Number.isNaN(run.data.metrics.nan_metric));
    assert.equal(run.data.metrics.huge_metric, 1e300);
    assert.equal(run.data.latestMetrics.loss.step, 2);
    assert.deepEqual(runToWire(run), search.runs[0]);
  },
});

Deno.test({
  name: "experiments, run infos, metric histories and artifact listings match MLflow's JSON",
  fn: async () => {
    const exp = (await exchange("005")).response_body.experiment as Parameters<typeof experimentFromWire>[0];
    assert.deepEqual(experimentToWire(experimentFromWire(exp)), exp);
    assert.equal(experimentFromWire(exp).experimentId, "1");
    const info = (await exchange("021")).response_body.run_info as Parameters<typeof runInfoFromWire>[0];
    assert.equal(JSON.stringify(runInfoToWire(runInfoFromWire(info))), JSON.stringify(info));
    const history = (await exchange("024")).response_body.metrics as Parameters<typeof metricFromWire>[0][];
    assert.deepEqual(history.map(metricFromWire).map(metricToWire), history);
    const files = (await exchange("025")).response_body.files as Parameters<typeof fileInfoFromWire>[0][];
    assert.deepEqual(files.map(fileInfoFromWire), [
      { path: "cfg", isDir: true, fileSize: null },
      { path: "notes.txt", isDir: false, fileSize: 15 },
      { path: "sub", isDir: true, fileSize: null },
    ]);
    assert.deepEqual(files.map(fileInfoFromWire).map(fileInfoToWire), files);
  },
});

Deno.test({
  name: "MLflow's error bodies become TrackingErrors with the same code, and back with the same status",
  fn: async () => {
    for (
      const [prefix, code, status] of [["032", "RESOURCE_DOES_NOT_EXIST", 404], [
        "033",
        "INVALID_PARAMETER_VALUE",
        400,
      ], [
        "034",
        "RESOURCE_ALREADY_EXISTS",
        400,
      ]] as const
    ) {
      const ex = await exchange(prefix);
      assert.equal(ex.status, status);
      const error = errorFromWire(ex.status, ex.response_body);
      assert.ok(error instanceof TrackingError);
      assert.equal(error.code, code);
      assert.equal(error.message, ex.response_body.message);
      assert.deepEqual(errorToWire(error), { status, body: ex.response_body });
    }
  },
});

Deno.test("wire scalars: non-finite doubles as strings, int64 as numbers or strings, enums by name or number", () => {
  assert.deepEqual([NaN, Infinity, -Infinity, 1.5].map(doubleToWire), ["NaN", "Infinity", "-Infinity", 1.5]);
  assert.ok(Number.isNaN(doubleFromWire("NaN")));
  assert.equal(doubleFromWire("-Infinity"), -Infinity);
  assert.equal(doubleFromWire("0.25"), 0.25);
  assert.throws(() => doubleFromWire("abc"), TrackingError);
  assert.equal(int64FromWire("1700000000000", 0), 1700000000000);
  assert.equal(int64FromWire(undefined, null), null);
  assert.equal(runStatusFromWire(3), "FINISHED");
  assert.equal(runStatusFromWire("KILLED"), "KILLED");
  assert.throws(() => runStatusFromWire("DONE"), TrackingError);
  assert.equal(viewTypeFromWire(undefined), "ACTIVE_ONLY");
  assert.equal(viewTypeFromWire("2"), "DELETED_ONLY");
  assert.equal(viewTypeFromWire("ALL"), "ALL");
  assert.deepEqual(errorToWire(new TrackingError("tracking/x", "boom")), {
    status: 500,
    body: { error_code: "INTERNAL_ERROR", message: "boom" },
  });
  assert.equal(errorFromWire(404, "<html>").code, "ENDPOINT_NOT_FOUND");
  assert.equal(errorFromWire(503, "").code, "INTERNAL_ERROR");
  assert.equal(mlflowError("BAD_REQUEST", "x").code, "BAD_REQUEST");
});

Deno.test("a run without end time, metrics or inputs is written like MLflow writes it", () => {
  const run = runFromWire({ info: { run_id: "abc", experiment_id: "0", status: 1, start_time: "5" } });
  assert.equal(run.info.endTime, null);
  assert.equal(run.info.status, "RUNNING");
  assert.deepEqual(run.data, { metrics: {}, params: {}, tags: {}, latestMetrics: {} });
  assert.deepEqual(runToWire(run), {
    info: {
      run_uuid: "abc",
      experiment_id: "0",
      run_name: "",
      user_id: "",
      status: "RUNNING",
      start_time: 5,
      artifact_uri: "",
      lifecycle_stage: "active",
      run_id: "abc",
    },
    data: {},
    inputs: {},
  });
});
