/**
 * Search equivalence, shared by the SQLite and PostgreSQL tests: a store's SQL search and the in-memory
 * evaluator (file store) give the same results — the same runs in the same order — over generated runs
 * with missing values, NaN, ±Infinity, ties, mixed case, Unicode and LIKE metacharacters, for many
 * filters and orderings. Each run carries its seed index as tag `seq`, so two stores' results compare.
 */
import assert from "node:assert/strict";
import { seededRandom } from "../seeded_random.ts";
import {
  type DatasetInput,
  type Run,
  searchExperimentsInMemory,
  searchRunsInMemory,
  type TrackingStore,
} from "../../lib/tracking/mod.ts";

const WORDS = [
  "alpha",
  "Alpha",
  "beta",
  "b_ta",
  "gamma%",
  "δέλτα",
  "ÉCOLE",
  "école",
  "a.c",
  "abc",
  "😀x",
  "x",
  `it's`,
  `say "hi"`,
  "x\\y",
];

async function seed(store: TrackingStore, random: () => number): Promise<string[]> {
  const exps = [await store.createExperiment("eq-a"), await store.createExperiment("eq-b")];
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  for (let i = 0; i < 60; i++) {
    const run = await store.createRun({
      experimentId: pick(exps),
      runName: `${pick(WORDS)}-${i % 7}`,
      startTime: 1000 + Math.floor(random() * 20) * 10, // many ties on start_time
      userId: pick(["ann", "bob", "Ann"]),
      tags: { seq: String(i) },
    });
    const id = run.info.runId;
    const metrics = [];
    for (const key of ["m1", "m2", "m3"]) {
      if (random() < 0.25) continue;
      const value = pick([random(), random() * 100 - 50, NaN, Infinity, -Infinity, 0, 1, 0.5, 0.5]);
      metrics.push({ key, value, timestamp: 5 + Math.floor(random() * 3), step: Math.floor(random() * 3) });
    }
    const params = ["p1", "p2"].filter(() => random() > 0.2).map((key) => ({ key, value: pick(WORDS) }));
    const tags = ["t1", "t2"].filter(() => random() > 0.3).map((key) => ({ key, value: pick(WORDS) }));
    await store.logBatch(id, { metrics, params, tags });
    const datasets = ["iris", "Iris", "wine_%"].filter(() => random() < 0.3).map((name): DatasetInput => ({
      dataset: { name, digest: pick(["d1", "d2"]), sourceType: "local", source: "{}" },
      tags: random() < 0.7 ? { "mlflow.data.context": pick(["training", "eval"]) } : {},
    }));
    if (datasets.length) await store.logInputs(id, datasets);
    if (random() < 0.3) {
      await store.updateRun(id, { status: pick(["FINISHED", "FAILED", "KILLED"]), endTime: 5000 + i });
    }
    if (random() < 0.15) await store.deleteRun(id);
  }
  return exps;
}

const FILTERS = [
  "",
  "metrics.m1 > 0.5",
  "metrics.m1 >= 0.5",
  "metrics.m2 < 0",
  "metrics.m2 <= 1e308",
  "metrics.m3 = 0.5",
  "metrics.m3 != 0.5",
  "metrics.m1 > -1e309",
  "params.p1 = 'alpha'",
  "params.p1 != 'alpha'",
  "params.p1 LIKE 'a%'",
  "params.p1 LIKE 'b_ta'",
  "params.p1 ILIKE 'ALPHA'",
  "params.p1 ILIKE 'école'",
  "params.p2 LIKE '%\\%'",
  "params.p2 LIKE 'gamma%'",
  "params.p2 LIKE '%.%'",
  "params.p1 IS NULL",
  "tags.t1 IS NOT NULL AND tags.t2 IS NULL",
  "tags.t1 LIKE '%x'",
  "attributes.status = 'FAILED'",
  "attributes.status != 'RUNNING'",
  "attributes.user_id ILIKE 'ann'",
  "attributes.run_name LIKE 'alpha-%'",
  "attributes.end_time > 5020",
  "attributes.start_time <= 1100 AND metrics.m1 < 0.9",
  // Bounds no bigint holds (a fraction, beyond int64, infinite): compared as numbers on every engine.
  "attributes.start_time > 1050.5 AND attributes.end_time < 1e400",
  "created >= -1e309 AND attributes.start_time != 1100.0 AND attributes.start_time < 99999999999999999999",
  "tags.mlflow.runName LIKE '%-3'",
  // Two clauses on one key, and a filter on the sort key (keyed clauses are joins in SQL).
  "metrics.m1 > 0 AND metrics.m1 < 0.9",
  "metrics.m2 != 0.5 AND params.p1 != 'alpha' AND tags.t1 IS NOT NULL",
  "params.p1 IS NOT NULL AND params.p2 IS NULL",
  // Quotes and backslashes inside values, escaped either way in either quote kind.
  String.raw`params.p1 = 'it''s' AND tags.t1 != "it\'s"`,
  String.raw`params.p2 = "say \"hi\"" AND params.p1 != 'say ""hi""'`,
  String.raw`params.p1 LIKE 'x\\%' AND tags.t2 != "x\\y"`,
  String.raw`tags.t2 = "x\\y"`,
  String.raw`attributes.run_name LIKE "it's-%"`,
  `params.p1 LIKE '%"%'`,
  // Datasets: each clause may be met by a different dataset of the run; a run without one never matches.
  "datasets.name = 'iris' AND datasets.context = 'eval'",
  "datasets.name ILIKE 'IRIS' AND datasets.digest != 'd1'",
  "datasets.name NOT IN ('iris') AND datasets.context IN ('training')",
  "datasets.name LIKE 'w_ne_%' AND datasets.digest = 'd2'",
];

const ORDERS = [
  [],
  ["metrics.m1 DESC"],
  ["metrics.m1 ASC"],
  ["metrics.m2 DESC", "params.p1 ASC"],
  ["params.p1 DESC"],
  ["tags.t1 ASC", "metrics.m3 DESC"],
  ["attributes.end_time DESC"],
  ["attributes.run_name ASC"],
  ["attributes.start_time ASC"],
  ["attributes.user_id DESC", "attributes.status ASC"],
  ["metrics.m2 ASC", "metrics.m1 DESC"],
];

/**
 * Seeds `store`, compares every search with the in-memory evaluator, and returns each search's result
 * as the runs' `seq` tags (a key per search), so results of two stores can be compared.
 */
export async function runSearchesAgree(store: TrackingStore): Promise<Map<string, string[]>> {
  const results = new Map<string, string[]>();
  {
    const exps = await seed(store, seededRandom(7));
    const all: Run[] =
      (await store.searchRuns({ experimentIds: exps, runViewType: "ALL", maxResults: 50000 })).runs;
    assert.equal(all.length, 60);
    let compared = 0;
    for (const filter of FILTERS) {
      for (const orderBy of ORDERS) {
        for (const runViewType of ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"] as const) {
          for (const experimentIds of [exps, [exps[1]]]) {
            const options = { experimentIds, filter, orderBy, runViewType, maxResults: 7 };
            let token: string | undefined;
            let sqlIds: string[] = [];
            let memIds: string[] = [];
            do {
              const sql = await store.searchRuns({ ...options, pageToken: token });
              const mem = searchRunsInMemory(all, { ...options, pageToken: token });
              assert.equal(sql.nextPageToken, mem.nextPageToken);
              sqlIds = [...sqlIds, ...sql.runs.map((r) => r.info.runId)];
              memIds = [...memIds, ...mem.runs.map((r) => r.info.runId)];
              token = sql.nextPageToken;
            } while (token);
            assert.deepEqual(sqlIds, memIds, `filter="${filter}" order=${orderBy} view=${runViewType}`);
            const seq = new Map(all.map((r) => [r.info.runId, r.data.tags.seq]));
            results.set(
              `${filter} | ${orderBy} | ${runViewType} | ${experimentIds.length}`,
              sqlIds.map((id) => seq.get(id)!),
            );
            compared++;
          }
        }
      }
    }
    assert.equal(compared, FILTERS.length * ORDERS.length * 6);
  }
  return results;
}

/** Creates experiments in `store` and compares every experiment search with the in-memory evaluator. */
export async function experimentSearchesAgree(store: TrackingStore): Promise<void> {
  {
    const random = seededRandom(11);
    for (let i = 0; i < 25; i++) {
      const id = await store.createExperiment(`${WORDS[i % WORDS.length]}-${i}`);
      if (random() < 0.5) await store.setExperimentTag(id, "team", WORDS[Math.floor(random() * 4)]);
      if (random() < 0.2) await store.deleteExperiment(id);
    }
    const all = (await store.searchExperiments({ viewType: "ALL", maxResults: 100 })).experiments;
    const filters = [
      "",
      "name LIKE 'a%'",
      "name ILIKE 'A%'",
      "tags.team = 'beta'",
      "tags.team IS NULL",
      "creation_time > 0",
      "creation_time > 0.5 AND last_update_time < 1e400",
    ];
    const orders = [[], ["name"], ["name DESC"], ["experiment_id DESC"], ["creation_time ASC", "name DESC"]];
    for (const filter of filters) {
      for (const orderBy of orders) {
        for (const viewType of ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"] as const) {
          const options = { filter, orderBy, viewType, maxResults: 4 };
          let token: string | undefined;
          do {
            const sql = await store.searchExperiments({ ...options, pageToken: token });
            const mem = searchExperimentsInMemory(all, { ...options, pageToken: token });
            assert.deepEqual(
              sql.experiments.map((e) => e.experimentId),
              mem.experiments.map((e) => e.experimentId),
              `${filter} ${orderBy} ${viewType}`,
            );
            assert.equal(sql.nextPageToken, mem.nextPageToken);
            token = sql.nextPageToken;
          } while (token);
        }
      }
    }
  }
}
