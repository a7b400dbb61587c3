/**
 * Compatibility with an mlruns tree real MLflow 2.17.2 wrote (../shared/fixtures/mlflow-2.17.2/filestore,
 * copied with __ROOT__ substituted and empty folders recreated): every run, metric history and all 11
 * recorded searches come back as MLflow returned them, and kmlf's writes keep MLflow's layout.
 */
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { FileStore } from "../../lib/tracking/stores/file/file_store.ts";
import type { ViewType } from "../../lib/tracking/mod.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/mlflow-2.17.2/filestore", import.meta.url));
const num = (
  v: unknown,
) => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v);

async function copyTree(from: string, to: string, root: string): Promise<void> {
  for await (const e of Deno.readDir(from)) {
    const src = join(from, e.name);
    const dst = join(to, e.name);
    if (e.isDirectory) {
      await Deno.mkdir(dst, { recursive: true });
      await copyTree(src, dst, root);
    } else {
      await Deno.mkdir(dirname(dst), { recursive: true });
      await Deno.writeTextFile(dst, (await Deno.readTextFile(src)).replaceAll("__ROOT__", root));
    }
  }
}

async function withFixture(fn: (store: FileStore, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-mlruns-" });
  await copyTree(join(FIXTURE, "mlruns"), join(dir, "mlruns"), dir);
  for (const line of (await Deno.readTextFile(join(FIXTURE, "empty_dirs.txt"))).split("\n")) {
    if (line.trim() && !line.startsWith("#")) await Deno.mkdir(join(dir, line.trim()), { recursive: true });
  }
  try {
    await fn(await FileStore.open(join(dir, "mlruns")), dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "kmlf reads MLflow's mlruns: every run and metric history as MLflow returned them",
}, async () => {
  const expected = JSON.parse(await Deno.readTextFile(join(FIXTURE, "expected.json")));
  await withFixture(async (store, dir) => {
    for (
      const [runId, want] of Object.entries(expected.runs) as [
        string,
        {
          run: { info: Record<string, unknown>; data: Record<string, Record<string, unknown>> };
          metric_history: Record<string, { value: unknown; timestamp: number; step: number }[]>;
        },
      ][]
    ) {
      const run = await store.getRun(runId);
      assert.equal(run.info.runName, want.run.info.run_name);
      assert.equal(run.info.status, want.run.info.status);
      assert.equal(run.info.lifecycleStage, want.run.info.lifecycle_stage);
      assert.equal(run.info.startTime, want.run.info.start_time);
      assert.equal(run.info.endTime, want.run.info.end_time ?? null);
      assert.equal(run.info.artifactUri, String(want.run.info.artifact_uri).replace("__ROOT__", dir));
      assert.deepEqual(run.data.params, want.run.data.params);
      assert.deepEqual(run.data.tags, want.run.data.tags);
      assert.deepEqual(
        run.data.metrics,
        Object.fromEntries(Object.entries(want.run.data.metrics).map(([k, v]) => [k, num(v)])),
      );
      for (const [key, history] of Object.entries(want.metric_history)) {
        const got = (await store.getMetricHistory(runId, key)).metrics;
        assert.deepEqual(
          got.map((m) => [m.value, m.timestamp, m.step]),
          history.map((m) => [num(m.value), m.timestamp, m.step]),
          `${runId} ${key}`,
        );
      }
    }
  });
});

Deno.test({
  name: "the 11 recorded searches return the same runs in the same order on the file store",
}, async () => {
  const expected = JSON.parse(await Deno.readTextFile(join(FIXTURE, "expected.json")));
  await withFixture(async (store) => {
    for (
      const c of expected.search_runs as {
        experiment_ids: string[];
        filter_string: string;
        order_by: string[];
        run_view_type: ViewType;
        run_ids: string[];
      }[]
    ) {
      const page = await store.searchRuns({
        experimentIds: c.experiment_ids,
        filter: c.filter_string,
        orderBy: c.order_by,
        runViewType: c.run_view_type,
      });
      assert.deepEqual(
        page.runs.map((r) => r.info.runId),
        c.run_ids,
        `${c.filter_string} / ${c.order_by.join(",")} / ${c.run_view_type}`,
      );
    }
  });
});

Deno.test({
  name: "runs kmlf writes into an mlruns tree use MLflow's layout (meta.yaml, metric lines)",
}, async () => {
  await withFixture(async (store, dir) => {
    const exp = await store.getExperimentByName("iris");
    const run = await store.createRun({ experimentId: exp!.experimentId, runName: "kmlf" });
    await store.logBatch(run.info.runId, {
      metrics: [{ key: "acc", value: 1, timestamp: 1700000000000, step: 3 }, {
        key: "acc",
        value: NaN,
        timestamp: 1700000000001,
        step: 4,
      }],
      params: [{ key: "lr", value: "0.1" }],
    });
    await store.updateRun(run.info.runId, { status: "FINISHED", endTime: 1700000001000 });
    const runDir = join(dir, "mlruns", exp!.experimentId, run.info.runId);
    assert.equal(
      await Deno.readTextFile(join(runDir, "metrics/acc")),
      "1700000000000 1.0 3\n1700000000001 nan 4\n",
    );
    assert.equal(await Deno.readTextFile(join(runDir, "params/lr")), "0.1");
    const meta = await Deno.readTextFile(join(runDir, "meta.yaml"));
    assert.match(
      meta,
      /^artifact_uri: file:\/\/.*\nend_time: 1700000001000\nentry_point_name: ''\nexperiment_id: '\d+'\n/,
    );
    assert.match(meta, /\nstatus: 3\ntags: \[\]\n/);
    assert.ok(relative(dir, runDir).startsWith("mlruns/"));
  });
});
