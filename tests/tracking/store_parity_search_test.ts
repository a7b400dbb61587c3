/**
 * The SQLite, file and REST stores answer deletes/restores, name reuse, view types, search filters and
 * order_by (quoting, backticks, `attributes.`, dotted tag keys, LIKE escapes, IN lists), page tokens
 * (reused across filters, forged) and metric-history paging alike (see store_parity.ts).
 */
import { assertStoresAgree, type Recorder } from "./store_parity.ts";

const b64 = (s: string) => btoa(s);

async function seed(r: Recorder) {
  const a = (await r.step("create exp a", () => r.store.createExperiment("par-a"), "exp:a"))!;
  const b = (await r.step("create exp b", () => r.store.createExperiment("par-b"), "exp:b"))!;
  // deno-fmt-ignore
  const specs: [string, string, number, Record<string, string>, Record<string, number>, Record<string, string>][] = [
    ["r1", a, 1000, { model: "logreg", "a.b": "x" }, { acc: 0.9, "val loss": 0.2 }, { "mlflow.note": "n1", team: "ml", "k.with.dots": "1" }],
    ["r2", a, 2000, { model: "svm" }, { acc: NaN }, { team: "100%_sure", quote: `it's "q"` }],
    ["r3", a, 2100, { model: "tree" }, { acc: Infinity }, { team: "a\\b", "k.with.dots": "2" }],
    ["r4", b, 3000, { model: "logreg" }, { acc: -Infinity }, { team: "ML" }],
    ["r5", b, 4000, {}, {}, { team: "ümlaut" }],
  ];
  const ids: Record<string, string> = {};
  for (const [label, exp, start, params, metrics, tags] of specs) {
    const run = await r.step(
      `create ${label}`,
      () => r.store.createRun({ experimentId: exp, runName: `name-${label}`, startTime: start }),
      `run:${label}`,
    );
    ids[label] = run!.info.runId;
    await r.step(`log ${label}`, () =>
      r.store.logBatch(ids[label], {
        params: Object.entries(params).map(([key, value]) => ({ key, value })),
        metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: start, step: 0 })),
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      }));
  }
  await r.step("finish r2", () => r.store.updateRun(ids.r2, { status: "FINISHED", endTime: 2500 }));
  return { a, b, ids };
}

const FILTERS = [
  "",
  "metrics.acc > 0.5",
  "metrics.acc >= 0",
  "metrics.acc != 0.9",
  "metrics.`val loss` < 1",
  'metrics."val loss" < 1',
  "params.model = 'logreg'",
  'params.model = "logreg"',
  "params.`a.b` = 'x'",
  "params.model != 'logreg'",
  "params.model LIKE 'log%'",
  "params.model ILIKE 'LOG%'",
  "tags.team LIKE '100\\%%'",
  "tags.team LIKE '100%\\_%'",
  "tags.team = 'a\\\\b'",
  "tags.team ILIKE 'ml'",
  "tags.team LIKE 'ü%'",
  "tags.k.with.dots = '1'",
  "tags.`k.with.dots` = '2'",
  "tags.mlflow.note = 'n1'",
  "tags.quote = 'it''s \"q\"'",
  "tags.quote LIKE '%\"q\"'",
  "tags.team IS NULL",
  "tags.team IS NOT NULL",
  "params.model IS NULL",
  "attributes.status = 'FINISHED'",
  "attributes.status != 'RUNNING'",
  "attributes.run_name = 'name-r1'",
  "attributes.run_name LIKE 'name-r%'",
  "run_name = 'name-r1'",
  "attributes.`run_name` = 'name-r2'",
  "attributes.start_time > 1500",
  "attributes.start_time = 2000",
  "attributes.end_time > 0",
  "attributes.run_id IN ('x', 'y')",
  "attributes.run_id NOT IN ('x')",
  "attributes.run_id = 'x'",
  "attributes.user_id = ''",
  "attributes.artifact_uri LIKE '%'",
  "metrics.acc > 0.5 AND params.model = 'svm'",
  "metrics.acc > 0.5 and tags.team != 'ML'",
  // malformed, or outside MLflow's grammar
  "metrics.acc > 'x'",
  "params.model > 'a'",
  "params.model IN ('logreg')",
  "tags.team = ml",
  "metrics.acc >",
  "metrics.acc > 0.5 OR metrics.acc < 0.1",
  "foo.bar = 1",
  "attributes.nope = 'x'",
  "attributes.start_time = 'x'",
  "attributes.status IN ('FINISHED')",
  "attributes.run_id IN ()",
  "tags.team LIKE 5",
  "`metrics`.acc > 0",
  "metrics.acc = NaN",
  "datasets.name = 'x'",
  "params.model = 'unterminated",
];

const ORDERS = [
  [],
  ["metrics.acc DESC"],
  ["metrics.acc"],
  ["metrics.`val loss` ASC"],
  ["params.model ASC", "attributes.start_time DESC"],
  ["tags.team DESC"],
  ["tags.`k.with.dots`"],
  ["attributes.run_name"],
  ["run_name DESC"],
  ["start_time ASC"],
  ["attributes.end_time DESC"],
  ["status"],
  ["metrics.acc desc"],
  ["metrics.acc DESCENDING"],
  ["nope.x"],
  ["metrics.acc DESC extra"],
  [""],
];

Deno.test("search runs: filters, order_by, view types", () =>
  assertStoresAgree(searchScenario, {
    localVsRestMessage: {
      "max 50001": "MLflow's server checks runs/search max_results in its request schema's words",
    },
  }));

async function searchScenario(r: Recorder) {
  {
    const { a, b, ids } = await seed(r);
    for (const [i, filter] of FILTERS.entries()) {
      await r.step(`filter ${i} ${filter}`, () => r.store.searchRuns({ experimentIds: [a, b], filter }));
    }
    for (const [i, orderBy] of ORDERS.entries()) {
      await r.step(`order ${i} ${orderBy}`, () => r.store.searchRuns({ experimentIds: [a, b], orderBy }));
    }
    await r.step("delete r1", () => r.store.deleteRun(ids.r1));
    for (const view of ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"] as const) {
      await r.step(`view ${view}`, () => r.store.searchRuns({ experimentIds: [a, b], runViewType: view }));
      await r.step(
        `exp view ${view}`,
        () => r.store.searchExperiments({ viewType: view, orderBy: ["name"] }),
      );
    }
    await r.step(
      "run id filter",
      () =>
        r.store.searchRuns({ experimentIds: [a], filter: `attributes.run_id IN ('${ids.r2}', '${ids.r3}')` }),
    );
    await r.step("no experiments", () => r.store.searchRuns({ experimentIds: [] }));
    await r.step("unknown experiment", () => r.store.searchRuns({ experimentIds: ["123456"] }));
    await r.step("max 0", () => r.store.searchRuns({ experimentIds: [a], maxResults: 0 }));
    await r.step("max 50001", () => r.store.searchRuns({ experimentIds: [a], maxResults: 50001 }));
    await r.step("max 50000", () => r.store.searchRuns({ experimentIds: [a], maxResults: 50000 }));
  }
}

Deno.test("page tokens: followed, reused across filters, forged", () =>
  assertStoresAgree(async (r) => {
    const { a, b } = await seed(r);
    const first = await r.step("page 1", () => r.store.searchRuns({ experimentIds: [a, b], maxResults: 2 }));
    const token = first!.nextPageToken!;
    await r.step("page 2", () =>
      r.store.searchRuns({ experimentIds: [a, b], maxResults: 2, pageToken: token }));
    await r.step("token under another filter", () =>
      r.store.searchRuns({
        experimentIds: [a, b],
        maxResults: 2,
        pageToken: token,
        filter: "params.model = 'logreg'",
      }));
    await r.step("token under another order", () =>
      r.store.searchRuns({
        experimentIds: [a, b],
        maxResults: 2,
        pageToken: token,
        orderBy: ["metrics.acc DESC"],
      }));
    const forged = [
      "abc",
      "",
      b64('{"offset": 4}'),
      b64('{"offset": 99}'),
      b64('{"offset": -1}'),
      b64('{"offset": "2"}'),
      b64('{"offset": 1.5}'),
      b64("{}"),
      b64("[]"),
      b64("null"),
      b64('{"offset": 2, "x": 1}'),
      b64("not json"),
      "!!!",
      b64('{"offset": 9999999999999999999}'),
    ];
    for (const [i, pageToken] of forged.entries()) {
      await r.step(`forged ${i}`, () =>
        r.store.searchRuns({ experimentIds: [a, b], maxResults: 2, pageToken }));
      await r.step(`forged exp ${i}`, () =>
        r.store.searchExperiments({ maxResults: 1, pageToken, orderBy: ["name"] }));
    }
  }));

// MLflow 2.17.2 (rest-validation experiments-delete/-get): SqlAlchemyStore deletes experiment 0 and
// answers 404 for id -1; FileStore refuses to delete 0 and calls -1 an invalid id (400).
const DEFAULT_DELETE = "MLflow's SqlAlchemyStore deletes experiment 0, its FileStore refuses";
const NEGATIVE_ID =
  "MLflow's FileStore refuses a malformed experiment id (400), SqlAlchemyStore finds none (404)";

Deno.test("deletes, restores, name reuse and view types", () =>
  assertStoresAgree(lifecycleScenario, {
    sqliteVsFile: {
      "delete Default": DEFAULT_DELETE,
      "exps all": DEFAULT_DELETE,
      "exp id -1": NEGATIVE_ID,
      "create run in -1": NEGATIVE_ID,
    },
  }));

async function lifecycleScenario(r: Recorder) {
  {
    const e = (await r.step("create", () => r.store.createExperiment("reuse"), "exp:reuse"))!;
    const run = (await r.step(
      "run",
      () => r.store.createRun({ experimentId: e, startTime: 5, runName: "x" }),
      "run:x",
    ))!;
    const id = run.info.runId;
    await r.step("delete exp", () => r.store.deleteExperiment(e));
    await r.step("reuse deleted name", () => r.store.createExperiment("reuse"));
    await r.step("rename deleted", () => r.store.renameExperiment(e, "other"));
    await r.step("rename onto deleted name", async () => {
      const other = await r.store.createExperiment("other2");
      r.name(other, "exp:other2");
      return await r.store.renameExperiment(other, "reuse");
    });
    await r.step("by name (deleted)", () => r.store.getExperimentByName("reuse"));
    await r.step("run of deleted exp", () => r.store.getRun(id));
    await r.step(
      "log to run of deleted exp",
      () => r.store.logBatch(id, { params: [{ key: "a", value: "1" }] }),
    );
    await r.step("delete run of deleted exp", () => r.store.deleteRun(id));
    await r.step("restore run of deleted exp", () => r.store.restoreRun(id));
    await r.step("search deleted exp", () => r.store.searchRuns({ experimentIds: [e], runViewType: "ALL" }));
    await r.step("delete exp twice", () => r.store.deleteExperiment(e));
    await r.step("restore exp", () => r.store.restoreExperiment(e));
    await r.step("restore exp twice", () => r.store.restoreExperiment(e));
    await r.step("run after restore", () => r.store.getRun(id));
    await r.step("delete run", () => r.store.deleteRun(id));
    await r.step("delete run twice", () => r.store.deleteRun(id));
    await r.step("tag deleted run", () => r.store.setTag(id, "k", "v"));
    await r.step("delete tag of deleted run", () => r.store.deleteTag(id, "k"));
    await r.step(
      "metric on deleted run",
      () => r.store.logBatch(id, { metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }] }),
    );
    await r.step("update deleted run", () => r.store.updateRun(id, { status: "FINISHED" }));
    await r.step("history of deleted run", () => r.store.getMetricHistory(id, "m"));
    await r.step("delete exp with deleted run", () => r.store.deleteExperiment(e));
    await r.step("restore exp with deleted run", () => r.store.restoreExperiment(e));
    await r.step("run stays deleted?", () => r.store.getRun(id));
    await r.step("restore run", () => r.store.restoreRun(id));
    await r.step("restore run twice", () => r.store.restoreRun(id));
    await r.step("delete Default", () => r.store.deleteExperiment("0"));
    await r.step("exps all", () => r.store.searchExperiments({ viewType: "ALL", orderBy: ["name"] }));
    await r.step("bad run id", () => r.store.getRun("nope"));
    await r.step("bad exp id", () => r.store.getExperiment("nope"));
    await r.step("bad exp id delete", () => r.store.deleteExperiment("nope"));
    await r.step("exp id -1", () => r.store.getExperiment("-1"));
    await r.step("create run in -1", () => r.store.createRun({ experimentId: "-1" }));
    await r.step("upper-case run id", () => r.store.getRun(id.toUpperCase()));
  }
}

Deno.test("metric history paging", () =>
  assertStoresAgree(async (r) => {
    const run = (await r.step("run", () =>
      r.store.createRun({ experimentId: "0", startTime: 5, runName: "h" }), "run:h"))!;
    const id = run.info.runId;
    const points = Array.from(
      { length: 25 },
      (_, i) => ({ key: "m", value: i, timestamp: 100 - i, step: i % 4 }),
    );
    await r.step("log", () =>
      r.store.logBatch(id, { metrics: points }));
    await r.step("all", () =>
      r.store.getMetricHistory(id, "m"));
    let token: string | undefined;
    for (let page = 0; page < 4; page++) {
      const got = await r.step(`page ${page}`, () =>
        r.store.getMetricHistory(id, "m", { maxResults: 7, pageToken: token }));
      token = got?.nextPageToken;
      if (!token) {
        break;
      }
    }
    await r.step("max 25", () =>
      r.store.getMetricHistory(id, "m", { maxResults: 25 }));
    await r.step("max 0", () =>
      r.store.getMetricHistory(id, "m", { maxResults: 0 }));
    await r.step("max -1", () =>
      r.store.getMetricHistory(id, "m", { maxResults: -1 }));
    await r.step(
      "forged token",
      () =>
        r.store.getMetricHistory(id, "m", { maxResults: 5, pageToken: "abc" }),
    );
    await r.step(
      "far token",
      () => r.store.getMetricHistory(id, "m", { maxResults: 5, pageToken: b64('{"offset": 100}') }),
    );
    await r.step(
      "negative token",
      () => r.store.getMetricHistory(id, "m", { maxResults: 5, pageToken: b64('{"offset": -3}') }),
    );
    await r.step("unknown run", () => r.store.getMetricHistory("0123456789abcdef0123456789abcdef", "m"));
    await r.step("unknown key", () => r.store.getMetricHistory(id, "nope"));
  }));
