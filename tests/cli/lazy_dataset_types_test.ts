/**
 * Dataset types registered by name and loaded on first use (start_path_test.ts checks they are off the
 * listing and run commands' start path): yaml, text, binary and kedro-mlflow's artifact and metric datasets
 * still validate, report bad arguments where they are written, save and load, and keep their names taken.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { builtinRegistry, Catalog } from "../../lib/catalog/mod.ts";
import { ConfigError } from "../../lib/errors.ts";
import { mlflowPlugin } from "../../lib/mlflow/mod.ts";
import { pluginRegistry } from "../../lib/session/project_plugins.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import { demoProject, kmlf } from "../cli_harness.ts";

// One bad argument per lazily registered type, each type by another of its spellings.
const BAD = `y:
  type: yaml
  filepath: data/y.yml
  save_args: {indnt: 2}
t:
  type: text.TextDataset
  filepath: data/t.txt
  load_args: {x: 1}
b:
  type: BinaryDataset
  filepath: data/b.bin
  fs_args: {}
a:
  type: mlflow_artifact
  dataset: {type: json, filepath: data/a.json}
  artifact_path: ../up
m:
  type: kedro_mlflow.io.metrics.MlflowMetricDataset
  save_args: {mode: sometimes}
h:
  type: MlflowMetricHistoryDataset
  load_args: {mode: list, step: 2}
s:
  type: mlflow_metrics_history
  run_id: "!bad"
`;

Deno.test("kmlf catalog validate reports bad arguments of lazily loaded types at their file:line:col", async () => {
  const dir = await demoProject();
  try {
    await Deno.writeTextFile(join(dir, "conf/local/catalog.yml"), BAD);
    const r = await kmlf(["catalog", "validate"], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    const at = [...r.stderr.matchAll(/at conf\/local\/catalog\.yml:(\d+:\d+) \(([\w.]+)\)/g)];
    assert.deepEqual(at.map((m) => `${m[2]} ${m[1]}`), [
      "y.save_args.indnt 4:15",
      "t.load_args.x 8:15",
      "b.fs_args 12:12",
      "a.artifact_path 16:18",
      "m.save_args.mode 19:21",
      "h.load_args.step 22:27",
      "s.run_id 25:11",
    ]);
    assert.match(
      r.stderr,
      /Unknown key "y\.save_args\.indnt" in dataset "y" \(yaml\)\n.*\n {2}hint: did you mean "indent"\?/,
    );
    assert.match(r.stderr, /"b\.fs_args" is not supported by kmlf's BinaryDataset/);
    assert.match(r.stderr, /Invalid artifact path: '\.\.\/up'\. '\.\.' is not allowed\./);
    assert.match(r.stderr, /"s\.run_id" in dataset "s" \(mlflow_metrics_history\): must be an MLflow run id/);

    await Deno.writeTextFile(
      join(dir, "conf/local/catalog.yml"),
      BAD.replace("indnt", "indent").replace("load_args: {x: 1}", "load_args: {}").replace(
        "  fs_args: {}\n",
        "",
      )
        .replace("../up", "reports").replace("sometimes", "append").replace(", step: 2", "")
        .replace('"!bad"', "0123abcd"),
    );
    const ok = await kmlf(["catalog", "validate"], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("yaml, text and binary entries save and load through the catalog", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const src = parseYaml(
      `y: {type: yaml.YAMLDataset, filepath: y.yml, save_args: {sort_keys: false}}
t: {type: text, filepath: t.txt}
b: {type: kedro_datasets.BinaryDataset, filepath: b.bin, versioned: true}
`,
      join(dir, "catalog.yml"),
    );
    const catalog = await Catalog.fromConfig({
      data: src.value as Record<string, unknown>,
      locate: src.locate,
    }, {
      projectRoot: dir,
      registry: builtinRegistry(),
    });
    await catalog.save("y", { b: 1, a: "yes" });
    await catalog.save("t", "héllo\n");
    await catalog.save("b", new Uint8Array([0, 255, 7]));
    assert.equal(await Deno.readTextFile(join(dir, "y.yml")), "b: 1\na: 'yes'\n");
    assert.deepEqual(await catalog.load("y"), { b: 1, a: "yes" });
    assert.equal(await catalog.load("t"), "héllo\n");
    assert.deepEqual(await catalog.load("b"), new Uint8Array([0, 255, 7]));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lazily registered names stay taken: a plugin registering one is refused, naming its owner", () => {
  const mine = (name: string) => ({
    name: "mine",
    registerDatasets: (registry: { register(names: string[], factory: () => never): void }) =>
      registry.register([name], () => {
        throw new Error("never built");
      }),
  });
  const mlflow = mlflowPlugin({
    kmlfVersion: "0",
    openClient: () => Promise.reject(new Error("no store in this test")),
  });
  for (const name of ["kedro_mlflow.io.metrics.MlflowMetricDataset", "mlflow_artifact"]) {
    assert.throws(() => pluginRegistry([mlflow, mine(name)]), (e: unknown) => {
      const cause = e instanceof ConfigError ? e : (e as { cause?: unknown }).cause;
      assert.ok(cause instanceof ConfigError, String(e));
      assert.equal(cause.code, "plugins/duplicate-dataset-type");
      assert.match(cause.message, new RegExp(`"${name.replaceAll(".", "\\.")}", which plugin "kmlf-mlflow"`));
      return true;
    });
  }
  for (const name of ["yaml", "text.TextDataset", "BinaryDataset"]) {
    assert.throws(
      () => pluginRegistry([mine(name)]),
      (e: unknown) => e instanceof ConfigError && /kmlf's built-in/.test(e.message),
      name,
    );
  }
});
