/**
 * `model.predict` and `loadModel` called from a script with what a user may pass: one record (MLflow's
 * pyfunc scores a dict of scalars as a one-row frame), nothing at all, or no URI — each a prediction or an
 * error that says what to pass, never a pipeline failing on a dataset that was never saved or a TypeError.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadModel, ScoringError } from "../../lib/models/mod.ts";
import { TrackingError } from "../../lib/errors.ts";
import { openStore } from "../../lib/tracking/mod.ts";
import { trainedRulesProject } from "./model_helpers.ts";

const trained = await trainedRulesProject();
const store = await openStore(`sqlite:///${trained.store}`, { baseDir: trained.base });
const model = await loadModel(trained.modelUri, { store, cacheDir: join(trained.base, "cache") });
await store.close();
globalThis.addEventListener("unload", () => Deno.removeSync(trained.base, { recursive: true }));

const row = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };

Deno.test("predict scores one record as a one-row frame, as MLflow's pyfunc does", async () => {
  assert.deepEqual(await model.predict(row), await model.predict([row]));
});

Deno.test("predict without input says what to pass", async () => {
  for (const input of [undefined, null]) {
    await assert.rejects(
      () => model.predict(input),
      (e: unknown) =>
        e instanceof ScoringError && /predict\(\) was given/.test(e.message) && /\[\{/.test(e.message),
    );
  }
});

Deno.test("loadModel without a URI string names the URI and its forms", async () => {
  for (const uri of [undefined, null, 5]) {
    await assert.rejects(
      () => loadModel(uri as unknown as string, { baseDir: trained.base }),
      (e: unknown) =>
        e instanceof TrackingError && e.code === "model/bad-uri" && /runs:\//.test(e.hint ?? ""),
    );
  }
});

Deno.test("predict takes an object of column lists, and lists of values in the signature's order", async () => {
  const rows = [row, { ...row, petal_length: 5.2 }];
  const expected = await model.predict(rows);
  const columns = Object.fromEntries(
    Object.keys(row).map((c) => [c, rows.map((r) => r[c as keyof typeof row])]),
  );
  assert.deepEqual(await model.predict(columns), expected);
  assert.deepEqual(await model.predict(rows.map((r) => Object.values(r))), expected);
  await assert.rejects(
    () => model.predict({ ...columns, petal_width: [0.2] }),
    (e: unknown) =>
      e instanceof ScoringError && /columns of different lengths \(.*petal_width: 1\)/.test(e.message),
  );
  await assert.rejects(
    () => model.predict([[5.1, 3.5]]),
    (e: unknown) => e instanceof ScoringError && /Row 0 has 2 values for 4 columns/.test(e.message),
  );
});

Deno.test("predict refuses a bare value for a model whose signature names columns, before any node runs", async () => {
  for (const input of ["hello", 42, true]) {
    await assert.rejects(
      () => model.predict(input),
      (e: unknown) =>
        e instanceof ScoringError && e.status === 400 &&
        /predict\(\) was given .* but the model's signature names the columns \['sepal_length'/.test(
          e.message,
        ),
    );
  }
});
