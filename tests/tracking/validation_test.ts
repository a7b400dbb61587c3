/** MLflow's validation rules and messages (mlflow/utils/validation.py), checked directly. */
import assert from "node:assert/strict";
import { TrackingError } from "../../lib/errors.ts";
import {
  posixNormpath,
  validateBatch,
  validateDatasetInputs,
  validateExperimentName,
  validateKey,
  validateMetric,
  validateParam,
  validateRunName,
  validateTag,
} from "../../lib/tracking/mod.ts";

function throwsTracking(fn: () => unknown, fragment: string, code = "INVALID_PARAMETER_VALUE"): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof TrackingError, String(e));
    assert.equal(e.code, code);
    assert.ok(e.message.includes(fragment), `"${e.message}" lacks "${fragment}"`);
    return true;
  });
}

Deno.test("posixNormpath behaves like Python's posixpath.normpath", () => {
  const cases: [string, string][] = [
    ["", "."],
    ["a", "a"],
    ["a//b", "a/b"],
    ["a/./b", "a/b"],
    ["a/", "a"],
    ["/a", "/a"],
    ["//a", "//a"],
    ["///a", "/a"],
    ["../a", "../a"],
    ["a/../..", ".."],
    ["/..", "/"],
    ["a/b/../c", "a/c"],
  ];
  for (const [input, want] of cases) assert.equal(posixNormpath(input), want, input);
});

Deno.test("keys accept Unicode word characters, / . - space and :, and must be normalized relative paths", () => {
  for (const key of ["loss", "val/loss", "a.b-c d", "métrique_é", "日本語", "ns:key", "x".repeat(250)]) {
    validateKey("metric", key);
  }
  throwsTracking(
    () => validateKey("metric", "acc!"),
    `Invalid value "acc!" for parameter 'name' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.)`,
  );
  throwsTracking(() => validateKey("parameter", "a//b"), "This name would resolve to 'a/b'");
  throwsTracking(() => validateKey("tag", "/abs"), `Invalid value "/abs" for parameter 'key' supplied`);
  throwsTracking(() => validateKey("tag", "../up"), "This name would resolve to '../up'");
  throwsTracking(() => validateKey("tag", "."), "This name would resolve to '.'");
  throwsTracking(() => validateKey("metric", "bad!", "metrics[3].name"), `parameter 'metrics[3].name'`);
  throwsTracking(() => validateKey("tag", "k\u0000"), `Invalid value "k\\u0000" for parameter 'key'`);
  throwsTracking(() => validateKey("metric", ""), "This name would resolve to '.'");
  throwsTracking(
    () => validateKey("metric", "x".repeat(251)),
    "had length 251, which exceeded length limit of 250",
  );
  throwsTracking(() => validateKey("parameter", "y".repeat(251)), "Param key");
});

Deno.test("param and tag values have MLflow's limits, and truncation is opt-in", () => {
  assert.equal(validateParam("p", "v".repeat(6000)), "v".repeat(6000));
  throwsTracking(() => validateParam("p", "v".repeat(6001)), "Param value 'vvv");
  assert.equal(validateParam("p", "v".repeat(7000), { truncateLongValues: true }).length, 6000);
  assert.equal(validateTag("t", "v".repeat(8000)).length, 8000);
  throwsTracking(() => validateTag("t", "v".repeat(8001)), "exceeded length limit of 8000");
  assert.equal(validateTag("t", "v".repeat(9000), { truncateLongValues: true }).length, 8000);
  throwsTracking(() => validateTag("t", 5 as unknown as string), "must be a string");
});

Deno.test("metrics need a number value, a non-negative integer timestamp and an integer step", () => {
  validateMetric({ key: "m", value: NaN, timestamp: 0, step: -3 });
  validateMetric({ key: "m", value: -Infinity, timestamp: 1, step: 0 });
  throwsTracking(
    () => validateMetric({ key: "m", value: "1" as unknown as number, timestamp: 1, step: 0 }),
    "Invalid value 1 for parameter 'value' supplied: metric 'm' (timestamp=1). Please specify value as a valid double",
  );
  throwsTracking(
    () => validateMetric({ key: "m", value: 1, timestamp: -1, step: 0 }),
    "Invalid value -1 for parameter 'timestamp' supplied",
  );
  throwsTracking(
    () => validateMetric({ key: "m", value: 1, timestamp: 1.5, step: 0 }),
    "Invalid value 1.5 for parameter 'timestamp' supplied",
  );
  throwsTracking(
    () => validateMetric({ key: "m", value: 1, timestamp: 1, step: 0.5 }),
    "Invalid value 0.5 for parameter 'step' supplied",
  );
});

Deno.test("batches have MLflow's limits and refuse duplicate param keys", () => {
  const metric = { key: "m", value: 1, timestamp: 1, step: 0 };
  validateBatch({ metrics: Array(1000).fill(metric) });
  throwsTracking(
    () => validateBatch({ metrics: Array(1001).fill(metric) }),
    "A batch logging request can contain at most 1000 metrics. Got 1001 metrics. Please split up metrics",
  );
  const kv = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: "v" }));
  throwsTracking(() => validateBatch({ params: kv(101) }), "at most 100 params. Got 101 params");
  throwsTracking(() => validateBatch({ tags: kv(101) }), "at most 100 tags");
  throwsTracking(
    () => validateBatch({ metrics: Array(901).fill(metric), params: kv(100) }),
    "at most 1000 metrics, params, and tags. Got 1001",
  );
  throwsTracking(
    () => validateBatch({ params: [{ key: "a", value: "1" }, { key: "a", value: "2" }] }),
    "Duplicate parameter keys have been submitted: ['a']",
  );
});

Deno.test("experiment and run names follow MLflow's rules", () => {
  validateExperimentName("iris");
  throwsTracking(() => validateExperimentName(""), "Invalid experiment name: ''");
  throwsTracking(() => validateExperimentName(42), "Expects a string");
  throwsTracking(
    () => validateExperimentName("e".repeat(501)),
    "exceeds the maximum length of 500 characters",
  );
  // 256 is the width of experiments.name: longer names are refused in every store.
  validateExperimentName("😀".repeat(256));
  throwsTracking(() => validateExperimentName("e".repeat(257)), "exceeded length limit of 256");
  validateRunName("r".repeat(250));
  throwsTracking(() => validateRunName("r".repeat(251)), "Run name");
});

Deno.test("dataset inputs have MLflow's size limits", () => {
  const dataset = { name: "iris", digest: "d", sourceType: "local", source: "{}" };
  validateDatasetInputs([{ dataset, tags: { "mlflow.data.context": "training" } }]);
  throwsTracking(
    () => validateDatasetInputs([{ dataset: { ...dataset, digest: "d".repeat(37) }, tags: {} }]),
    "digest",
  );
  throwsTracking(
    () => validateDatasetInputs([{ dataset, tags: { k: "v".repeat(501) } }]),
    "'value' exceeds the maximum length of 500 characters",
  );
  throwsTracking(() => validateDatasetInputs([{ dataset: { ...dataset, name: "" }, tags: {} }]), "name");
});
