import assert from "node:assert/strict";
import {
  predict,
  reportAccuracy,
  type Row,
  splitData,
  toFeatures,
  trainModel,
} from "../../pipelines/iris/nodes.ts";
import { parse } from "csv-parse/sync";

const rows: Row[] = parse(await Deno.readTextFile(new URL("../../data/01_raw/iris.csv", import.meta.url)), {
  columns: true,
  cast: (v: string) => (v !== "" && !Number.isNaN(Number(v)) ? Number(v) : v),
});

Deno.test("the iris data is the classic 150 rows, 50 per species", () => {
  assert.equal(rows.length, 150);
  const counts: Record<string, number> = {};
  for (const r of rows) counts[String(r.species)] = (counts[String(r.species)] ?? 0) + 1;
  assert.deepEqual(counts, { setosa: 50, versicolor: 50, virginica: 50 });
});

Deno.test("splitData holds out 30% deterministically for a seed", () => {
  const a = splitData(rows, { test_fraction: 0.3, random_state: 42 }, "species");
  const b = splitData(rows, { test_fraction: 0.3, random_state: 42 }, "species");
  const c = splitData(rows, { test_fraction: 0.3, random_state: 7 }, "species");
  assert.equal(a[0].length, 105);
  assert.equal(a[2].length, 45);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a[3], c[3]);
});

Deno.test("splitData rejects a missing target column and a bad fraction", () => {
  assert.throws(
    () => splitData(rows, { test_fraction: 0.3, random_state: 1 }, "kind"),
    /Target column "kind"/,
  );
  assert.throws(() => splitData(rows, { test_fraction: 1.5, random_state: 1 }, "species"), /test_fraction/);
});

Deno.test("softmax regression learns iris: loss starts at ln 3, falls, and accuracy is high", () => {
  const [xTrain, yTrain, xTest, yTest] = splitData(rows, { test_fraction: 0.3, random_state: 42 }, "species");
  const { model, history } = trainModel({
    features: xTrain,
    labels: yTrain,
    options: { learning_rate: 0.1, n_iter: 300 },
  });
  assert.equal(history.train_loss.length, 30);
  assert.deepEqual(history.train_loss.map((p) => p.step).slice(0, 3), [0, 10, 20]);
  assert.ok(Math.abs(history.train_loss[0].value - Math.log(3)) < 1e-12);
  assert.ok(history.train_loss.at(-1)!.value < 0.3);
  const metrics = reportAccuracy(predict(model, xTest), yTest);
  assert.equal(metrics.n_test.value, 45);
  assert.ok(metrics.accuracy.value > 0.85, `accuracy ${metrics.accuracy.value}`);
});

Deno.test("toFeatures orders instance columns like the model and rejects missing values", () => {
  const [xTrain, yTrain] = splitData(rows, { test_fraction: 0.3, random_state: 42 }, "species");
  const names = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
  const { model } = trainModel({
    features: xTrain,
    labels: yTrain,
    options: { learning_rate: 0.1, n_iter: 50 },
    featureNames: names,
  });
  const x = toFeatures(model, [{ petal_width: 0.2, petal_length: 1.4, sepal_width: 3.5, sepal_length: 5.1 }]);
  assert.deepEqual(x, [[5.1, 3.5, 1.4, 0.2]]);
  assert.equal(predict(model, x)[0].prediction, "setosa");
  assert.throws(() => toFeatures(model, [{ sepal_length: 5 }]), /feature "sepal_width"/);
});
