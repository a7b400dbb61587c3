/**
 * Cost of the tracking hook per node: the same 500-node pipeline run in-process with and without
 * mlflow.yml (SQLite store), median of 5 runs each; prints the difference per node (target ≤ 2 ms).
 */
import { join } from "node:path";
import { builtinPlugins } from "../lib/cli/plugins.ts";
import { mlflowYmlTemplate } from "../lib/mlflow/mod.ts";
import { KmlfSession } from "../lib/session/mod.ts";
import { median, report } from "./bench_utils.ts";

const NODES = 500;

async function project(tracked: boolean): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-hook-bench-" });
  await Deno.mkdir(join(dir, "conf/base"), { recursive: true });
  await Deno.mkdir(join(dir, "conf/local"), { recursive: true });
  await Deno.mkdir(join(dir, "pipelines"), { recursive: true });
  await Deno.writeTextFile(join(dir, "kmlf.yml"), "name: hooks\n");
  await Deno.writeTextFile(join(dir, "conf/base/catalog.yml"), "{}\n");
  await Deno.writeTextFile(join(dir, "conf/base/parameters.yml"), "step: {size: 1, label: x}\n");
  if (tracked) await Deno.writeTextFile(join(dir, "conf/base/mlflow.yml"), mlflowYmlTemplate("hooks"));
  await Deno.writeTextFile(
    join(dir, "pipelines/ops.ts"),
    "export const add = (x: number, p: { size: number }) => x + p.size;\n",
  );
  const lines = [
    "nodes:",
    "  - {name: n0, func: ./ops.ts#add, inputs: [params:step.size, params:step], outputs: d0}",
  ];
  for (let i = 1; i < NODES; i++) {
    lines.push(`  - {name: n${i}, func: ./ops.ts#add, inputs: [d${i - 1}, params:step], outputs: d${i}}`);
  }
  await Deno.writeTextFile(join(dir, "pipelines/chain.yml"), lines.join("\n") + "\n");
  return dir;
}

async function time(dir: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const session = await KmlfSession.create({ projectRoot: dir, plugins: builtinPlugins() });
    const start = performance.now();
    await session.run({ pipelineNames: ["chain"] });
    if (i > 0) times.push(performance.now() - start);
  }
  return median(times);
}

const plain = await project(false);
const tracked = await project(true);
const [a, b] = [await time(plain), await time(tracked)];
console.log(`${NODES}-node run: untracked ${a.toFixed(1)} ms, tracked ${b.toFixed(1)} ms`);
report("tracking hook overhead per node", (b - a) / NODES, "ms", 2);
await Deno.remove(plain, { recursive: true });
await Deno.remove(tracked, { recursive: true });
