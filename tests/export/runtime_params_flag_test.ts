/**
 * `${runtime_params:…}` without a default: every command that reads it either takes `--params` as `kmlf run`
 * does (`kmlf mlflow modelify`, `start-run`, `end-run`, and an export passes its `--params` to all three
 * workflow steps), or its hint offers the default only, not a flag it would refuse.
 */
import assert from "node:assert/strict";
import { kmlf } from "../cli_harness.ts";
import { exportableDemo, exportArgo } from "./export_helpers.ts";

const EXPERIMENT = /^(\s+)name: iris$/m;

async function withMlflowYml(dir: string, edit: (text: string) => string): Promise<void> {
  const file = `${dir}/conf/base/mlflow.yml`;
  await Deno.writeTextFile(file, edit(await Deno.readTextFile(file)));
}

Deno.test("mlflow modelify takes --params like kmlf run: the catalog's ${runtime_params:…} resolve", async () => {
  const dir = await exportableDemo({
    "conf/base/catalog_runtime.yml":
      "scores:\n  type: json\n  filepath: data/${runtime_params:folder}/scores.json\n",
  });
  try {
    const trained = await kmlf(["run", "training", "--params", "folder=today"], { cwd: dir });
    assert.equal(trained.code, 0, trained.stderr);
    const args = ["mlflow", "modelify", "-p", "inference", "-i", "instances"];
    const without = await kmlf(args, { cwd: dir });
    assert.equal(without.code, 2, without.stderr);
    assert.match(
      without.stderr,
      /Runtime parameter "folder" not found[\s\S]*hint: pass --params "folder=\.\.\."/,
    );
    const given = await kmlf([...args, "--params", "folder=today"], { cwd: dir });
    assert.equal(given.code, 0, given.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mlflow.yml's ${runtime_params:…}: start-run/end-run take --params, an export passes them on", async () => {
  const dir = await exportableDemo();
  try {
    await withMlflowYml(dir, (t) => t.replace(EXPERIMENT, "$1name: ${runtime_params:exp}"));
    const start = await kmlf(["mlflow", "start-run", "--pipeline", "training", "--params", "exp=nightly"], {
      cwd: dir,
    });
    assert.equal(start.code, 0, start.stderr);
    const runId = start.stdout.trim();
    const end = await kmlf(
      ["mlflow", "end-run", "--run-id", runId, "--status", "Succeeded", "--params", "exp=nightly"],
      { cwd: dir },
    );
    assert.equal(end.code, 0, end.stderr);
    const found = await kmlf(["experiments", "search"], { cwd: dir });
    // A command without --params: the hint offers the default, not a flag it refuses.
    assert.equal(found.code, 2, found.stderr);
    assert.match(
      found.stderr,
      /hint: give "exp" a default in conf\/base\/mlflow\.yml: \$\{runtime_params:exp, value\} \(this command takes no --params; kmlf run/,
    );
    assert.doesNotMatch(found.stderr, /pass --params/);

    const { doc } = await exportArgo(dir, ["--pipeline", "training", "--params", "exp=nightly"]);
    for (const name of ["mlflow-start-run", "mlflow-end-run"]) {
      const step = doc.spec.templates.find((t) => t.name === name)!;
      assert.deepEqual(step.container!.args.slice(-2), ["--params", "exp=nightly"], name);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("every command reading mlflow.yml without --params hints at a default in mlflow.yml, not at --params", async () => {
  const dir = await exportableDemo();
  try {
    await withMlflowYml(
      dir,
      (t) => t.replace(/mlflow_tracking_uri: null/, "mlflow_tracking_uri: ${runtime_params:store}"),
    );
    const commands = [
      ["runs", "list", "--experiment-id", "0"],
      ["experiments", "search"],
      ["gc"],
      ["artifacts", "list", "--run-id", "0123456789abcdef0123456789abcdef"],
      ["mlflow", "ui"],
      ["models", "predict", "-m", "models:/iris/1", "-i", "data/01_raw/instances.csv"],
      ["models", "serve", "-m", "models:/iris/1"],
    ];
    for (const args of commands) {
      const r = await kmlf(args, { cwd: dir });
      const said = `${args.join(" ")}: ${r.stderr}`;
      assert.equal(r.code, 2, said);
      assert.match(r.stderr, /Runtime parameter "store" not found/, said);
      assert.match(
        r.stderr,
        /hint: give "store" a default in conf\/base\/mlflow\.yml: \$\{runtime_params:store, value\} \(this command takes no --params; kmlf run, kmlf catalog, kmlf export and kmlf mlflow modelify\|start-run\|end-run do\)/,
        said,
      );
      assert.doesNotMatch(r.stderr, /pass --params/, said);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
