/**
 * Simulates the compiled binary (deno-runtime.md): kmlf runs with --cached-only and its own deno.json
 * from a project outside kmlf's tree; user modules are imported from the project directory and may use
 * kmlf's npm packages, while other npm packages fail with an error naming the node and the package.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { compiledKmlf, demoProject, REPO } from "../cli_harness.ts";
import { spaceflightsProject } from "../spaceflights_project.ts";

Deno.test("compiled mode: user nodes load from the project dir and may import kmlf's npm packages", async () => {
  const training = (await Deno.readTextFile(join(REPO, "pipelines/training.yml"))).replace(
    "./iris/nodes.ts#reportAccuracy",
    "./iris/report.ts#reportAccuracy",
  );
  const dir = await demoProject({
    "pipelines/training.yml": training,
    "pipelines/iris/report.ts": `import { dump as stringify } from "js-yaml";
import { reportAccuracy as base } from "./nodes.ts";
export function reportAccuracy(p: { prediction: string }[], y: string[]) {
  const m = base(p, y);
  return { ...m, yaml_len: { value: stringify(m).length, step: 0 } };
}`,
  });
  try {
    const r = await compiledKmlf(["run", "training", "-q"], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.ok("yaml_len" in JSON.parse(await Deno.readTextFile(join(dir, "data/08_reporting/metrics.json"))));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compiled mode: an npm package kmlf does not ship is a clear error naming the node", async () => {
  const training = (await Deno.readTextFile(join(REPO, "pipelines/training.yml"))).replace(
    "./iris/nodes.ts#predict",
    "./iris/uses_lodash.ts#predict",
  );
  const dir = await demoProject({
    "pipelines/training.yml": training,
    "pipelines/iris/uses_lodash.ts":
      `import _ from "npm:lodash-not-shipped@4";\nexport const predict = (m: unknown, x: unknown[]) => _.map(x, () => ({ prediction: "a" }));\n`,
  });
  try {
    const r = await compiledKmlf(["run", "training", "-q"], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /pipeline\/module-failed/);
    assert.match(r.stderr, /nodes\[2\]\.func/);
    assert.match(r.stderr, /npm packages kmlf ships/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compiled mode: Excel, Parquet, Plotly and image datasets load their libraries from kmlf's snapshot", async () => {
  const dir = await spaceflightsProject();
  try {
    const r = await compiledKmlf(["run", "--pipelines", "data_processing,reporting", "-q"], dir);
    assert.equal(r.code, 0, r.stderr);
    for (
      const path of [
        "data/03_primary/model_input_table.parquet",
        "data/08_reporting/dummy_confusion_matrix.svg",
      ]
    ) {
      assert.ok((await Deno.stat(join(dir, path))).size > 0, path);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
