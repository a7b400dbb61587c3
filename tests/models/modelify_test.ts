/** `kmlf mlflow modelify`: an existing pipeline logged as a model from persisted data, no training run. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadModel } from "../../lib/models/mod.ts";
import { CLI_PATH, kmlf } from "../cli_harness.ts";
import { openStore } from "../../lib/tracking/mod.ts";
import { trainedRulesProject } from "./model_helpers.ts";

Deno.test("modelify logs a pipeline as a model in a new run and prints its URI", async () => {
  const t = await trainedRulesProject();
  try {
    const r = await kmlf(
      [
        "mlflow",
        "modelify",
        "-p",
        "inference",
        "-i",
        "instances",
        "--infer-signature",
        "--infer-input-example",
        "--await-registration-for=300", // kedro-mlflow's; kmlf registers at once
      ],
      { cwd: t.project },
    );
    assert.equal(r.code, 0, r.stderr);
    const uri = r.stdout.trim();
    assert.match(uri, /^runs:\/[0-9a-f]{32}\/model-inference$/);
    assert.match(r.stderr, /Model 'model-inference' logged in run/);
    const model = await loadModel(uri, {
      trackingUri: `sqlite:///${t.store}`,
      cacheDir: join(t.base, "cache"),
    });
    assert.ok(model.signature, "--infer-signature");
    assert.ok(model.metadata.savedInputExampleInfo, "--infer-input-example");
    assert.deepEqual(model.metadata.flavors.kmlf.copy_mode, "deepcopy", "kedro-mlflow's modelify default");
    assert.deepEqual(
      await model.predict([{ sepal_length: 5, sepal_width: 3, petal_length: 1, petal_width: 0 }]),
      [
        { prediction: "setosa", probability: 0.9 },
      ],
    );
    const plain = await kmlf([
      "mlflow",
      "modelify",
      "-p",
      "inference",
      "-i",
      "instances",
      "--model-name",
      "bare",
    ], { cwd: t.project });
    assert.equal(plain.code, 0, plain.stderr);
    const bare = await loadModel(plain.stdout.trim(), {
      trackingUri: `sqlite:///${t.store}`,
      cacheDir: join(t.base, "cache"),
    });
    assert.equal(bare.signature, undefined);
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("modelify refuses an input name that is not an input, and data that does not exist yet", async () => {
  const t = await trainedRulesProject();
  try {
    let r = await kmlf(["mlflow", "modelify", "-p", "inference", "-i", "instance"], { cwd: t.project });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error\[cli\/bad-input-name\]: "instance" is not a valid --input-name/);
    assert.match(r.stderr, /inputs of inference: instances, rule/);
    await Deno.remove(join(t.project, "data/06_models/rule.json"));
    r = await kmlf(["mlflow", "modelify", "-p", "inference", "-i", "instances"], { cwd: t.project });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Inference input "rule" has no data yet/);
    r = await kmlf(["mlflow", "modelify", "-p", "inference", "-i", "instances", "--copy-mode", "clone"], {
      cwd: t.project,
    });
    assert.match(r.stderr, /--copy-mode must be assign, copy or deepcopy/);
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("modelify refuses a --model-name or --registered-model-name that cannot work, before creating a run", async () => {
  const t = await trainedRulesProject();
  try {
    const cases: [string[], RegExp][] = [
      [
        ["--registered-model-name", "team/iris"],
        /--registered-model-name "team\/iris": "\/" cannot be part of a registered model's name/,
      ],
      [
        ["--registered-model-name", " iris"],
        /--registered-model-name " iris": it starts or ends with a space \(a model apart from "iris"/,
      ],
      [["--registered-model-name", ""], /--registered-model-name "": must not be empty/],
      [["--model-name", "../elsewhere"], /--model-name "\.\.\/elsewhere": must not contain \.\./],
      [["--model-name", ""], /--model-name "": use a relative artifact path/],
    ];
    for (const [flags, message] of cases) {
      const r = await kmlf(["mlflow", "modelify", "-p", "inference", "-i", "instances", ...flags], {
        cwd: t.project,
      });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /error\[cli\/bad-option\]: /);
      assert.match(r.stderr, message);
    }
    const { openStore } = await import("../../lib/tracking/mod.ts");
    const store = await openStore(`sqlite:///${t.store}`, { baseDir: t.base });
    try {
      const runs = await store.searchRuns({ experimentIds: ["1"] });
      assert.deepEqual(runs.runs.map((r) => r.info.runId), [t.runId], "no modelify run was created");
      assert.deepEqual((await store.registry.searchRegisteredModels({})).registeredModels, []);
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test({
  name: "a failure after modelify's run ended FINISHED (stdout on a full disk) leaves the run FINISHED",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const t = await trainedRulesProject();
    try {
      // The model is logged and the run ended before the URI is printed; /dev/full refuses the print.
      const r = await new Deno.Command("sh", {
        args: [
          "-c",
          '"$0" run --allow-all --quiet "$1" mlflow modelify -p inference -i instances >/dev/full',
          Deno.execPath(),
          CLI_PATH,
        ],
        cwd: t.project,
        env: { NO_COLOR: "1" },
        stdout: "null",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(r.stderr);
      assert.notEqual(r.code, 0, stderr);
      assert.match(stderr, /Model 'model-inference' logged in run/);
      const store = await openStore(`sqlite:///${t.store}`, { baseDir: t.project });
      try {
        const ids = (await store.searchExperiments({})).experiments.map((e) => e.experimentId);
        const runs =
          (await store.searchRuns({ experimentIds: ids, filter: "tags.`kmlf.modelify` = 'inference'" }))
            .runs;
        assert.deepEqual(runs.map((run) => run.info.status), ["FINISHED"]);
        // Marked as this process's run: had it been killed mid-log, the next run would name it.
        assert.equal(runs[0].data.tags["kmlf.host"], Deno.hostname());
        assert.match(runs[0].data.tags["kmlf.pid"], /^\d+$/);
      } finally {
        await store.close();
      }
    } finally {
      await Deno.remove(t.base, { recursive: true });
    }
  },
});

Deno.test("kedro-mlflow's Python-model flags are refused naming the flag, in every form; --artifact-path with --model-name too", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-test-" });
  try {
    await Deno.writeTextFile(join(dir, "kmlf.yml"), "name: p\n");
    for (
      const [args, code, says] of [
        [
          ["--conda-env", "conda.yml"],
          "cli/unsupported-flag",
          /--conda-env conda\.yml: a kmlf model has no Python/,
        ],
        [
          ["--conda-env=conda.yml"],
          "cli/unsupported-flag",
          /--conda-env conda\.yml: a kmlf model has no Python/,
        ],
        [["--code-paths", "src", "--code-paths=lib"], "cli/unsupported-flag", /--code-paths src,lib:/],
        [["--pip-requirements", "x"], "cli/unsupported-flag", /--pip-requirements x:/],
        [["--extra-pip-requirements", "x"], "cli/unsupported-flag", /--extra-pip-requirements x:/],
        [
          ["--artifact-path=m", "--model-name", "n"],
          "cli/usage",
          /two spellings of one option[^]*keep --model-name/,
        ],
        [["--await-registration-for", "soon"], "cli/usage", /takes whole seconds, not "soon"/],
      ] as const
    ) {
      const r = await kmlf(["mlflow", "modelify", "-p", "inference", "-i", "instances", ...args], {
        cwd: dir,
      });
      assert.equal(r.code, 2, args.join(" "));
      assert.match(r.stderr, new RegExp(`^error\\[${code.replace("/", "\\/")}\\]`), args.join(" "));
      assert.match(r.stderr, says, args.join(" "));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kedro-mlflow 0.x's --run-name names the run, -r/--run-id logs in an existing run; both, an unknown or a deleted run are refused", async () => {
  const t = await trainedRulesProject();
  const modelify = (...flags: string[]) =>
    kmlf(["mlflow", "modelify", "-p", "inference", "-i", "instances", ...flags], { cwd: t.project });
  try {
    let r = await modelify("--run-name", "port-check");
    assert.equal(r.code, 0, r.stderr);
    const named = r.stdout.trim().split("/")[1];
    r = await modelify("-r", t.runId, "--model-name", "in-training");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `runs:/${t.runId}/in-training`);
    r = await modelify("--run-id", t.runId, "--run-name", "x");
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^error\[cli\/usage\]: --run-id \w+ and --run-name x: the model goes in the existing run/,
    );
    r = await modelify("--run-id", "0".repeat(32));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error\[cli\/usage\]: --run-id 0{32}: no such run/);
    const store = await openStore(`sqlite:///${t.store}`, { baseDir: t.base });
    try {
      assert.equal((await store.getRun(named)).info.runName, "port-check");
      const training = await store.getRun(t.runId);
      assert.equal(training.info.status, "FINISHED");
      assert.equal(training.data.tags["kmlf.modelify"], "inference");
      const runs = await store.searchRuns({ experimentIds: [training.info.experimentId] });
      assert.equal(runs.runs.length, 2, "--run-id made no new run");
      await store.deleteRun(t.runId);
    } finally {
      await store.close();
    }
    r = await modelify("--run-id", t.runId);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--run-id \w+: the run is deleted[^]*kmlf runs restore --run-id/);
    r = await modelify("--artifact-path", "old-spelling");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^runs:\/\w+\/old-spelling$/m, "0.x's --artifact-path is --model-name");
    r = await modelify("--code-path", "src");
    assert.match(r.stderr, /^error\[cli\/unsupported-flag\]: --code-path src: a kmlf model has no Python/);
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});
