import { tagValue } from "../../lib/mlflow/run_setup.ts";
import assert from "node:assert/strict";
import type { ConfigError } from "../../lib/errors.ts";
import { MAX_PARAM_VALUE_LENGTH, planParams, sanitizeName } from "../../lib/mlflow/mod.ts";

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
