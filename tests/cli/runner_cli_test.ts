/**
 * `kmlf run --runner …` end to end on copies of the demo: every runner gives the sequential results,
 * progress and --json show when each node ran, kmlf.yml's `runner:` is the default, refusals and failures
 * read like the sequential runner's (goldens in tests/golden/errors/runner-*.txt).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertGolden, demoProject, kmlf, normalize, REPO, UNTRACKED_CATALOG } from "../cli_harness.ts";

const TRAINING = await Deno.readTextFile(join(REPO, "pipelines/training.yml"));
const OUTPUTS = [
  "data/08_reporting/metrics.json",
  "data/08_reporting/train_history.json",
  "data/07_model_output/predictions.csv",
];

async function withDemo(files: Record<string, string | null>, fn: (dir: string) => Promise<void>) {
  const dir = await demoProject(files);
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const read = (dir: string) => Promise.all(OUTPUTS.map((f) => Deno.readTextFile(join(dir, f))));

Deno.test("every runner (and --async) runs the demo to the sequential runner's results", async () => {
  await withDemo({}, async (dir) => {
    assert.equal((await kmlf(["run", "training", "-q"], { cwd: dir })).code, 0);
    const expected = await read(dir);
    for (
      const args of [
        ["--runner", "parallel"],
        ["-r", "ThreadRunner"],
        ["--runner", "kedro.runner.ParallelRunner", "--max-workers", "1", "--async"],
        ["--async"],
      ]
    ) {
      for (const f of OUTPUTS) await Deno.remove(join(dir, f));
      const r = await kmlf(["run", "training", "-q", ...args], { cwd: dir });
      assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
      assert.deepEqual(await read(dir), expected, args.join(" "));
    }
  });
});

Deno.test("--json lists start/end (and the worker) per node and the runner; progress lines show overlaps", async () => {
  const fan = `nodes:
  - {name: left, func: ./iris/fan.ts#work, inputs: params:ms, outputs: a}
  - {name: right, func: ./iris/fan.ts#work, inputs: params:ms, outputs: b}
  - {name: both, func: ./iris/fan.ts#pair, inputs: [a, b], outputs: ab}
`;
  const files = {
    "pipelines/fan.yml": fan,
    "pipelines/iris/fan.ts":
      "export function work(ms: number) { const end = Date.now() + ms; while (Date.now() < end); return ms; }\nexport const pair = (a: number, b: number) => a + b;\n",
    "conf/base/parameters.yml": "ms: 300\n",
  };
  await withDemo(files, async (dir) => {
    const r = await kmlf(["run", "fan", "--runner", "parallel", "--json"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.runner, "ParallelRunner");
    const nodes = Object.fromEntries(
      summary.nodes.map((n: { name: string }) => [n.name, n]),
    ) as Record<string, { start: number; end: number; worker: number; status: string }>;
    assert.ok(
      nodes.left.start < nodes.right.end && nodes.right.start < nodes.left.end,
      "left and right overlap",
    );
    assert.ok(nodes.both.start >= Math.max(nodes.left.end, nodes.right.end));
    assert.deepEqual(new Set([nodes.left.worker, nodes.right.worker]), new Set([1, 2]));
    const text = await kmlf(["run", "fan", "--runner", "parallel"], { cwd: dir });
    assert.match(text.stdout, /run [^)]*, parallel runner, up to \d+ at once\)/);
    assert.match(text.stdout, /\[2\/3\] ▶ right \(2 running\)/);
    assert.match(text.stdout, /✔ (left|right) \(\d+ ms, 0\.\d\d→0\.\d\d s\) \[worker [12]\]/);
  });
});

Deno.test("kmlf.yml runner: is the default; flags override it one by one", async () => {
  const settings = "name: iris\nrunner:\n  type: ParallelRunner\n  max_workers: 1\n  async: true\n";
  await withDemo({ "kmlf.yml": settings }, async (dir) => {
    const byDefault = JSON.parse((await kmlf(["run", "training", "--json"], { cwd: dir })).stdout);
    assert.equal(byDefault.runner, "ParallelRunner");
    assert.deepEqual(new Set(byDefault.nodes.map((n: { worker: number }) => n.worker)), new Set([1]));
    const header = (await kmlf(["run", "training", "--max-workers", "3"], { cwd: dir })).stdout;
    assert.match(header, /parallel runner, up to 3 at once, async I\/O\)/);
    const flag = JSON.parse(
      (await kmlf(["run", "training", "--json", "-r", "sequential"], { cwd: dir })).stdout,
    );
    assert.equal(flag.runner, "SequentialRunner");
  });
  await withDemo({ "kmlf.yml": "name: iris\nrunner: thread\n" }, async (dir) => {
    assert.equal(
      JSON.parse((await kmlf(["run", "training", "--json"], { cwd: dir })).stdout).runner,
      "ThreadRunner",
    );
  });
});

/** Each case breaks the demo in one way for a runner; stderr is compared with a golden file. */
const CASES: Record<string, { files?: Record<string, string | null>; args: string[] }> = {
  "runner-unknown": { args: ["run", "training", "--runner", "paralel"] },
  "runner-unknown-in-kmlf-yml": {
    files: { "kmlf.yml": "name: iris\nrunner:\n  type: MultiprocessRunner\n" },
    args: ["run", "training"],
  },
  "runner-setting-without-type": {
    files: { "kmlf.yml": "name: iris\nrunner:\n  max_workers: 2\n" },
    args: ["run", "training"],
  },
  // A wrong value inside the runner mapping is named at its key and line, not as the whole runner.
  "runner-quoted-max-workers-in-kmlf-yml": {
    files: { "kmlf.yml": 'name: iris\nrunner:\n  type: parallel\n  max_workers: "4"\n' },
    args: ["run", "training"],
  },
  "runner-bad-max-workers": { args: ["run", "training", "--runner", "thread", "--max-workers", "0"] },
  // Kedro's SequentialRunner takes no max_workers: a count that would change nothing is refused.
  "runner-max-workers-sequential": { args: ["run", "training", "--max-workers", "4"] },
  "runner-max-workers-sequential-in-kmlf-yml": {
    files: { "kmlf.yml": "name: iris\nrunner:\n  type: sequential\n  max_workers: 4\n" },
    args: ["run", "training"],
  },
  "runner-bad-runner-setting": {
    files: { "kmlf.yml": "name: iris\nrunner:\n  type: parallel\n  max_worker: 2\n" },
    args: ["run", "training"],
  },
  "runner-shared-assign": {
    files: {
      "conf/base/catalog.yml": UNTRACKED_CATALOG + "\nX_train:\n  type: memory\n  copy_mode: assign\n",
    },
    args: ["run", "training", "--runner", "parallel"],
  },
  "runner-class-instance-output": {
    files: {
      "pipelines/training.yml": TRAINING.replace("./iris/nodes.ts#trainModel", "./iris/classy.ts#trainModel"),
      "pipelines/iris/classy.ts": `import { trainModel as train, type ModelOptions } from "./nodes.ts";
class Classifier { constructor(readonly state: unknown) {} predict() {} }
export function trainModel(args: { features: number[][]; labels: string[]; options: ModelOptions }) {
  const { model, history } = train(args);
  return { model: { kind: "softmax", fitted: new Classifier(model) }, history };
}
`,
    },
    args: ["run", "training", "--runner", "parallel"],
  },
  "runner-function-output": {
    files: {
      "pipelines/training.yml": TRAINING.replace("./iris/nodes.ts#predict", "./iris/lazy.ts#predict"),
      "pipelines/iris/lazy.ts":
        "export const predict = (_m: unknown, _x: unknown) => ({ rows: [], later: () => [] });\n",
    },
    args: ["run", "training", "--runner", "parallel"],
  },
  "runner-parallel-node-raises": {
    files: {
      "pipelines/training.yml": TRAINING.replace(
        "./iris/nodes.ts#reportAccuracy",
        "./iris/broken.ts#reportAccuracy",
      ),
      "pipelines/iris/broken.ts":
        "export function reportAccuracy(_p: unknown, _y: unknown) {\n  throw new Error('metrics service unavailable');\n}\n",
    },
    args: ["run", "training", "--runner", "parallel"],
  },
  "runner-parallel-deno-exit": {
    files: {
      "pipelines/training.yml": TRAINING.replace("./iris/nodes.ts#predict", "./iris/quits.ts#predict"),
      "pipelines/iris/quits.ts": "export function predict(_m: unknown, _x: unknown) {\n  Deno.exit(4);\n}\n",
    },
    args: ["run", "training", "--runner", "parallel"],
  },
};

for (const [name, c] of Object.entries(CASES)) {
  Deno.test(`runner error "${name}" reads clearly (golden)`, async () => {
    await withDemo(c.files ?? {}, async (dir) => {
      const r = await kmlf(c.args, { cwd: dir });
      await assertGolden(
        `errors/${name}`,
        `$ kmlf ${c.args.join(" ")}\nexit ${r.code}\n${normalize(r.stderr, dir)}`,
      );
    });
  });
}

Deno.test("a node failing under the parallel runner reads exactly like under the sequential runner", async () => {
  const [sequential, parallel] = await Promise.all(
    ["errors/failure-resume-hint", "errors/runner-parallel-node-raises"].map((n) =>
      Deno.readTextFile(join(REPO, "tests/golden", `${n}.txt`))
    ),
  );
  const body = (text: string) => text.split("\n").slice(1).join("\n").replaceAll(" --runner parallel", "");
  assert.equal(body(parallel), body(sequential));
});
