/**
 * The SQLite, file and REST stores (REST over kmlf's server on each local store) answer the same
 * sequences of calls alike — values and errors — for odd names and keys, values at and over MLflow's
 * limits, odd metric values, batches at their limits, deletes and restores, and search/paging inputs.
 */
import { type Metric, MlflowClient } from "../../lib/tracking/mod.ts";
import { assertStoresAgree, type Recorder } from "./store_parity.ts";

// MLflow 2.17.2's SQL server answers 200 with no points for any metric key; its FileStore refuses a
// key that is not a safe file name (rest-validation metrics-get-history.json, metric_key:dotdot).
const HISTORY_OF_UNSAFE_KEYS =
  "MLflow's SqlAlchemyStore reads any key; its FileStore refuses unsafe file names";

const ODD_NAMES = [
  "ü-ñame ☃",
  "with space",
  " lead",
  "trail ",
  "a/b",
  "a.b",
  "..",
  ".",
  "a/../b",
  "/abs",
  "back\\slash",
  "😀".repeat(3),
  "x".repeat(500),
  "x".repeat(501),
  "😀".repeat(250),
  "😀".repeat(251),
  "",
  "   ",
  "nul\0here",
  "it's",
  'say "hi"',
  "100%_x",
];

const ODD_KEYS = [
  "plain",
  "with space",
  "a/b",
  "a.b",
  "..",
  ".",
  "a/../b",
  "./a",
  "/a",
  "a/",
  "a//b",
  "back\\slash",
  "ü",
  "😀",
  "a-b_c",
  "k".repeat(250),
  "k".repeat(251),
  "😀".repeat(250),
  "",
  " ",
  "nul\0",
  "a:b",
  "it's",
];

async function run(r: Recorder, label: string, experimentId = "0") {
  const created = await r.step(
    `create run ${label}`,
    () => r.store.createRun({ experimentId, runName: label, startTime: 1700000000000, userId: "u" }),
    `run:${label}`,
  );
  return created!.info.runId;
}

Deno.test("experiment names: odd characters and lengths, lookups by name", () =>
  assertStoresAgree(async (r) => {
    for (const [i, name] of ODD_NAMES.entries()) {
      await r.step(
        `create ${i} ${JSON.stringify(name.slice(0, 20))}`,
        () => r.store.createExperiment(name),
        `exp:${i}`,
      );
      await r.step(`get by name ${i}`, () => r.store.getExperimentByName(name));
    }
    const id = (await r.step("create renamed", () => r.store.createExperiment("renamed"), "exp:renamed"))!;
    for (const [i, name] of ODD_NAMES.entries()) {
      await r.step(`rename onto ${i}`, () => r.store.renameExperiment(id, `${name}-r`));
    }
  }));

Deno.test("param, tag and metric keys: odd characters and lengths", () =>
  assertStoresAgree(keysScenario, {
    sqliteVsFile: Object.fromEntries(ODD_KEYS.map((_, i) => [`history ${i}`, HISTORY_OF_UNSAFE_KEYS])),
    localVsRest: {
      [`history ${ODD_KEYS.indexOf("")}`]: "MLflow's server refuses an empty metric_key as missing",
    },
  }));

async function keysScenario(r: Recorder) {
  {
    const id = await run(r, "keys");
    for (const [i, key] of ODD_KEYS.entries()) {
      await r.step(`param ${i}`, () => r.store.logBatch(id, { params: [{ key, value: "v" }] }));
      await r.step(`tag ${i}`, () => r.store.setTag(id, key, "v"));
      await r.step(`batch tag ${i}`, () => r.store.logBatch(id, { tags: [{ key, value: "w" }] }));
      await r.step(
        `metric ${i}`,
        () => r.store.logBatch(id, { metrics: [{ key, value: 1, timestamp: 5, step: 0 }] }),
      );
      await r.step(`history ${i}`, () => r.store.getMetricHistory(id, key));
      await r.step(`exp tag ${i}`, () => r.store.setExperimentTag("0", key, "v"));
    }
    await r.step("read back", () => r.store.getRun(id));
    await r.step("exp read back", () => r.store.getExperiment("0"));
  }
}

Deno.test("values at and over MLflow's length limits", () =>
  assertStoresAgree(async (r) => {
    const id = await run(r, "values");
    const cases: [string, string][] = [
      ["ascii", "v"],
      ["😀", "😀"],
      ["é", "é"],
    ];
    for (const [name, ch] of cases) {
      for (const n of [5000, 5001, 6000, 6001, 8000, 8001]) {
        const value = ch.repeat(n);
        await r.step(`param ${name} ${n}`, () =>
          r.store.logBatch(id, { params: [{ key: `p-${name}-${n}`, value }] }));
        await r.step(`tag ${name} ${n}`, () =>
          r.store.setTag(id, `t-${name}-${n}`, value));
        await r.step(`exp tag ${name} ${n}`, () => r.store.setExperimentTag("0", `e-${name}-${n}`, value));
      }
    }
    await r.step("empty param", () => r.store.logBatch(id, { params: [{ key: "empty", value: "" }] }));
    await r.step("empty tag", () => r.store.setTag(id, "empty", ""));
    await r.step("nul value", () => r.store.setTag(id, "nul", "a\0b"));
    await r.step("read back", () => r.store.getRun(id));
    for (const n of [250, 251]) {
      await r.step(`run name ${n}`, () =>
        r.store.createRun({ experimentId: "0", runName: "n".repeat(n), startTime: 1 }));
    }
  }));

Deno.test("metric values, steps and timestamps: NaN, ±Infinity, -0, extremes, repeats", () =>
  assertStoresAgree(async (r) => {
    const id = await run(r, "metrics");
    const values = [
      NaN,
      Infinity,
      -Infinity,
      -0,
      0,
      1e308,
      -1e308,
      5e-324,
      1.7976931348623157e308,
      0.1 + 0.2,
    ];
    for (const [i, value] of values.entries()) {
      await r.step(
        `value ${i}`,
        () => r.store.logBatch(id, { metrics: [{ key: `v${i}`, value, timestamp: 1, step: 0 }] }),
      );
    }
    const stamps = [0, -1, 2 ** 53 - 1, 253402300799999, -(2 ** 53 - 1)];
    for (const [i, timestamp] of stamps.entries()) {
      await r.step(
        `timestamp ${i}`,
        () => r.store.logBatch(id, { metrics: [{ key: "ts", value: i, timestamp, step: i }] }),
      );
    }
    for (const [i, step] of [-1, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 31].entries()) {
      await r.step(
        `step ${i}`,
        () => r.store.logBatch(id, { metrics: [{ key: "st", value: i, timestamp: 1, step }] }),
      );
    }
    for (const [i, value] of [0.3, 0.29, 0.29, 0.5].entries()) {
      await r.step(
        `same step ${i}`,
        () => r.store.logBatch(id, { metrics: [{ key: "rep", value, timestamp: 10, step: 5 }] }),
      );
    }
    await r.step(
      "same point twice in a batch",
      () =>
        r.store.logBatch(id, {
          metrics: [{ key: "dup", value: 1, timestamp: 1, step: 1 }, {
            key: "dup",
            value: 1,
            timestamp: 1,
            step: 1,
          }],
        }),
    );
    await r.step(
      "same point again",
      () => r.store.logBatch(id, { metrics: [{ key: "dup", value: 1, timestamp: 1, step: 1 }] }),
    );
    await r.step(
      "NaN then number at one step",
      () =>
        r.store.logBatch(id, {
          metrics: [{ key: "nan", value: NaN, timestamp: 2, step: 0 }, {
            key: "nan",
            value: 3,
            timestamp: 2,
            step: 0,
          }],
        }),
    );
    await r.step("read back", () => r.store.getRun(id));
    for (const key of ["v0", "v1", "v2", "v3", "ts", "st", "rep", "dup", "nan"]) {
      await r.step(`history ${key}`, () => r.store.getMetricHistory(id, key));
    }
  }));

const metricPoints = (n: number, key = (i: number) => `m${i % 7}`): Metric[] =>
  Array.from({ length: n }, (_, i) => ({ key: key(i), value: i, timestamp: 1000 + i, step: i }));
const pairs = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: `${i}` }));

Deno.test("log_batch at and over its limits, duplicates inside one batch, params re-logged", () =>
  assertStoresAgree(async (r) => {
    const id = await run(r, "batch");
    await r.step("1000 metrics", () => r.store.logBatch(id, { metrics: metricPoints(1000) }));
    await r.step("1001 metrics", () => r.store.logBatch(id, { metrics: metricPoints(1001) }));
    await r.step("100 params", () => r.store.logBatch(id, { params: pairs(100, "p") }));
    await r.step("101 params", () => r.store.logBatch(id, { params: pairs(101, "q") }));
    await r.step("100 tags", () => r.store.logBatch(id, { tags: pairs(100, "t") }));
    await r.step("101 tags", () => r.store.logBatch(id, { tags: pairs(101, "u") }));
    await r.step(
      "1000 metrics + 1 param",
      () => r.store.logBatch(id, { metrics: metricPoints(1000), params: [{ key: "over", value: "1" }] }),
    );
    await r.step(
      "same param twice, same value",
      () => r.store.logBatch(id, { params: [{ key: "d", value: "1" }, { key: "d", value: "1" }] }),
    );
    await r.step(
      "same param twice, two values",
      () => r.store.logBatch(id, { params: [{ key: "e", value: "1" }, { key: "e", value: "2" }] }),
    );
    await r.step(
      "param re-logged, same value",
      () => r.store.logBatch(id, { params: [{ key: "p1", value: "1" }] }),
    );
    await r.step(
      "param re-logged, new value",
      () => r.store.logBatch(id, { params: [{ key: "p1", value: "X" }] }),
    );
    // A client's logBatch/logParams passes asBatch (MLflow's log_batch words a change its own way).
    await r.step(
      "new param beside a changed one",
      () =>
        r.store.logBatch(id, {
          params: [{ key: "fresh", value: "1" }, { key: "p2", value: "X" }],
          asBatch: true,
        }),
    );
    await r.step(
      "one changed param in a batch call",
      () => r.store.logBatch(id, { params: [{ key: "p3", value: "X" }], asBatch: true }),
    );
    await r.step(
      "same tag twice in a batch",
      () => r.store.logBatch(id, { tags: [{ key: "tt", value: "first" }, { key: "tt", value: "last" }] }),
    );
    await r.step(
      "a bad metric after good ones",
      () =>
        r.store.logBatch(id, {
          metrics: [{ key: "ok", value: 1, timestamp: 1, step: 0 }, {
            key: "bad//k",
            value: 1,
            timestamp: 1,
            step: 0,
          }],
        }),
    );
    await r.step("history ok", () => r.store.getMetricHistory(id, "ok"));
    await r.step("empty batch", () => r.store.logBatch(id, {}));
    const got = await r.step("read back", () => r.store.getRun(id));
    void got;
    await r.step("history m3", () => r.store.getMetricHistory(id, "m3"));
  }));

Deno.test("a changed param through the client: log_param's words for logParam, log_batch's for batches", () =>
  assertStoresAgree(async (r) => {
    const client = new MlflowClient(r.store);
    const id = await run(r, "client");
    await r.step("logParams", () => client.logParams(id, { a: 1, b: "x" }));
    await r.step("logParam changed", () => client.logParam(id, "a", 2));
    await r.step("logParam same", () => client.logParam(id, "a", 1));
    await r.step("logParams one changed", () => client.logParams(id, { c: 3, b: "y" }));
    await r.step("logBatch changed", () => client.logBatch(id, { params: { a: "3" } }));
    await r.step("read back", () => r.store.getRun(id));
  }));

// A key that is the folder of another ("a" and "a/b") cannot both be files in an mlruns run: MLflow's
// FileStore fails with an OS error (a 500), kmlf's refuses the write up front; SQL stores keep both.
const FOLDER_KEYS = "the mlruns layout cannot hold a key and a key below it; SQL stores can";

Deno.test("keys that are a prefix folder of another key, and names differing by case or spaces", () =>
  assertStoresAgree(prefixScenario, {
    sqliteVsFile: Object.fromEntries(
      [
        "param a/b",
        "param c",
        "tag x then x/y",
        "metric m then m/n",
        "metric p/q then p",
        "read back",
        "exp tag k then k/l",
      ]
        .map((label) => [label, FOLDER_KEYS]),
    ),
  }));

async function prefixScenario(r: Recorder) {
  {
    const id = await run(r, "prefix");
    await r.step("param a", () => r.store.logBatch(id, { params: [{ key: "a", value: "1" }] }));
    await r.step("param a/b", () => r.store.logBatch(id, { params: [{ key: "a/b", value: "2" }] }));
    await r.step("param c/d", () => r.store.logBatch(id, { params: [{ key: "c/d", value: "1" }] }));
    await r.step("param c", () => r.store.logBatch(id, { params: [{ key: "c", value: "2" }] }));
    await r.step(
      "tag x then x/y",
      () => r.store.logBatch(id, { tags: [{ key: "x", value: "1" }, { key: "x/y", value: "2" }] }),
    );
    await r.step("metric m then m/n", async () => {
      await r.store.logBatch(id, { metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }] });
      return await r.store.logBatch(id, { metrics: [{ key: "m/n", value: 2, timestamp: 1, step: 0 }] });
    });
    await r.step("metric p/q then p", async () => {
      await r.store.logBatch(id, { metrics: [{ key: "p/q", value: 1, timestamp: 1, step: 0 }] });
      return await r.store.logBatch(id, { metrics: [{ key: "p", value: 2, timestamp: 1, step: 0 }] });
    });
    await r.step("read back", () => r.store.getRun(id));
    await r.step("exp Iris", () => r.store.createExperiment("Iris"), "exp:Iris");
    await r.step("exp iris", () => r.store.createExperiment("iris"), "exp:iris");
    await r.step("exp 'iris '", () => r.store.createExperiment("iris "), "exp:iris-space");
    await r.step("by name IRIS", () => r.store.getExperimentByName("IRIS"));
    await r.step("exp tag k then k/l", async () => {
      await r.store.setExperimentTag("0", "k", "1");
      return await r.store.setExperimentTag("0", "k/l", "2");
    });
  }
}
