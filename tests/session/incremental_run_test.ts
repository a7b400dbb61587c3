/**
 * An IncrementalDataset in a real project run: a node that `confirms:` it sees only the partitions that
 * arrived since the last successful run; a failed node leaves the checkpoint where it was;
 * force_checkpoint reprocesses; confirms inside a namespaced pipeline reach the namespaced dataset.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { KmlfSession } from "../../mod.ts";
import type { RunnerKind } from "../../lib/runner/mod.ts";
import { writeProject } from "../models/model_helpers.ts";

const NODES = `export function summarize(logs: Record<string, { n: number }>, fail: boolean) {
  if (fail) throw new Error("summarize failed on purpose");
  return Object.keys(logs).sort();
}
`;

const INGEST = `nodes:
  - name: summarize
    func: ./nodes.ts#summarize
    inputs: [raw_logs, params:fail]
    outputs: seen
    confirms: raw_logs
`;

function project(catalogExtra = ""): Record<string, string> {
  return {
    "kmlf.yml": "name: incremental\n",
    "conf/base/catalog.yml": `raw_logs:
  type: partitions.IncrementalDataset
  path: data/logs
  dataset: json
  filename_suffix: .json${catalogExtra}
seen:
  type: json
  filepath: data/seen.json
`,
    "conf/base/parameters.yml": "fail: false\n",
    "conf/local/.keep": "",
    "pipelines/ingest.yml": INGEST,
    "pipelines/nodes.ts": NODES,
  };
}

async function addLogs(root: string, folder: string, ids: string[]): Promise<void> {
  await Deno.mkdir(join(root, folder), { recursive: true });
  for (const id of ids) await Deno.writeTextFile(join(root, folder, `${id}.json`), JSON.stringify({ n: 1 }));
}

async function runWith(root: string, pipeline: string, runner: RunnerKind = "sequential"): Promise<void> {
  const session = await KmlfSession.create({ projectRoot: root });
  await session.run({ pipelineNames: pipeline, runner: { kind: runner } });
}

const run = (root: string, pipeline = "ingest") => runWith(root, pipeline, "sequential");

const readJson = async (root: string, file: string) => JSON.parse(await Deno.readTextFile(join(root, file)));

for (const runner of ["sequential", "thread", "parallel"] as const) {
  Deno.test(`a pipeline run twice sees only the partitions that arrived since the first run (${runner} runner)`, async () => {
    const root = await writeProject(project());
    const run = (root: string) => runWith(root, "ingest", runner);
    try {
      await addLogs(root, "data/logs", ["2024-01-01", "2024-01-02"]);
      await run(root);
      assert.deepEqual(await readJson(root, "data/seen.json"), ["2024-01-01", "2024-01-02"]);
      assert.equal(await Deno.readTextFile(join(root, "data/logs/CHECKPOINT")), "2024-01-02");
      await addLogs(root, "data/logs", ["2024-01-03"]);
      await run(root);
      assert.deepEqual(await readJson(root, "data/seen.json"), ["2024-01-03"]);
      await run(root);
      assert.deepEqual(await readJson(root, "data/seen.json"), [], "nothing new: the node gets {}");
      assert.equal(await Deno.readTextFile(join(root, "data/logs/CHECKPOINT")), "2024-01-03");
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
}

Deno.test("a failed node leaves the checkpoint unmoved, so the next run processes the same partitions", async () => {
  const root = await writeProject(project());
  try {
    await addLogs(root, "data/logs", ["a"]);
    await run(root);
    await addLogs(root, "data/logs", ["b", "c"]);
    await Deno.writeTextFile(join(root, "conf/base/parameters.yml"), "fail: true\n");
    await assert.rejects(() => run(root), /summarize failed on purpose/);
    assert.equal(await Deno.readTextFile(join(root, "data/logs/CHECKPOINT")), "a");
    await Deno.writeTextFile(join(root, "conf/base/parameters.yml"), "fail: false\n");
    await run(root);
    assert.deepEqual(await readJson(root, "data/seen.json"), ["b", "c"]);
    assert.equal(await Deno.readTextFile(join(root, "data/logs/CHECKPOINT")), "c");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("force_checkpoint makes a run reprocess from the given id, and the run's confirm still moves it", async () => {
  const root = await writeProject(project('\n  checkpoint:\n    force_checkpoint: "2024-01-01"'));
  try {
    await addLogs(root, "data/logs", ["2024-01-01", "2024-01-02", "2024-01-03"]);
    await Deno.writeTextFile(join(root, "data/logs/CHECKPOINT"), "2024-01-03");
    await run(root);
    assert.deepEqual(await readJson(root, "data/seen.json"), ["2024-01-02", "2024-01-03"]);
    await run(root);
    assert.deepEqual(await readJson(root, "data/seen.json"), ["2024-01-02", "2024-01-03"], "forced each run");
    assert.equal(await Deno.readTextFile(join(root, "data/logs/CHECKPOINT")), "2024-01-03");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("confirms inside a namespaced pipeline confirm the namespaced dataset (explicit or from a pattern)", async () => {
  const files = project();
  files["conf/base/catalog.yml"] += `eu.raw_logs:
  type: incremental
  path: data/eu/logs
  dataset: json
  filename_suffix: .json
"{region}.raw_logs":
  type: incremental
  path: data/{region}/logs
  dataset: json
  filename_suffix: .json
"{region}.seen":
  type: json
  filepath: data/{region}/seen.json
`;
  files["conf/base/parameters.yml"] = "fail: false\neu: {fail: false}\nus: {fail: false}\n";
  files["pipelines/regions.yml"] = "nodes:\n  - {pipeline: ./ingest.yml, namespace: eu}\n" +
    "  - {pipeline: ./ingest.yml, namespace: us}\n";
  const root = await writeProject(files);
  try {
    await addLogs(root, "data/eu/logs", ["1", "2"]);
    await addLogs(root, "data/us/logs", ["x"]);
    await run(root, "regions");
    assert.deepEqual(await readJson(root, "data/eu/seen.json"), ["1", "2"]);
    assert.deepEqual(await readJson(root, "data/us/seen.json"), ["x"]);
    assert.equal(await Deno.readTextFile(join(root, "data/eu/logs/CHECKPOINT")), "2");
    assert.equal(await Deno.readTextFile(join(root, "data/us/logs/CHECKPOINT")), "x");
    await addLogs(root, "data/eu/logs", ["3"]);
    await run(root, "regions");
    assert.deepEqual(await readJson(root, "data/eu/seen.json"), ["3"]);
    assert.deepEqual(await readJson(root, "data/us/seen.json"), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
