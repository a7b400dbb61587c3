/**
 * Core-engine benchmarks (issue: core engine): `kmlf --version`, `kmlf run training` on the demo
 * (wall + peak RSS), and a generated 10,000-node pipeline (resolve + validate + run).
 * Run: `deno task bench` (or `deno run -A bench/core_bench.ts`). Prints figures; asserts nothing.
 */
import { join, resolve } from "node:path";
import { KmlfSession } from "../lib/session/mod.ts";
import { median, medianOf, report } from "./bench_utils.ts";
import { demoProject } from "../tests/cli_harness.ts";

const repo = resolve(new URL("..", import.meta.url).pathname);
const deno = Deno.execPath();
// Exactly the flags of the `kmlf` task in deno.json (what users run), plus --cached-only.
const task: string = JSON.parse(await Deno.readTextFile(join(repo, "deno.json"))).tasks.kmlf;
const kmlf = [
  deno,
  "run",
  "--cached-only",
  ...task.split(" ").slice(2).map((a) => (a === "cli.ts" ? join(repo, "cli.ts") : a)),
];
const runs = Number(Deno.env.get("BENCH_RUNS") ?? 7);

const version = await medianOf(runs, [...kmlf, "--version"]);
report("kmlf --version", version.ms, "ms", 60);

// The core engine is measured untracked (plain catalog, no mlflow.yml); the tracked demo after it.
const demo = await demoProject({}, { tracked: false });
const training = await medianOf(runs, [...kmlf, "run", "training", "--quiet"], {
  cwd: demo,
  env: { NO_COLOR: "1" },
});
report("kmlf run training (untracked, wall)", training.ms, "ms", 200, 1600);
if (training.rssMb !== undefined) report("kmlf run training (untracked, peak RSS)", training.rssMb, "MB", 80);

const trackedDemo = await demoProject({}, { tracked: true });
const tracked = await medianOf(runs, [...kmlf, "run", "training", "--quiet"], {
  cwd: trackedDemo,
  env: { NO_COLOR: "1" },
});
report("kmlf run training (tracked to SQLite, wall)", tracked.ms, "ms", 250, 2240);
if (tracked.rssMb !== undefined) {
  report("kmlf run training (tracked to SQLite, peak RSS)", tracked.rssMb, "MB", 90);
}
await Deno.remove(trackedDemo, { recursive: true });

const big = await makeBigProject(10_000);
const times: number[] = [];
for (let i = 0; i < 3; i++) {
  const start = performance.now();
  const session = await KmlfSession.create({ projectRoot: big });
  await session.run({ pipelineNames: ["big"] });
  times.push(performance.now() - start);
}
report("10,000-node pipeline: resolve + validate + run", median(times), "ms", 1000);
await Deno.remove(demo, { recursive: true });
await Deno.remove(big, { recursive: true });

// Chains of 10 nodes fanning out from a shared source and back into per-group joins: memory datasets only.
async function makeBigProject(nodes: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-big-" });
  await Deno.mkdir(join(dir, "conf/base"), { recursive: true });
  await Deno.mkdir(join(dir, "conf/local"), { recursive: true });
  await Deno.mkdir(join(dir, "pipelines"), { recursive: true });
  await Deno.writeTextFile(join(dir, "kmlf.yml"), "name: big\n");
  await Deno.writeTextFile(join(dir, "conf/base/catalog.yml"), "{}\n");
  await Deno.writeTextFile(join(dir, "conf/base/parameters.yml"), "seed: 1\n");
  await Deno.writeTextFile(
    join(dir, "pipelines/ops.ts"),
    "export const inc = (x: number) => x + 1;\nexport const sum = (...xs: number[]) => xs.reduce((a, b) => a + b, 0);\n",
  );
  const lines = ["nodes:"];
  const chain = 9;
  let made = 0;
  for (let g = 0; made < nodes; g++) {
    const ends: string[] = [];
    for (let c = 0; c < 10 && made < nodes; c++) {
      for (let k = 0; k < chain && made < nodes; k++, made++) {
        const input = k === 0 ? "params:seed" : `d_${g}_${c}_${k - 1}`;
        lines.push(
          `  - {name: n_${g}_${c}_${k}, func: ./ops.ts#inc, inputs: [${input}], outputs: d_${g}_${c}_${k}}`,
        );
        if (k === chain - 1) ends.push(`d_${g}_${c}_${k}`);
      }
    }
    if (made < nodes && ends.length > 0) {
      lines.push(
        `  - {name: join_${g}, func: ./ops.ts#sum, inputs: [${ends.join(", ")}], outputs: joined_${g}}`,
      );
      made++;
    }
  }
  await Deno.writeTextFile(join(dir, "pipelines/big.yml"), lines.join("\n") + "\n");
  return dir;
}
