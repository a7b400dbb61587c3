/** End-to-end runs of the real CLI on copies of the demo project. */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  assertGolden,
  CLI_PATH,
  demoProject,
  kmlf,
  normalize,
  REPO,
  UNTRACKED_CATALOG,
} from "../cli_harness.ts";

async function withDemo(
  files: Record<string, string | null>,
  fn: (dir: string) => Promise<void>,
  options: { example?: boolean } = {},
) {
  const dir = await demoProject(files, options);
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("kmlf run training runs the demo end to end and persists model, predictions and metrics", async () => {
  await withDemo({}, async (dir) => {
    const r = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    await assertGolden("cli/run-training", normalize(r.stdout, dir));
    const metrics = JSON.parse(await Deno.readTextFile(join(dir, "data/08_reporting/metrics.json")));
    assert.equal(metrics.n_test.value, 45);
    assert.ok(metrics.accuracy.value > 0.85);
    const history = JSON.parse(await Deno.readTextFile(join(dir, "data/08_reporting/train_history.json")));
    assert.equal(history.train_loss.length, 30);
    const predictions = await Deno.readTextFile(join(dir, "data/07_model_output/predictions.csv"));
    assert.equal(predictions.trim().split("\n").length, 46);
    const inference = await kmlf(["run", "inference", "--quiet"], { cwd: dir });
    assert.equal(inference.code, 0, inference.stderr);
    assert.match(
      await Deno.readTextFile(join(dir, "data/07_model_output/inference_predictions.csv")),
      /^prediction,probability\nsetosa,/,
    );
  });
});

Deno.test("--json prints one summary object; --params reaches the nodes", async () => {
  await withDemo({}, async (dir) => {
    const r = await kmlf([
      "run",
      "training",
      "--json",
      "--params",
      "model.n_iter=20,model.learning_rate=0.05",
    ], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.status, "success");
    assert.deepEqual(summary.nodes.map((n: { name: string }) => n.name), [
      "split_data",
      "train_model",
      "predict",
      "report_accuracy",
    ]);
    const history = JSON.parse(await Deno.readTextFile(join(dir, "data/08_reporting/train_history.json")));
    assert.equal(history.train_loss.length, 2, "20 iterations logged every 10");
  });
});

Deno.test("filters select nodes and --only-missing-outputs skips finished work", async () => {
  await withDemo({}, async (dir) => {
    const tagged = await kmlf(["run", "training", "--tags", "preprocessing,training", "--quiet"], {
      cwd: dir,
    });
    assert.equal(tagged.code, 0, tagged.stderr);
    assert.match(tagged.stdout, /Completed 2 nodes/);
    assert.equal(await Deno.stat(join(dir, "data/08_reporting/metrics.json")).catch(() => null), null);
    const full = await kmlf(["run", "training", "--quiet"], { cwd: dir });
    assert.equal(full.code, 0, full.stderr);
    const again = await kmlf(["run", "training", "--only-missing-outputs"], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Skipping 4 of 4 nodes with existing outputs/);
    await Deno.remove(join(dir, "data/08_reporting/metrics.json"));
    const partial = await kmlf(["run", "training", "--only-missing-outputs", "--json"], { cwd: dir });
    assert.deepEqual(
      JSON.parse(partial.stdout.trim().split("\n").at(-1)!).nodes.map((n: { name: string }) => n.name),
      ["split_data", "report_accuracy"],
      "y_test lives in memory, so split_data reruns",
    );
  });
});

Deno.test("versioned datasets keep one version per run and --load-versions pins one", async () => {
  const catalog = UNTRACKED_CATALOG.replace(
    "filepath: data/06_models/model.pkl",
    "filepath: data/06_models/model.pkl\n  versioned: true",
  );
  await withDemo({ "conf/base/catalog.yml": catalog }, async (dir) => {
    assert.equal((await kmlf(["run", "training", "-q"], { cwd: dir })).code, 0);
    assert.equal((await kmlf(["run", "training", "-q", "--params", "model.n_iter=5"], { cwd: dir })).code, 0);
    const versions = [...Deno.readDirSync(join(dir, "data/06_models/model.pkl"))].map((e) => e.name).sort();
    assert.equal(versions.length, 2);
    const pinned = await kmlf(["run", "inference", "-q", "--load-versions", `model:${versions[0]}`], {
      cwd: dir,
    });
    assert.equal(pinned.code, 0, pinned.stderr);
    const missing = await kmlf([
      "run",
      "inference",
      "-q",
      "--load-versions",
      "model:2020-01-01T00.00.00.000Z",
    ], { cwd: dir });
    assert.equal(missing.code, 2, "refused before the run starts");
    assert.match(missing.stderr, /dataset\/version-not-found/);
    assert.doesNotMatch(missing.stderr, /▶/, "no node ran");
    assert.ok(missing.stderr.includes(versions[1]), "the error lists available versions");
    assert.doesNotMatch(pinned.stderr, /pinned-output/, "inference reads model but does not save it");
  });
});

Deno.test("--load-versions pinning a dataset the run also saves warns before any node runs, and runs", async () => {
  const catalog = UNTRACKED_CATALOG.replace(
    "filepath: data/06_models/model.pkl",
    "filepath: data/06_models/model.pkl\n  versioned: true",
  );
  await withDemo({ "conf/base/catalog.yml": catalog }, async (dir) => {
    assert.equal((await kmlf(["run", "training", "-q"], { cwd: dir })).code, 0);
    const [first] = [...Deno.readDirSync(join(dir, "data/06_models/model.pkl"))].map((e) => e.name);
    // Both streams in one, in the order written: the warning (stderr) before the first node (stdout).
    const merged = new Deno.Command("sh", {
      args: ["-c", `exec "${Deno.execPath()}" run -A --quiet "${CLI_PATH}" "$@" 2>&1`, "sh"].concat(
        ["run", "training", "--load-versions", `model:${first}`],
      ),
      cwd: dir,
      env: { NO_COLOR: "1", TZ: "UTC" },
    }).outputSync();
    const run = { code: merged.code, stderr: new TextDecoder().decode(merged.stdout) };
    assert.equal(run.code, 0, run.stderr);
    const saved = [...Deno.readDirSync(join(dir, "data/06_models/model.pkl"))].map((e) => e.name)
      .find((v) => v !== first);
    assert.ok(saved, "the run saved a new version");
    const warning = run.stderr.indexOf("warning[dataset/pinned-output]");
    assert.ok(warning >= 0, run.stderr);
    assert.ok(warning < run.stderr.indexOf("▶"), "said before the first node starts");
    const text = run.stderr.slice(warning, run.stderr.indexOf("▶"));
    assert.match(
      text,
      new RegExp(`pins "model" to version ${first}, but node "train_model" of this run saves it`),
    );
    assert.ok(text.includes(`as version ${saved}`), text);
    assert.match(text, /node "predict" of this run reads the pinned version/);
  });
});

Deno.test("project hooks from kmlf.yml fire around the run", async () => {
  const hooks = `import { appendFileSync } from "node:fs";
export const audit = {
  beforePipelineRun({ runParams }) { appendFileSync("hooks.log", "start " + runParams.pipelineNames.join(",") + " " + runParams.commandLine + "\\n"); },
  afterNodeRun({ node }) { appendFileSync("hooks.log", "node " + node.name + "\\n"); },
  afterPipelineRun() { appendFileSync("hooks.log", "end\\n"); },
};`;
  await withDemo(
    { "hooks.ts": hooks, "kmlf.yml": "name: iris\nhooks: ['./hooks.ts#audit']\n" },
    async (dir) => {
      const r = await kmlf(["run", "training", "-q", "--nodes", "split_data"], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        await Deno.readTextFile(join(dir, "hooks.log")),
        "start training kmlf run training -q --nodes split_data\nnode split_data\nend\n",
      );
    },
  );
});

Deno.test("kmlf new creates a project that runs; --no-example creates an empty one; both refuse a non-empty dir", async () => {
  const parent = await Deno.makeTempDir();
  try {
    const made = await kmlf(["new", "proj"], { cwd: parent });
    assert.equal(made.code, 0, made.stderr);
    const ran = await kmlf(["run", "training", "-q"], { cwd: join(parent, "proj") });
    assert.equal(ran.code, 0, ran.stderr);
    const empty = await kmlf(["new", "bare", "--no-example", "--name", "bare_project"], { cwd: parent });
    assert.equal(empty.code, 0);
    const list = await kmlf(["registry", "list"], { cwd: join(parent, "bare") });
    assert.equal(list.stdout.trim(), "- __default__");
    const again = await kmlf(["new", "proj"], { cwd: parent });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /new\/not-empty/);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("registry, catalog and info commands print stable output (golden)", async () => {
  await withDemo({}, async (dir) => {
    for (
      const args of [
        ["registry", "list"],
        ["registry", "describe", "training"],
        ["catalog", "list", "-p", "training"],
        ["catalog", "list"],
        ["catalog", "resolve", "-p", "inference"],
        ["catalog", "resolve"],
        ["catalog", "patterns"],
      ]
    ) {
      const r = await kmlf(args, { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      await assertGolden(`cli/${args.join("-")}`, normalize(r.stdout, dir));
    }
    const info = await kmlf(["info"], { cwd: dir });
    assert.match(info.stdout, /project: iris/);
    assert.match(info.stdout, /dataset types: .*csv/);
    assert.ok(info.stdout.includes(`runs from: the sources in ${REPO}/\n`), info.stdout);
  });
});

Deno.test("--version, --help and completion scripts", async () => {
  const version = await kmlf(["--version"], { cwd: REPO });
  assert.equal(version.stdout.trim(), JSON.parse(await Deno.readTextFile(join(REPO, "deno.json"))).version);
  const help = await kmlf(["run", "--help"], { cwd: REPO });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--only-missing-outputs/);
  const bash = await kmlf(["completion", "bash"], { cwd: REPO });
  assert.match(bash.stdout, /complete -F _kmlf_complete kmlf/);
  assert.match(bash.stdout, /"run"\) opts=".*--from-nodes/);
  const fish = await kmlf(["completion", "fish"], { cwd: REPO });
  assert.match(fish.stdout, /complete -c kmlf/);
});

Deno.test("--project runs a project from anywhere", async () => {
  await withDemo({}, async (dir) => {
    const r = await kmlf(["--project", dir, "run", "training", "-q"], { cwd: "/" });
    assert.equal(r.code, 0, r.stderr);
  });
});
