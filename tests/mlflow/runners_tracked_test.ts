/**
 * The kedro-mlflow layer under the thread and parallel runners (where kedro-mlflow breaks: #624, #689,
 * #646): one MLflow run, node metrics from every worker, Mlflow datasets saved from the main thread,
 * FAILED on a node error, KILLED on Ctrl-C with the workers stopped.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";
import { CLI_PATH, demoProject, kmlf, REPO } from "../cli_harness.ts";

async function withTracked(
  files: Record<string, string | null>,
  fn: (dir: string, client: () => Promise<MlflowClient>) => Promise<void>,
) {
  const dir = await demoProject(files, { tracked: true });
  let store: { close?(): void } | undefined;
  const client = async () => {
    const s = await openStore("mlflow.db", { baseDir: dir });
    store = s as { close?(): void };
    return new MlflowClient(s);
  };
  try {
    await fn(dir, client);
  } finally {
    store?.close?.();
    await Deno.remove(dir, { recursive: true });
  }
}

async function runsOf(client: MlflowClient) {
  const exp = await client.getExperimentByName("iris");
  assert.ok(exp, "experiment iris exists");
  return (await client.searchRuns([exp.experimentId], { runViewType: "ALL" })).runs;
}

async function pipelineJson(client: MlflowClient, runId: string) {
  const dir = await client.downloadArtifacts(runId, "kmlf/pipeline.json", await Deno.makeTempDir());
  return JSON.parse(await Deno.readTextFile(dir)) as {
    status: string;
    nodes: { name: string; start: number | null; end: number | null; status: string }[];
  };
}

for (const runner of ["parallel", "thread"]) {
  Deno.test(`--runner ${runner}: the tracked demo is one FINISHED run with every node's metric and artifact`, async () => {
    await withTracked({}, async (dir, open) => {
      const r = await kmlf(["run", "training", "-q", "--runner", runner, "--async"], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      const client = await open();
      const runs = await runsOf(client);
      assert.equal(runs.length, 1);
      const [run] = runs;
      assert.equal(run.info.status, "FINISHED");
      assert.equal(run.data.tags.runner, runner === "parallel" ? "ParallelRunner" : "ThreadRunner");
      for (const node of ["split_data", "train_model", "predict", "report_accuracy"]) {
        assert.ok(`node_duration_s.${node}` in run.data.metrics, node);
      }
      assert.ok(run.data.metrics["metrics.accuracy"] > 0.85);
      const files = (await client.listArtifacts(run.info.runId, undefined, { recursive: true })).map((f) =>
        f.path
      );
      for (const f of ["model.pkl", "predictions.csv", "kmlf/pipeline.json"]) assert.ok(files.includes(f), f);
      const pipeline = await pipelineJson(client, run.info.runId);
      assert.ok(pipeline.nodes.every((n) => n.status === "completed" && n.start && n.end));
    });
  });
}

Deno.test("--runner parallel: metric and artifact datasets written by nodes in different workers land in the one run", async () => {
  const fan = `nodes:
${
    ["a", "b", "c", "d"].map((k) =>
      `  - {name: score_${k}, func: ./iris/fan.ts#score, inputs: [params:ms, params:${k}], outputs: [m_${k}, r_${k}]}`
    ).join("\n")
  }
`;
  const catalog = (await Deno.readTextFile(join(REPO, "conf/base/catalog.yml"))) +
    ["a", "b", "c", "d"].map((k) =>
      `\nm_${k}: {type: mlflow_metric, key: score_${k}}\nr_${k}:\n  type: mlflow_artifact\n  dataset: {type: json, filepath: data/08_reporting/r_${k}.json}\n`
    ).join("");
  await withTracked({
    "pipelines/fan.yml": fan,
    "pipelines/iris/fan.ts":
      "export function score(ms: number, v: number) { const end = Date.now() + ms; while (Date.now() < end); return [v, { v }]; }\n",
    "conf/base/catalog.yml": catalog,
    "conf/base/parameters.yml": "ms: 150\na: 1\nb: 2\nc: 3\nd: 4\n",
  }, async (dir, open) => {
    const r = await kmlf(["run", "fan", "-q", "--runner", "parallel", "--json"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const workers = new Set(JSON.parse(r.stdout).nodes.map((n: { worker: number }) => n.worker));
    assert.ok(workers.size >= 2, "nodes ran in more than one worker");
    const client = await open();
    const runs = await runsOf(client);
    assert.equal(runs.length, 1, "one run, not one per worker");
    const { metrics } = runs[0].data;
    assert.deepEqual([metrics.score_a, metrics.score_b, metrics.score_c, metrics.score_d], [1, 2, 3, 4]);
    const files = (await client.listArtifacts(runs[0].info.runId)).map((f) => f.path);
    assert.deepEqual(files.filter((f) => f.startsWith("r_")).sort(), [
      "r_a.json",
      "r_b.json",
      "r_c.json",
      "r_d.json",
    ]);
    // What the UI's Gantt chart draws: bars from each node's start to its end, overlapping here.
    const { nodes } = await pipelineJson(client, runs[0].info.runId);
    const overlaps = nodes.some((a) => nodes.some((b) => a !== b && a.start! < b.end! && b.start! < a.end!));
    assert.ok(overlaps, JSON.stringify(nodes.map((n) => [n.name, n.start, n.end])));
  });
});

Deno.test("--runner parallel: a failing node ends the run FAILED with the node as a tag and the resume hint", async () => {
  const training = (await Deno.readTextFile(join(REPO, "pipelines/training.yml"))).replace(
    "./iris/nodes.ts#reportAccuracy",
    "./iris/broken.ts#reportAccuracy",
  );
  await withTracked({
    "pipelines/training.yml": training,
    "pipelines/iris/broken.ts":
      "export function reportAccuracy(_p: unknown, _y: unknown) {\n  throw new Error('metrics service unavailable');\n}\n",
  }, async (dir, open) => {
    const r = await kmlf(["run", "training", "--runner", "parallel"], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--from-nodes split_data/);
    const [run] = await runsOf(await open());
    assert.equal(run.info.status, "FAILED");
    assert.equal(run.data.tags["kmlf.failed_node"], "report_accuracy");
    assert.equal(run.data.tags["kmlf.error_code"], "node/failed");
  });
});

for (const tracked of [true, false]) {
  Deno.test(`--runner parallel: SIGINT stops the workers at once${tracked ? " and ends the run KILLED" : ""} (exit 130)`, async () => {
    const spin = `nodes:
  - {name: spin_a, func: ./iris/spin.ts#spin, inputs: params:a, outputs: x}
  - {name: spin_b, func: ./iris/spin.ts#spin, inputs: params:b, outputs: y}
`;
    const files = {
      "pipelines/spin.yml": spin,
      "pipelines/iris/spin.ts": "export function spin(_v: number) { for (;;) {} }\n",
      "conf/base/parameters.yml": "a: 1\nb: 2\n",
      ...(tracked ? {} : { "conf/base/mlflow.yml": null }),
    };
    await withTracked(files, async (dir, open) => {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-all", CLI_PATH, "run", "spin", "--runner", "parallel"],
        cwd: dir,
        env: { NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const reader = child.stdout.getReader();
      let seen = "";
      while (!seen.includes("▶ spin_b")) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += new TextDecoder().decode(value);
      }
      await new Promise((r) => setTimeout(r, 200)); // both workers are now busy in an endless loop
      const sent = performance.now();
      child.kill("SIGINT");
      reader.releaseLock();
      const [status, stderr] = await Promise.all([
        child.status,
        new Response(child.stderr).text(),
        child.stdout.cancel(),
      ]);
      assert.equal(status.code, 130, stderr);
      assert.ok(performance.now() - sent < 10_000, "the process did not wait for the endless nodes");
      assert.match(stderr, /Run interrupted by SIGINT; stopped "spin_a", "spin_b"/);
      if (!tracked) return;
      const client = await open();
      const [run] = await runsOf(client);
      assert.equal(run.info.status, "KILLED");
      const pipeline = await pipelineJson(client, run.info.runId);
      assert.equal(pipeline.status, "KILLED");
      assert.deepEqual(pipeline.nodes.map((n) => n.status), ["interrupted", "interrupted"]);
    });
  });
}
