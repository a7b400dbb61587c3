/**
 * Model serving and logging benchmarks (issue: pipeline as a model), on the demo's logged iris model:
 * - `kmlf models serve` start to first answered /invocations (≤ 150 ms; `mlflow models serve` took 1.7 s here);
 * - single-row /invocations over loopback at concurrency 16 (≥ 5,000 req/s, p99 ≤ 10 ms; MLflow with 2
 *   workers answers a trivial Python model at ~1,000 req/s, p99 21 ms);
 * - a tracked demo run with model logging against the same run without `inference:` (within 10 %).
 * Run: `deno run --allow-all bench/models_bench.ts`.
 */
import { join } from "node:path";
import { demoProject, kmlf } from "../tests/cli_harness.ts";
import { median, report, timeCommand } from "./bench_utils.ts";
import { KMLF_RUN_FLAGS } from "../lib/cli/project_runtime.ts";

const CLI = new URL("../cli.ts", import.meta.url).pathname;
const ROW = JSON.stringify({
  dataframe_split: {
    columns: ["sepal_length", "sepal_width", "petal_length", "petal_width"],
    data: [[5.1, 3.5, 1.4, 0.2]],
  },
});

async function spawnServe(dir: string, uri: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...KMLF_RUN_FLAGS,
      "--quiet",
      CLI,
      "models",
      "serve",
      "-m",
      uri,
      "--port",
      "0",
    ],
    cwd: dir,
    stdout: "piped",
    stderr: "null",
    env: { NO_COLOR: "1" },
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!/listening on (http\S+)/.test(seen)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("kmlf models serve exited early");
    seen += value;
  }
  (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
  return {
    url: seen.match(/listening on (http\S+)/)![1],
    async stop() {
      child.kill("SIGINT");
      await child.status;
    },
  };
}

const invoke = (url: string) =>
  fetch(`${url}/invocations`, { method: "POST", headers: { "content-type": "application/json" }, body: ROW });

/** 16 clients in flight until `total` answers; req/s and latency percentiles. */
async function load(url: string, total: number) {
  for (let i = 0; i < 500; i++) await (await invoke(url)).text();
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next++ < total) {
      const s = performance.now();
      const res = await invoke(url);
      await res.arrayBuffer();
      latencies.push(performance.now() - s);
    }
  }));
  const rps = total / ((performance.now() - t0) / 1000);
  latencies.sort((a, b) => a - b);
  return { rps, p50: latencies[Math.floor(total * 0.5)], p99: latencies[Math.floor(total * 0.99)] };
}

// The same load against a Deno.serve hello world, measured at the same moment: the machine is shared, so
// this says how much of the figure is the machine.
async function helloWorld() {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      "Deno.serve({hostname:'127.0.0.1',port:0,onListen:({port})=>console.log('listening on http://127.0.0.1:'+port)},()=>new Response('{\"predictions\": []}'))",
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!/listening on (http\S+)/.test(seen)) seen += (await reader.read()).value ?? "";
  const result = await load(seen.match(/listening on (http\S+)/)![1], 20_000);
  child.kill("SIGTERM");
  await child.status;
  await reader.cancel();
  return result;
}

const dir = await demoProject({}, { tracked: true });
try {
  const run = await kmlf(["run", "training"], { cwd: dir });
  const uri = run.stderr.match(/Model logged: (runs:\/\w+\/model)/)?.[1];
  if (!uri) throw new Error(run.stderr);

  const starts: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const server = await spawnServe(dir, uri);
    const res = await invoke(server.url);
    await res.text();
    starts.push(performance.now() - t0);
    await server.stop();
  }
  report("kmlf models serve start → first /invocations answer", median(starts.slice(1)), "ms", 150, 1700);

  const server = await spawnServe(dir, uri);
  const { rps, p50, p99 } = await load(server.url, 20_000);
  await server.stop();
  const hello = await helloWorld();
  console.log(
    `${"single-row /invocations, concurrency 16".padEnd(52)} ${
      rps.toFixed(0).padStart(9)
    } req/s  target ≥ 5000 req/s  ${rps >= 5000 ? "ok" : "UNDER TARGET"}  (${
      (rps / 1000).toFixed(1)
    }x MLflow's ~1,000 req/s)`,
  );
  report("single-row /invocations p99 latency", p99, "ms", 10, 21);
  report("single-row /invocations p50 latency", p50, "ms", 10);
  console.log(
    `${"  same load on a Deno.serve hello world, now".padEnd(52)} ${
      hello.rps.toFixed(0).padStart(9)
    } req/s  p99 ${hello.p99.toFixed(1)} ms  (the model answers at ${
      (rps / hello.rps * 100).toFixed(0)
    } % of it)`,
  );

  // Model logging overhead: the same tracked run with and without the inference: declaration.
  const plain = await demoProject({}, { tracked: true });
  const training = await Deno.readTextFile(join(plain, "pipelines/training.yml"));
  await Deno.writeTextFile(
    join(plain, "pipelines/training.yml"),
    training.replace(/\ninference:[\s\S]*$/, "\n"),
  );
  const cmd = [
    Deno.execPath(),
    "run",
    ...KMLF_RUN_FLAGS,
    "--quiet",
    CLI,
    "run",
    "training",
  ];
  // Alternated runs (after one warm-up each), so both medians come from the same minutes of a shared machine.
  const times = { without: [] as number[], with: [] as number[] };
  for (let i = 0; i <= 11; i++) {
    for (const [key, cwd] of [["without", plain], ["with", dir]] as const) {
      const t = await timeCommand(cmd, { cwd, env: { NO_COLOR: "1" } });
      if (t.code !== 0) throw new Error(`kmlf run training exited ${t.code} in ${cwd}`);
      if (i > 0) times[key].push(t.ms);
    }
  }
  const without = median(times.without);
  const withModel = median(times.with);
  const overhead = (withModel / without - 1) * 100;
  console.log(
    `${"tracked demo run: with model logging / without".padEnd(52)} ${withModel.toFixed(0)} ms / ${
      without.toFixed(0)
    } ms  (+${overhead.toFixed(1)} %, 11 alternated runs, target ≤ 10 %) ${
      overhead <= 10 ? "ok" : "OVER TARGET"
    }`,
  );
  await Deno.remove(plain, { recursive: true });
} finally {
  await Deno.remove(dir, { recursive: true });
}
