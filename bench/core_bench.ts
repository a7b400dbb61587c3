/**
 * Core-engine benchmarks (issue 13's table), medians on this machine: `kmlf --version`, `kmlf registry
 * list`, `kmlf catalog list`, `kmlf run training` on the demo untracked and tracked to SQLite (wall, CPU,
 * peak RSS), and a generated 10,000-node no-op pipeline (resolve + validate + run, in-process).
 * Each command runs as `deno task install` installs kmlf (the bundle, tools/build_bundle.ts, built first) and,
 * in alternation, from the sources with the `kmlf` task's flags; targets apply to the installed command.
 * Run: `deno task bench` (or `deno run -A bench/core_bench.ts`; `BENCH_RUNS=N` for more runs).
 * Prints figures and the machine's load; asserts nothing.
 */
import { join, resolve } from "node:path";
import { KmlfSession } from "../lib/session/mod.ts";
import {
  alternatedMedians,
  installedKmlf,
  loadAverage,
  median,
  type MedianTiming,
  report,
} from "./bench_utils.ts";
import { demoProject, kmlfBundle } from "../tests/cli_harness.ts";
import { KMLF_RUN_FLAGS } from "../lib/cli/project_runtime.ts";

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
// What `deno task install` installs.
const installed = installedKmlf(await kmlfBundle());
const runs = Number(Deno.env.get("BENCH_RUNS") ?? 11);
const env = { NO_COLOR: "1" };
// An empty module run with kmlf's flags, timed in the same alternation: Deno's own start and exit. This VM's
// speed drifts by 15–25 % over minutes; the time a command takes beyond this floor drifts less.
const emptyDir = await Deno.makeTempDir({ prefix: "kmlf-bench-empty-" });
await Deno.writeTextFile(join(emptyDir, "empty.js"), "");
const emptyDeno = [deno, "run", "--cached-only", ...KMLF_RUN_FLAGS, join(emptyDir, "empty.js")];

// The installed command against its target; the sources' figure beside it.
async function benchCommand(
  name: string,
  args: string[],
  cwd: string,
  target: number,
  options: { rss?: number; ref?: number } = {},
) {
  const [bundled, empty] = await alternatedMedians(runs, [[...installed, ...args], emptyDeno], { cwd, env });
  // Timed apart: run in the same alternation, the sources' heavier process (~200 modules, +6 MB) slowed the
  // command after it by ~4 ms (`catalog list` 49.2 → 53.7 ms; bench/README.md, "Less code at start").
  const [sources] = await alternatedMedians(Math.ceil(runs / 2), [[...kmlf, ...args]], { cwd, env });
  reportCommand(name, bundled, target, options);
  console.log(
    `${"".padEnd(52)} ${sources.ms.toFixed(0).padStart(9)} ms from the sources (${
      sources.cpuMs?.toFixed(0)
    } ms CPU, ${sources.rssMb?.toFixed(0)} MB)`,
  );
  console.log(
    `${"".padEnd(52)} ${(bundled.ms - empty.ms).toFixed(0).padStart(9)} ms beyond an empty \`deno run\` (${
      empty.ms.toFixed(0)
    } ms, ${empty.rssMb?.toFixed(0)} MB)`,
  );
}

function reportCommand(
  name: string,
  t: MedianTiming,
  target: number,
  options: { rss?: number; ref?: number } = {},
) {
  report(`${name} (wall)`, t.ms, "ms", target, options.ref);
  if (t.cpuMs !== undefined) {
    console.log(`${"".padEnd(52)} ${t.cpuMs.toFixed(0).padStart(9)} ms CPU (user + system)`);
  }
  if (options.rss !== undefined && t.rssMb !== undefined) {
    report(`${name} (peak RSS)`, t.rssMb, "MB", options.rss);
  }
}

console.log(`load average ${loadAverage() ?? "?"} at start, ${runs} runs per command after one warm-up`);
const untracked = await demoProject({}, { tracked: false });
const tracked = await demoProject({}, { tracked: true });
try {
  await benchCommand("kmlf --version", ["--version"], untracked, 30);
  await benchCommand("kmlf registry list", ["registry", "list"], untracked, 50);
  await benchCommand("kmlf catalog list", ["catalog", "list"], untracked, 50);
  // The core engine untracked (plain catalog, no mlflow.yml); then the demo as `kmlf new` writes it.
  await benchCommand("kmlf run training, untracked", ["run", "training", "--quiet"], untracked, 70, {
    rss: 60,
  });
  await benchCommand("kmlf run training, tracked to SQLite", ["run", "training", "--quiet"], tracked, 100, {
    rss: 60,
    ref: 1130,
  });
} finally {
  await Deno.remove(untracked, { recursive: true });
  await Deno.remove(tracked, { recursive: true });
  await Deno.remove(emptyDir, { recursive: true });
}

const big = await makeBigProject(10_000);
try {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const session = await KmlfSession.create({ projectRoot: big });
    await session.run({ pipelineNames: ["big"] });
    times.push(performance.now() - start);
  }
  report("10,000-node pipeline: resolve + validate + run", median(times.slice(1)), "ms", 500);
} finally {
  await Deno.remove(big, { recursive: true });
}
console.log(`load average ${loadAverage() ?? "?"} at end`);

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
