/**
 * Tracking options a new user reaches for: node durations split into function and I/O time,
 * `log_files` globs, pipelinex-style logging of outputs not in the catalog, and
 * `disable_hooks_for_plugins` disabling hooks only.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { NodeTimings, planOutputs } from "../../lib/mlflow/mod.ts";
import { MlflowClient, openStore, type Run } from "../../lib/tracking/mod.ts";
import { demoProject, kmlf, REPO } from "../cli_harness.ts";

async function trackedDemo(
  files: Record<string, string | null>,
  mlflowYml: (text: string) => string,
  fn: (dir: string, runs: () => Promise<{ client: MlflowClient; runs: Run[] }>) => Promise<void>,
) {
  const dir = await demoProject(files, { tracked: true });
  const yml = join(dir, "conf/base/mlflow.yml");
  await Deno.writeTextFile(yml, mlflowYml(await Deno.readTextFile(yml)));
  let store: { close(): Promise<void> | void } | undefined;
  try {
    await fn(dir, async () => {
      const s = await openStore("mlflow.db", { baseDir: dir });
      store = s;
      const client = new MlflowClient(s, { processHooks: false });
      const exp = await client.getExperimentByName("iris");
      assert.ok(exp, "experiment iris exists");
      return { client, runs: (await client.searchRuns(exp.experimentId)).runs };
    });
  } finally {
    await store?.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("each node logs its whole time, its function time and its load+save time", async () => {
  await trackedDemo({}, (t) => t, async (dir, open) => {
    const r = await kmlf(["run", "training", "-q"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const { client, runs: [run] } = await open();
    for (const node of ["split_data", "train_model", "predict", "report_accuracy"]) {
      const m = run.data.metrics;
      const [total, fn, io] = ["duration", "function", "io"].map((k) => m[`node_${k}_s.${node}`]);
      assert.ok([total, fn, io].every((v) => typeof v === "number" && v >= 0), node);
      assert.ok(fn + io <= total + 0.005, `${node}: function ${fn} + io ${io} fits in total ${total}`);
    }
    assert.ok(run.data.metrics["node_io_s.split_data"] > 0, "split_data loads the iris CSV");
    const path = await client.downloadArtifacts(run.info.runId, "kmlf/pipeline.json", dir);
    const pipeline = JSON.parse(await Deno.readTextFile(path));
    const train = pipeline.nodes.find((n: { name: string }) => n.name === "train_model");
    assert.equal(typeof train.function_s, "number");
    assert.equal(typeof train.io_s, "number");
    assert.ok(train.end >= train.start);
  });
});

Deno.test("log_files accepts globs and keeps the folders below the glob's fixed part", async () => {
  const files = {
    "logs/info.log": "info\n",
    "logs/errors.log": "errors\n",
    "logs/nightly/run.log": "nightly\n",
    "logs/notes.txt": "not a log\n",
  };
  const withGlobs = (t: string) =>
    t.replace("    before: []", '    before: ["logs/**/*.log", conf/base/parameters.yml]')
      .replace("    after: []", '    after: ["reports/*.html"]');
  await trackedDemo(files, withGlobs, async (dir, open) => {
    const r = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /log_files: reports\/\*\.html matches no file; not logged/);
    const { client, runs: [run] } = await open();
    const listed = await client.listArtifacts(run.info.runId, "kmlf/files", { recursive: true });
    assert.deepEqual(listed.filter((f) => !f.isDir).map((f) => f.path).sort(), [
      "kmlf/files/errors.log",
      "kmlf/files/info.log",
      "kmlf/files/nightly/run.log",
      "kmlf/files/parameters.yml",
    ]);
  });
});

const EXTRAS_PIPELINE = `nodes:
  - name: summarize
    func: ./extras.ts#summarize
    inputs: iris
    outputs: { rows: n_rows, best: best_species, ok: data_ok, cfg: summary_cfg, cols: columns, seen: seen_set, big: big_list, kept: kept_score }
`;
const EXTRAS_MODULE = `export function summarize(rows: Record<string, unknown>[]) {
  return {
    rows: rows.length,
    best: "setosa",
    ok: true,
    cfg: { bins: 3, method: "quantile" },
    cols: Object.keys(rows[0]),
    seen: new Set(["a"]),
    big: Array.from({ length: 3000 }, (_, i) => i),
    kept: 0.5,
  };
}
`;

Deno.test("log_outputs_not_in_catalog logs unlisted outputs: numbers as metrics, the rest as params", async () => {
  const files = {
    "pipelines/extras.yml": EXTRAS_PIPELINE,
    "pipelines/extras.ts": EXTRAS_MODULE,
    "conf/base/catalog.yml": (await Deno.readTextFile(join(REPO, "conf/base/catalog.yml"))) +
      "\nkept_score:\n  type: json\n  filepath: data/08_reporting/kept_score.json\n",
  };
  const on = (t: string) =>
    t.replace("log_outputs_not_in_catalog: false", "log_outputs_not_in_catalog: true");
  await trackedDemo(files, on, async (dir, open) => {
    const r = await kmlf(["run", "extras"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Output "seen_set" of node "summarize" is not logged: a Set is neither/);
    assert.match(r.stderr, /Output "big_list" of node "summarize" is not logged: its text is \d+ characters/);
    const { runs: [run] } = await open();
    assert.equal(run.data.metrics.n_rows, 150);
    assert.equal(run.data.params.best_species, "setosa");
    assert.equal(run.data.params.data_ok, "true");
    assert.deepEqual(JSON.parse(run.data.params.summary_cfg), { bins: 3, method: "quantile" });
    assert.equal(JSON.parse(run.data.params.columns).length, 5);
    assert.equal("kept_score" in run.data.metrics, false, "a catalog entry is not auto-logged");
    assert.equal("seen_set" in run.data.params, false);
  });
  await trackedDemo(files, (t) => t, async (dir, open) => {
    const r = await kmlf(["run", "extras", "-q"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const { runs: [run] } = await open();
    assert.equal("n_rows" in run.data.metrics, false, "off by default");
    assert.equal("best_species" in run.data.params, false);
  });
});

// A node input params:target is logged as param "target" (kedro-mlflow's naming); a later node's unlisted
// output of the same name cannot change it (MLflow keeps one value per param and run): said, not a failure.
const CLASHING_PIPELINE = `nodes:
  - name: count_rows
    func: ./clash.ts#countRows
    inputs: [iris, params:target]
    outputs: n_rows
  - name: guess_target
    func: ./clash.ts#guessTarget
    inputs: [iris, n_rows]
    outputs: { target: target, fresh: split_fraction }
`;
const CLASHING_MODULE = `export const countRows = (rows: unknown[], _target: string) => rows.length;
export const guessTarget = (_rows: unknown[], _n: number) => ({ target: "petal_length", fresh: "0.3" });
`;

Deno.test("log_outputs_not_in_catalog: an output named like a param another node logged is left out, saying so", async () => {
  const files = { "pipelines/clash.yml": CLASHING_PIPELINE, "pipelines/clash.ts": CLASHING_MODULE };
  const on = (t: string) =>
    t.replace("log_outputs_not_in_catalog: false", "log_outputs_not_in_catalog: true");
  await trackedDemo(files, on, async (dir, open) => {
    const r = await kmlf(["run", "clash"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /Output "target" of node "guess_target" is not logged: param "target" was already logged by node "count_rows"/,
    );
    assert.doesNotMatch(r.stderr, /Output "split_fraction"/, "a fresh output is logged without a note");
    const { runs: [run] } = await open();
    assert.equal(run.info.status, "FINISHED");
    assert.equal(run.data.params.target, "species", "the node input's value is kept");
    assert.equal(run.data.params.split_fraction, "0.3");
    assert.equal(run.data.metrics.n_rows, 150);
  });
});

Deno.test("planOutputs: numbers (and bigints) are metrics; strings, booleans, lists, dicts are params", () => {
  const plan = planOutputs(
    { a: 1, b: 2n, c: "x", d: false, e: [1], f: { g: 1 }, h: new Date(0), i: null, listed: 3, "j[k]": 1 },
    (n) => n === "listed",
    7,
  );
  assert.deepEqual(plan.metrics.map((m) => [m.key, m.value, m.step, m.timestamp]), [
    ["a", 1, 0, 7],
    ["b", 2, 0, 7],
    ["j_k_", 1, 0, 7],
  ]);
  assert.deepEqual(plan.params, { c: "x", d: "false", e: "[1]", f: '{"g":1}' });
  assert.deepEqual(plan.skipped.map((s) => s.name), ["h"]);
});

Deno.test("disable_hooks_for_plugins disables the MLflow hooks only: its dataset types still work", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const settings = join(dir, "kmlf.yml");
    await Deno.writeTextFile(
      settings,
      (await Deno.readTextFile(settings)) + "disable_hooks_for_plugins: [kmlf-mlflow]\n",
    );
    const r = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Tracking is off: kmlf\.yml disable_hooks_for_plugins names kmlf-mlflow/);
    assert.ok(
      (await Deno.stat(join(dir, "data/06_models/model.pkl"))).isFile,
      "mlflow_artifact saved locally",
    );
    assert.equal(await Deno.stat(join(dir, "mlflow.db")).catch(() => null), null, "no run was tracked");
    const catalog = await kmlf(["catalog", "list"], { cwd: dir });
    assert.equal(catalog.code, 0, catalog.stderr);
    assert.match(catalog.stdout, /MlflowArtifactDataset/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("NodeTimings counts overlapping loads once, as wall time", async () => {
  const timings = new NodeTimings();
  const started = performance.now();
  timings.ioStarted("n");
  timings.ioStarted("n");
  await new Promise((r) => setTimeout(r, 30));
  timings.ioEnded("n");
  timings.ioEnded("n");
  const wall = performance.now() - started;
  timings.functionStarted("n");
  timings.functionEnded("n");
  const t = timings.get("n")!;
  assert.ok(t.ioMs >= 25 && t.ioMs <= wall, `io ${t.ioMs} ms within the ${wall} ms that passed (not twice)`);
  assert.equal(t.status, "completed");
  assert.deepEqual(timings.metrics().map((m) => m.key), [
    "node_duration_s.n",
    "node_function_s.n",
    "node_io_s.n",
  ]);
});

Deno.test("log_files never logs a credentials file, by glob or by name, and says so", async () => {
  const files = {
    "conf/local/credentials.yml": "db:\n  password: TOP-SECRET\n",
    "conf/base/credentials/s3.json": '{"key": "TOP-SECRET"}\n',
    "logs/credentials_audit.log": "who read what\n",
  };
  const withGlobs = (t: string) =>
    t.replace("    before: []", '    before: ["conf/**/*.yml", "conf/**/*.json", "logs/*.log"]')
      .replace("    after: []", "    after: [conf/local/credentials.yml]");
  await trackedDemo(files, withGlobs, async (dir, open) => {
    const r = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    for (const path of ["conf/local/credentials.yml", "conf/base/credentials/s3.json"]) {
      assert.match(r.stderr, new RegExp(`log_files: ${path} is a credentials file; not logged`));
    }
    assert.doesNotMatch(r.stderr, /matches no file/, "a credentials file named alone is not 'no file'");
    const { client, runs: [run] } = await open();
    const listed = await client.listArtifacts(run.info.runId, "kmlf/files", { recursive: true });
    const logged = listed.filter((f) => !f.isDir).map((f) => f.path);
    assert.ok(logged.includes("kmlf/files/base/catalog.yml"), logged.join(", "));
    assert.ok(logged.includes("kmlf/files/credentials_audit.log"), "a log named credentials_* is not config");
    assert.deepEqual(logged.filter((p) => /credentials[^_]/.test(p)), []);
  });
});
