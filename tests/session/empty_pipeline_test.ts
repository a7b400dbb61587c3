/**
 * A pipeline with no nodes is refused before a run starts, as Kedro refuses it ("Pipeline contains no nodes
 * after applying all provided filters"): no tracked run is left behind, empty or RUNNING. A project without
 * any pipeline is told how to make its first one.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { statIfAny } from "../../lib/fs_utils.ts";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";
import { demoProject, kmlf } from "../cli_harness.ts";

async function runCount(dir: string): Promise<number> {
  if (!statIfAny(join(dir, "mlflow.db"))) return 0;
  const client = new MlflowClient(await openStore("mlflow.db", { baseDir: dir }));
  try {
    const exps = await client.searchExperiments({ viewType: "ALL" });
    const page = await client.searchRuns(exps.experiments.map((e) => e.experimentId), { runViewType: "ALL" });
    return page.runs.length;
  } finally {
    await client.close();
  }
}

Deno.test("an empty pipeline (its file, or every pipeline together) is refused before a tracked run starts", async () => {
  const dir = await demoProject({ "pipelines/empty.yml": "nodes: []\n" }, { tracked: true });
  try {
    const named = await kmlf(["run", "empty"], { cwd: dir });
    assert.equal(named.code, 2, named.stderr);
    assert.match(
      named.stderr,
      /error\[pipeline\/empty\]: Pipeline "empty" has no nodes\n\s+hint: add nodes to pipelines\/empty\.yml/,
    );
    assert.doesNotMatch(named.stderr + named.stdout, /MLflow run|Completed/);
    assert.equal(await runCount(dir), 0);

    // Alongside a pipeline with nodes it is no problem.
    const both = await kmlf(["run", "--pipelines", "empty,inference", "--nodes", "predict_instances"], {
      cwd: dir,
    });
    assert.doesNotMatch(both.stderr, /pipeline\/empty/);

    for (const file of ["training.yml", "inference.yml"]) await Deno.remove(join(dir, "pipelines", file));
    const onlyEmpty = await kmlf(["run"], { cwd: dir });
    assert.equal(onlyEmpty.code, 2, onlyEmpty.stderr);
    assert.match(
      onlyEmpty.stderr,
      /Pipeline "__default__" has no nodes\n\s+hint: add nodes to pipelines\/__default__\.yml \(without it, the default pipeline is every pipeline in pipelines\/ together\)/,
    );

    // No pipeline at all (a `kmlf new --no-example` project): the way to make the first one.
    await Deno.remove(join(dir, "pipelines", "empty.yml"));
    const none = await kmlf(["run"], { cwd: dir });
    assert.equal(none.code, 2, none.stderr);
    assert.match(
      none.stderr,
      /error\[pipeline\/empty\]: The project has no pipeline yet\n\s+hint: create one: `kmlf pipeline create <name>` writes pipelines\/<name>\.yml, its nodes and a test; then `kmlf run <name>`/,
    );
    assert.equal(await runCount(dir), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("filters leaving no node (a tag no node has, disjoint ranges) fail before a tracked run starts", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const cases: [string[], RegExp][] = [
      [
        ["run", "training", "--tags", "nomatch"],
        /error\[pipeline\/empty-after-filter\]: No nodes left after applying --tags nomatch\n {2}hint: no node has tag "nomatch"/,
      ],
      [
        ["run", "training", "--from-nodes", "report_accuracy", "--to-nodes", "split_data"],
        /No nodes left after applying --from-nodes report_accuracy and --to-nodes split_data\n {2}hint: filters combine by intersection/,
      ],
    ];
    for (const [args, expected] of cases) {
      const r = await kmlf(args, { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, expected);
    }
    assert.equal(await runCount(dir), 0, "no run was started, so none is left RUNNING");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
