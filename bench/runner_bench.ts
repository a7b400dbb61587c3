/**
 * Runner benchmarks (issue 14): 4 independent CPU-bound nodes of ~250 ms (parallel vs sequential), 8
 * independent 300 ms async nodes (thread runner), and what `--runner parallel` adds to the 4-node demo
 * (CLI wall time, the two runners interleaved). Run: `deno run -A bench/runner_bench.ts`. Prints figures;
 * asserts nothing. CPU-bound figures depend on how busy the machine's cores are.
 */
import { join, resolve } from "node:path";
import { KmlfSession } from "../lib/session/mod.ts";
import type { RunnerSpec } from "../lib/runner/mod.ts";
import { median, report, timeCommand } from "./bench_utils.ts";
import { demoProject } from "../tests/cli_harness.ts";

const repo = resolve(new URL("..", import.meta.url).pathname);
const runs = Number(Deno.env.get("BENCH_RUNS") ?? 7);
console.log(`cores: ${navigator.hardwareConcurrency}, load average: ${Deno.loadavg().join(" ")}`);

// --- 4 × ~250 ms CPU-bound nodes -----------------------------------------------------------------------
const cpu = await project("cpu", {
  "pipelines/ops.ts": `
/** Burns the CPU for about \`ms\` milliseconds (calibrated: a fixed amount of work, not a clock). */
export function burn(ms: number): number {
  let x = 0;
  for (let i = 0; i < ms * ${await iterationsPerMs()}; i++) x = (x * 1103515245 + 12345) % 2147483648;
  return x;
}`,
  "pipelines/cpu.yml": "nodes:\n" +
    [1, 2, 3, 4].map((i) =>
      `  - {name: burn_${i}, func: ./ops.ts#burn, inputs: params:ms, outputs: out_${i}}\n`
    ).join(""),
  "conf/base/parameters.yml": "ms: 250\n",
});
// Interleaved, so load from other processes hits both runners alike.
const [seqCpu, parCpu] = await timeRuns(cpu, "cpu", [{ kind: "sequential" }, { kind: "parallel" }]);
report("4 × 250 ms CPU nodes, sequential", seqCpu, "ms", 1100);
report("4 × 250 ms CPU nodes, --runner parallel", parCpu, "ms", 0.6 * seqCpu);
console.log(
  `${"  ratio parallel / sequential".padEnd(52)} ${
    (parCpu / seqCpu).toFixed(2).padStart(9)
  }     target ≤ 0.6`,
);

// --- 8 × 300 ms async nodes ----------------------------------------------------------------------------
const io = await project("io", {
  "pipelines/ops.ts": `
/** Waits like an HTTP call would. */
export async function fetchLike(ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}`,
  "pipelines/io.yml": "nodes:\n" +
    [1, 2, 3, 4, 5, 6, 7, 8].map((i) =>
      `  - {name: fetch_${i}, func: ./ops.ts#fetchLike, inputs: params:ms, outputs: got_${i}}\n`
    ).join(""),
  "conf/base/parameters.yml": "ms: 300\n",
});
const [seqIo, threadIo] = await timeRuns(io, "io", [{ kind: "sequential" }, { kind: "thread" }], 3);
report("8 × 300 ms async nodes, sequential", seqIo, "ms", 2500);
report("8 × 300 ms async nodes, --runner thread", threadIo, "ms", 400);

// --- overhead of --runner parallel on the demo (CLI, fresh process each time) -------------------------
const task: string = JSON.parse(await Deno.readTextFile(join(repo, "deno.json"))).tasks.kmlf;
const kmlf = [
  Deno.execPath(),
  "run",
  "--cached-only",
  ...task.split(" ").slice(2).map((a) => (a === "cli.ts" ? join(repo, "cli.ts") : a)),
];
const demo = await demoProject({}, { tracked: false });
const wall = { sequential: [] as number[], parallel: [] as number[] };
const demoRuns = Math.max(runs, 9);
for (let i = 0; i <= demoRuns; i++) {
  for (const runner of ["sequential", "parallel"] as const) {
    const t = await timeCommand([...kmlf, "run", "training", "-q", "--runner", runner], {
      cwd: demo,
      env: { NO_COLOR: "1" },
    });
    if (t.code !== 0) throw new Error(`kmlf run training --runner ${runner} exited ${t.code}`);
    if (i > 0) wall[runner].push(t.ms); // the first round warms the module cache
  }
}
const seqWall = median(wall.sequential);
const parWall = median(wall.parallel);
report("demo (4 nodes), sequential, wall", seqWall, "ms", 200);
report("demo (4 nodes), --runner parallel, wall", parWall, "ms", seqWall + 40);
report("  overhead of --runner parallel", parWall - seqWall, "ms", 40);
// Each parallel run follows a sequential one: the median of those pairs' differences moves less with load.
const pairs = wall.parallel.map((ms, i) => ms - wall.sequential[i]);
report("  same, median of paired differences", median(pairs), "ms", 40);
await Deno.remove(demo, { recursive: true });
await Deno.remove(cpu, { recursive: true });
await Deno.remove(io, { recursive: true });

async function project(name: string, files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: `kmlf-runner-bench-${name}-` });
  const all = {
    "kmlf.yml": `name: ${name}\n`,
    "conf/base/catalog.yml": "{}\n",
    "conf/local/.keep": "",
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    await Deno.mkdir(join(dir, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(dir, path), text);
  }
  return dir;
}

// Median wall time of session.run per runner in this process, runners interleaved (the first round warms up).
async function timeRuns(root: string, pipeline: string, runners: RunnerSpec[], n = runs): Promise<number[]> {
  const times: number[][] = runners.map(() => []);
  for (let i = 0; i <= n; i++) {
    for (const [k, runner] of runners.entries()) {
      const session = await KmlfSession.create({ projectRoot: root });
      const start = performance.now();
      await session.run({ pipelineNames: [pipeline], runner });
      if (i > 0) times[k].push(performance.now() - start);
    }
  }
  return times.map(median);
}

// How many loop iterations of `burn` take one millisecond on this machine (measured once, idle-ish).
async function iterationsPerMs(): Promise<number> {
  let x = 0;
  const n = 20_000_000;
  const start = performance.now();
  for (let i = 0; i < n; i++) x = (x * 1103515245 + 12345) % 2147483648;
  const ms = performance.now() - start;
  await Promise.resolve(x);
  return Math.round(n / ms);
}
