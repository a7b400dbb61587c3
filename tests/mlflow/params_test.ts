import { tagValue } from "../../lib/mlflow/run_setup.ts";
import assert from "node:assert/strict";
import type { ConfigError } from "../../lib/errors.ts";
import { MAX_PARAM_VALUE_LENGTH, planParams, sanitizeName } from "../../lib/mlflow/mod.ts";
import { LoggedParams } from "../../lib/mlflow/logged_params.ts";
import { demoProject, kmlf } from "../cli_harness.ts";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";
import { paramValueToString } from "../../lib/mlflow_conventions.ts";
import { parseRuntimeParams } from "../../lib/config/mod.ts";
import { clonePlain as structuredCopy } from "../../lib/plain_copy.ts";

const opts = { flatten: false, recursive: true, sep: ".", longParamsStrategy: "fail" as const };

Deno.test("params:<name> is logged as <name>, parameters whole, datasets never", () => {
  const plan = planParams({
    "params:model": { lr: 0.1 },
    "params:target": "species",
    parameters: { a: 1 },
    iris: [1, 2],
  }, opts);
  assert.deepEqual(plan.params, { model: '{"lr":0.1}', target: "species", parameters: '{"a":1}' });
});

Deno.test("dict params flatten recursively or one level, with a custom separator", () => {
  const inputs = { "params:model": { lr: 0.1, opt: { beta: 0.9 } } };
  assert.deepEqual(planParams(inputs, { ...opts, flatten: true }).params, {
    "model.lr": "0.1",
    "model.opt.beta": "0.9",
  });
  assert.deepEqual(planParams(inputs, { ...opts, flatten: true, recursive: false, sep: "-" }).params, {
    "model-lr": "0.1",
    "model-opt": '{"beta":0.9}',
  });
});

Deno.test("names MLflow refuses are sanitized and reported", () => {
  assert.equal(sanitizeName("a[b]!"), "a_b__");
  const plan = planParams({ "params:cfg[0]": 1 }, opts);
  assert.deepEqual(plan.params, { "cfg_0_": "1" });
  assert.deepEqual(plan.renamed, { "cfg[0]": "cfg_0_" });
});

Deno.test("long params: fail names the parameter and the limit; truncate cuts; tag moves it to a tag", () => {
  const long = { "params:features": "x".repeat(MAX_PARAM_VALUE_LENGTH + 1) };
  assert.throws(
    () => planParams(long, opts),
    (e: ConfigError) =>
      e.code === "mlflow/param-too-long" &&
      /"features" is 6001 characters long; MLflow accepts at most 6000/.test(e.message) &&
      /long_params_strategy/.test(e.hint!),
  );
  const cut = planParams(long, { ...opts, longParamsStrategy: "truncate" });
  assert.equal(cut.params.features.length, MAX_PARAM_VALUE_LENGTH);
  assert.deepEqual(cut.truncated, ["features"]);
  const tagged = planParams(long, { ...opts, longParamsStrategy: "tag" });
  assert.deepEqual(tagged.params, {});
  assert.equal(tagged.tags.features.length, MAX_PARAM_VALUE_LENGTH + 1);
});

Deno.test("long params are measured in characters, as kedro-mlflow does: an emoji is one, never cut in half", () => {
  const emoji = { "params:labels": "😀".repeat(MAX_PARAM_VALUE_LENGTH) };
  assert.equal(planParams(emoji, opts).params.labels, "😀".repeat(MAX_PARAM_VALUE_LENGTH));
  const over = { "params:labels": "a" + "😀".repeat(MAX_PARAM_VALUE_LENGTH) };
  assert.throws(() => planParams(over, opts), /"labels" is 6001 characters long/);
  const cut = planParams(over, { ...opts, longParamsStrategy: "truncate" });
  assert.equal(cut.params.labels, "a" + "😀".repeat(MAX_PARAM_VALUE_LENGTH - 1));
});

Deno.test("tag values kmlf writes are cut at MLflow's 8000 characters, never inside a character", () => {
  assert.equal(tagValue("short"), "short");
  const emoji = "😀".repeat(9000);
  assert.equal(tagValue(emoji), "😀".repeat(8000), "8000 characters as Python counts them");
  const cut = tagValue("a" + "😀".repeat(8000));
  assert.equal([...cut].length, 8000);
  assert.ok(!cut.endsWith("\uD83D"), "no lone surrogate at the end");
  assert.equal(
    tagValue("😀".repeat(8000)),
    "😀".repeat(8000),
    "16,000 UTF-16 units are still 8000 characters",
  );
});

Deno.test("two parameters of one node with the same MLflow key and different values are refused", () => {
  assert.throws(
    () => planParams({ "params:model[lr]": 0.1, "params:model_lr_": 0.2 }, opts),
    (e: ConfigError) =>
      e.code === "mlflow/param-conflict" &&
      /"model\[lr\]" and "model_lr_" are both logged as "model_lr_"/.test(e.message),
  );
  // The same value under both names is one param, as MLflow keeps it.
  assert.deepEqual(planParams({ "params:model[lr]": 0.1, "params:model_lr_": 0.1 }, opts).params, {
    model_lr_: "0.1",
  });
});

Deno.test("LoggedParams: a key logged again is nothing new; another value is a conflict naming the first node", () => {
  const logged = new LoggedParams();
  const conflicts: string[] = [];
  const onConflict = (key: string, previous: { node: string; value: string }, value: string) =>
    void conflicts.push(`${key}: ${previous.value} (${previous.node}) vs ${value}`);
  assert.deepEqual(logged.fresh({ lr: "0.1", n: "3" }, "train", onConflict), { lr: "0.1", n: "3" });
  assert.deepEqual(logged.fresh({ lr: "0.1", seed: "1" }, "tune", onConflict), { seed: "1" });
  assert.deepEqual(logged.fresh({ lr: "0.2" }, "tune", onConflict), {});
  assert.deepEqual(conflicts, ["lr: 0.1 (train) vs 0.2"]);
});

Deno.test("a tracked run stops at the node whose parameter MLflow already holds with another value", async () => {
  const dir = await demoProject({
    "conf/base/parameters.yml":
      'split: {test_fraction: 0.3, random_state: 42}\n"model[lr]": 0.1\nmodel_lr_: 0.2\n',
    "pipelines/ops.ts": "export const same = (x: number) => x;\n",
    "pipelines/clash.yml": [
      "nodes:",
      "  - {name: first, func: ./ops.ts#same, inputs: ['params:model[lr]'], outputs: a}",
      "  - {name: second, func: ./ops.ts#same, inputs: [params:model_lr_], outputs: b}",
    ].join("\n") + "\n",
  }, { tracked: true });
  try {
    const r = await kmlf(["run", "clash"], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error\[mlflow\/param-conflict\]/);
    assert.match(
      r.stderr,
      /Parameter "model_lr_" was logged as "0\.1" for node "first" but node "second" uses "0\.2"/,
    );
    assert.match(r.stderr, /at pipelines\/clash\.yml:3:5/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("long params under tag: a value MLflow would refuse as a tag too (over 8000) is refused first, clearly", () => {
  const tagOpts = { ...opts, longParamsStrategy: "tag" as const };
  assert.equal(planParams({ "params:f": "x".repeat(8000) }, tagOpts).tags.f.length, 8000);
  assert.throws(
    () => planParams({ "params:f": "x".repeat(8001) }, tagOpts),
    (e: ConfigError) =>
      e.code === "mlflow/param-too-long" &&
      e.message ===
        'Parameter "f" is 8001 characters long: too long for a tag as well (MLflow accepts at most 8000)' &&
      /long_params_strategy to truncate/.test(e.hint!),
  );
});

Deno.test("long params under truncate and tag are reported once per run, as kedro-mlflow warns", async () => {
  // Two nodes read the same long parameter: one note, and the value logged cut (truncate) or as a tag (tag).
  const long = `[${Array.from({ length: 900 }, (_, i) => `"f${String(i).padStart(4, "0")}"`).join(", ")}]`;
  for (const strategy of ["truncate", "tag"] as const) {
    const dir = await demoProject({
      "conf/base/parameters.yml": `features: ${long}\n`,
      "conf/local/mlflow.yml": `tracking:\n  params:\n    long_params_strategy: ${strategy}\n`,
      "pipelines/ops.ts": "export const count = (x: unknown[]) => x.length;\n",
      "pipelines/long.yml": [
        "nodes:",
        "  - {name: first, func: ./ops.ts#count, inputs: [params:features], outputs: a}",
        "  - {name: second, func: ./ops.ts#count, inputs: [params:features], outputs: b}",
      ].join("\n") + "\n",
    }, { tracked: true });
    const store = await openStore("mlflow.db", { baseDir: dir });
    try {
      const r = await kmlf(["run", "long"], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      const notes = (r.stdout + r.stderr).split("\n").filter((l) => l.includes('Parameter "features"'));
      assert.deepEqual(notes, [
        strategy === "truncate"
          ? `Parameter "features" is over MLflow's 6000 characters: logged cut to its first 6000 (long_params_strategy: truncate)`
          : `Parameter "features" is over MLflow's 6000 characters: logged as a tag instead (long_params_strategy: tag)`,
      ]);
      const client = new MlflowClient(store, { processHooks: false });
      const [run] = (await client.searchRuns((await client.getExperimentByName("iris"))!.experimentId)).runs;
      const full = paramValueToString(JSON.parse(long));
      if (strategy === "truncate") assert.equal(run.data.params.features, full.slice(0, 6000));
      else {
        assert.equal(run.data.params.features, undefined);
        assert.equal(run.data.tags.features, full);
      }
    } finally {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("floats a file or --params gave without a fraction are logged as kedro-mlflow's str(): 1.0, not 1", () => {
  const parameters = parseRuntimeParams("lr=1.0,model.alpha=2.0,model.n=3,model.opt={beta: 4.0},small=1e-5");
  const inputs = {
    "params:lr": 1,
    "params:model.alpha": 2,
    "params:model.n": 3,
    "params:model": structuredCopy(parameters.model),
    "params:small": 1e-5,
  };
  assert.deepEqual(planParams(inputs, opts, parameters).params, {
    lr: "1.0",
    "model.alpha": "2.0",
    "model.n": "3",
    model: '{"alpha":2.0,"n":3,"opt":{"beta":4.0}}',
    small: "1e-05",
  });
  assert.deepEqual(
    planParams({ "params:model": structuredCopy(parameters.model) }, { ...opts, flatten: true }).params,
    {
      "model.alpha": "2.0",
      "model.n": "3",
      "model.opt.beta": "4.0",
    },
  );
  // Without the run's parameters a number cannot say it was a float.
  assert.equal(planParams({ "params:lr": 1 }, opts).params.lr, "1");
  assert.deepEqual([paramValueToString(1, true), paramValueToString(-0), paramValueToString(1e16)], [
    "1.0",
    "-0.0",
    "1e+16",
  ]);
});

Deno.test("a tracked run logs parameters.yml's and --params' 1.0 as 1.0, the runtime_params tag too", async () => {
  const dir = await demoProject({
    "conf/base/parameters.yml": "split: {test_fraction: 0.3, random_state: 42}\nlr: 1.0\nalpha: 1.0\n",
    "pipelines/ops.ts": "export const same = (...xs: number[]) => xs[0];\n",
    "pipelines/floats.yml": [
      "nodes:",
      "  - {name: first, func: ./ops.ts#same, inputs: [params:lr, params:alpha, params:split, params:n], outputs: a}",
    ].join("\n") + "\n",
  }, { tracked: true });
  try {
    const r = await kmlf(["run", "floats", "--params", "alpha=2,n=3.0,split.random_state=4.0"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const client = new MlflowClient(await openStore("mlflow.db", { baseDir: dir }));
    try {
      const exp = await client.getExperimentByName("iris");
      const [run] = (await client.searchRuns([exp!.experimentId])).runs;
      assert.deepEqual(run.data.params, {
        lr: "1.0",
        alpha: "2",
        n: "3.0",
        split: '{"test_fraction":0.3,"random_state":4.0}',
      });
      assert.equal(run.data.tags.runtime_params, '{"alpha":2,"n":3.0,"split":{"random_state":4.0}}');
    } finally {
      await client.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
