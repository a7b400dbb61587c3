/**
 * The whole sequence of hooks one run fires, as Kedro fires them (specs.py, Task.execute): context, catalog,
 * pipeline, then per node its loads, beforeNodeRun, afterNodeRun, its saves; dataset hooks name the dataset
 * as the node does (a transcoded `name@format`, a versioned dataset's plain name), under each in-process runner.
 */
import assert from "node:assert/strict";
import { KmlfSession } from "../../mod.ts";
import { writeProject } from "../models/model_helpers.ts";

const HOOKS = `import type { Hooks } from "kmlf";
export const seen: string[] = [];
const say = (hook: string) => (args: Record<string, unknown>) => {
  const node = args.node as { name: string } | undefined;
  seen.push([hook, node?.name, args.datasetName].filter(Boolean).join(" "));
};
export const hooks: Hooks = Object.fromEntries([
  "afterContextCreated", "afterCatalogCreated", "beforePipelineRun", "beforeDatasetLoaded",
  "afterDatasetLoaded", "beforeNodeRun", "afterNodeRun", "onNodeError", "beforeDatasetSaved",
  "afterDatasetSaved", "afterPipelineRun", "onPipelineError",
].map((h) => [h, say(h)]));
`;

const PIPELINE = `nodes:
  - name: make
    func: ./nodes.ts#make
    inputs: params:n
    outputs: table@json
  - name: use
    func: ./nodes.ts#use
    inputs: [table@text, params:n]
    outputs: report
`;

const node = (name: string, inputs: string[], outputs: string[]) => [
  ...inputs.flatMap((i) => [`beforeDatasetLoaded ${name} ${i}`, `afterDatasetLoaded ${name} ${i}`]),
  `beforeNodeRun ${name}`,
  `afterNodeRun ${name}`,
  ...outputs.flatMap((o) => [`beforeDatasetSaved ${name} ${o}`, `afterDatasetSaved ${name} ${o}`]),
];

for (const runner of ["sequential", "thread"] as const) {
  Deno.test(`${runner}: hooks fire in Kedro's order, naming transcoded and versioned datasets as the node does`, async () => {
    const root = await writeProject({
      "kmlf.yml": "name: seq\nhooks: [./hooks.ts#hooks]\n",
      "deno.json": JSON.stringify({ imports: { kmlf: new URL("../../mod.ts", import.meta.url).href } }),
      "hooks.ts": HOOKS,
      "conf/base/catalog.yml": "table@json:\n  type: json.JSONDataset\n  filepath: data/t.json\n" +
        "table@text:\n  type: text.TextDataset\n  filepath: data/t.json\n" +
        "report:\n  type: text.TextDataset\n  filepath: data/report.txt\n  versioned: true\n",
      "conf/base/parameters.yml": "n: 2\n",
      "conf/local/.keep": "",
      "pipelines/p.yml": PIPELINE,
      "pipelines/nodes.ts": "export const make = (n: number) => ({ n });\n" +
        "export const use = (t: string, n: number) => `${t.trim()} x${n}`;\n",
    });
    try {
      const session = await KmlfSession.create({ projectRoot: root });
      await session.run({ pipelineNames: "p", runner: { kind: runner } });
      const { seen } = await import(new URL(`file://${root}/hooks.ts`).href);
      assert.deepEqual(seen, [
        "afterContextCreated",
        "afterCatalogCreated",
        "beforePipelineRun",
        ...node("make", ["params:n"], ["table@json"]),
        ...node("use", ["table@text", "params:n"], ["report"]),
        "afterPipelineRun",
      ]);
      const versions = [...Deno.readDirSync(`${root}/data/report.txt`)].map((e) => e.name);
      assert.deepEqual(versions, [session.runId]);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
}
