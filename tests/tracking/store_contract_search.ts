/**
 * The search part of the store contract: MLflow's filter grammar, order_by, view types and paging
 * over a fixed set of runs (modelled on the fixture's recorded searches, plus NaN, IS NULL, IN,
 * aliases, LIKE escaping and datasets).
 */
import assert from "node:assert/strict";
import type { Metric, TrackingStore } from "../../lib/tracking/mod.ts";
import { rejectsWith, type StoreFactory, withStore } from "./store_contract_helpers.ts";

interface RunSpec {
  exp: "A" | "B";
  start: number;
  name: string;
  params?: Record<string, string>;
  metrics?: Record<string, number>;
  tags?: Record<string, string>;
  status?: "FINISHED" | "FAILED";
  deleted?: boolean;
}

// deno-fmt-ignore
const RUNS: Record<string, RunSpec> = {
  r1: { exp: "A", start: 1000, name: "iris-logreg", params: { model: "logreg", C: "1.0" }, metrics: { acc: 0.95, loss: 0.1 }, tags: { team: "ml" } },
  r2: { exp: "A", start: 2000, name: "iris-svm", params: { model: "svm", C: "0.5" }, metrics: { acc: 0.97, roc: NaN }, tags: { team: "ml" } },
  r3: { exp: "A", start: 3000, name: "baseline-tree", params: { model: "tree", C: "1x0" }, metrics: { acc: 0.88 }, tags: { team: "ds", quote: 'say "it\'s"', path: "C:\\tmp" } },
  r4: { exp: "A", start: 4000, name: "iris-failed", status: "FAILED", tags: { error: "diverged" } },
  r5: { exp: "A", start: 5000, name: "iris-deleted", metrics: { acc: 0.99 }, deleted: true },
  r6: { exp: "B", start: 6000, name: "trial-1", params: { lr: "0.1", model: "logreg" }, metrics: { acc: 0.93 } },
  r7: { exp: "B", start: 7000, name: "trial-2", params: { lr: "0.01", model: "logreg" }, metrics: { acc: 0.96 } },
};

/** Creates the runs; returns experiment ids and label → run id. */
export async function seedSearchRuns(store: TrackingStore) {
  const exps = { A: await store.createExperiment("search-a"), B: await store.createExperiment("search-b") };
  const ids: Record<string, string> = {};
  for (const [label, spec] of Object.entries(RUNS)) {
    const run = await store.createRun({
      experimentId: exps[spec.exp],
      runName: spec.name,
      startTime: spec.start,
    });
    const id = run.info.runId;
    ids[label] = id;
    const metrics: Metric[] = Object.entries(spec.metrics ?? {}).map(([key, value]) => ({
      key,
      value,
      timestamp: spec.start + 1,
      step: 0,
    }));
    await store.logBatch(id, {
      metrics,
      params: Object.entries(spec.params ?? {}).map(([key, value]) => ({ key, value })),
      tags: Object.entries(spec.tags ?? {}).map(([key, value]) => ({ key, value })),
    });
    await store.updateRun(id, { status: spec.status ?? "FINISHED", endTime: spec.start + 500 });
    if (spec.deleted) await store.deleteRun(id);
  }
  await store.logInputs(ids.r1, [{
    dataset: { name: "iris", digest: "d1", sourceType: "local", source: "{}" },
    tags: { "mlflow.data.context": "training" },
  }]);
  return { exps, ids };
}

/** [experiments, filter, orderBy, view type, expected labels in order] */
type Case = ["A" | "B" | "AB", string, string[], "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL", string[]];

// deno-fmt-ignore
export const SEARCH_CASES: Case[] = [
  ["A", "metrics.acc > 0.9", [], "ACTIVE_ONLY", ["r2", "r1"]],
  ["AB", "params.model = 'logreg'", [], "ACTIVE_ONLY", ["r7", "r6", "r1"]],
  ["A", "tags.mlflow.runName LIKE 'iris%'", [], "ACTIVE_ONLY", ["r4", "r2", "r1"]],
  ["A", "tags.`mlflow.runName` LIKE 'IRIS%'", [], "ACTIVE_ONLY", []],
  ["A", "tags.mlflow.runName ILIKE 'IRIS%'", [], "ACTIVE_ONLY", ["r4", "r2", "r1"]],
  ["A", "attributes.status = 'FAILED'", [], "ACTIVE_ONLY", ["r4"]],
  ["A", "", ["metrics.acc DESC"], "ACTIVE_ONLY", ["r2", "r1", "r3", "r4"]],
  ["A", "", ["metrics.acc DESC"], "ALL", ["r5", "r2", "r1", "r3", "r4"]],
  ["A", "", ["metrics.acc ASC"], "ACTIVE_ONLY", ["r3", "r1", "r2", "r4"]],
  ["A", "", [], "DELETED_ONLY", ["r5"]],
  ["B", "", ["params.lr ASC"], "ACTIVE_ONLY", ["r7", "r6"]],
  ["AB", "metrics.acc >= 0.93 and params.model = 'logreg'", ["metrics.acc DESC", "attributes.start_time ASC"], "ACTIVE_ONLY", ["r7", "r1", "r6"]],
  ["A", "metrics.loss < 0.2", ["attributes.start_time ASC"], "ACTIVE_ONLY", ["r1"]],
  ["A", "metrics.roc != 0.5", [], "ACTIVE_ONLY", ["r2"]],
  ["A", "metrics.roc < 1", [], "ACTIVE_ONLY", []],
  ["A", "metrics.roc = 0", [], "ACTIVE_ONLY", []],
  ["A", "", ["metrics.roc ASC"], "ACTIVE_ONLY", ["r2", "r4", "r3", "r1"]],
  ["A", "", ["metrics.roc DESC"], "ACTIVE_ONLY", ["r2", "r4", "r3", "r1"]],
  ["A", "attributes.`run name` = 'iris-svm'", [], "ACTIVE_ONLY", ["r2"]],
  ["A", "run_name != 'iris-svm'", ["attributes.run_name"], "ACTIVE_ONLY", ["r3", "r4", "r1"]],
  ["A", "attributes.start_time >= 3000", [], "ACTIVE_ONLY", ["r4", "r3"]],
  ["A", "created < 2500", [], "ACTIVE_ONLY", ["r2", "r1"]],
  ["A", "tags.team ILIKE 'ML'", [], "ACTIVE_ONLY", ["r2", "r1"]],
  ["A", "params.C IS NULL", [], "ACTIVE_ONLY", ["r4"]],
  ["A", "tags.error IS NOT NULL", [], "ACTIVE_ONLY", ["r4"]],
  ["A", "params.C LIKE '1.0'", [], "ACTIVE_ONLY", ["r1"]],
  ["A", "params.C LIKE '1_0'", [], "ACTIVE_ONLY", ["r3", "r1"]],
  ["A", "params.\"C\" = \"0.5\"", [], "ACTIVE_ONLY", ["r2"]],
  ["A", "", ["tags.team DESC"], "ACTIVE_ONLY", ["r2", "r1", "r3", "r4"]],
  ["A", "", ["params.model"], "ACTIVE_ONLY", ["r1", "r2", "r3", "r4"]],
  ["A", "datasets.name = 'iris'", [], "ACTIVE_ONLY", ["r1"]],
  ["A", "dataset.context IN ('training', 'eval')", [], "ACTIVE_ONLY", ["r1"]],
  ["A", "metrics.acc > 0.8 AND params.model != 'svm' AND tags.team = 'ml'", [], "ACTIVE_ONLY", ["r1"]],
  // Quotes and backslashes in values: escaped the same way in '…' and "…".
  ["A", String.raw`tags.quote = "say \"it's\"" AND tags.quote = 'say "it\'s"'`, [], "ACTIVE_ONLY", ["r3"]],
  ["A", String.raw`tags.quote = "say ""it's""" AND tags.path = "C:\\tmp" AND tags.path = 'C:\\tmp'`, [], "ACTIVE_ONLY", ["r3"]],
  ["A", String.raw`tags.path LIKE 'C:\%'`, [], "ACTIVE_ONLY", ["r3"]],
];

function expIds(which: Case[0], exps: { A: string; B: string }): string[] {
  return which === "AB" ? [exps.A, exps.B] : [exps[which]];
}

/**
 * Registers the search contract tests for one store implementation.
 *
 * @example
 * ```ts
 * searchContract("sqlite", makeStore);
 * ```
 */
export function searchContract(name: string, make: StoreFactory): void {
  Deno.test(`${name} store: searches runs with MLflow's filter grammar, order_by and view types`, () =>
    withStore(make, async (store) => {
      const { exps, ids } = await seedSearchRuns(store);
      const label = Object.fromEntries(Object.entries(ids).map(([l, id]) => [id, l]));
      for (const [which, filter, orderBy, runViewType, want] of SEARCH_CASES) {
        const { runs } = await store.searchRuns({
          experimentIds: expIds(which, exps),
          filter,
          orderBy,
          runViewType,
        });
        assert.deepEqual(
          runs.map((r) => label[r.info.runId]),
          want,
          `${filter} ${orderBy.join(",")} ${runViewType}`,
        );
      }
      const inList = await store.searchRuns({
        experimentIds: [exps.A],
        filter: `attributes.run_id IN ('${ids.r1}', '${ids.r3}')`,
      });
      assert.deepEqual(inList.runs.map((r) => label[r.info.runId]), ["r3", "r1"]);
      const notIn = await store.searchRuns({
        experimentIds: [exps.A],
        filter: `run_id NOT IN ('${ids.r1}')`,
      });
      assert.deepEqual(notIn.runs.map((r) => label[r.info.runId]), ["r4", "r3", "r2"]);
      // An experiment named twice lists its runs once (the file store listed them twice); an id is matched
      // as written, on every store (SQLite matched " 1", "01" and "1.0" to experiment 1, PostgreSQL "01").
      const labels = async (experimentIds: string[]) =>
        (await store.searchRuns({ experimentIds, runViewType: "ALL" })).runs.map((r) => label[r.info.runId]);
      assert.deepEqual(await labels([exps.B, exps.B, exps.B]), ["r7", "r6"]);
      assert.deepEqual(await labels([exps.B, exps.A, exps.B]), await labels([exps.A, exps.B]));
      const page = await store.searchRuns({ experimentIds: [exps.B, exps.B], maxResults: 2 });
      assert.equal(page.nextPageToken, undefined);
      for (const written of [` ${exps.B}`, `${exps.B} `, `0${exps.B}`, `${exps.B}.0`, `+${exps.B}`]) {
        assert.deepEqual(await labels([written]), [], JSON.stringify(written));
      }
    }));

  Deno.test(`${name} store: compares and sorts infinite metrics as MLflow's SQL stores hold them`, () =>
    withStore(make, async (store) => {
      // MLflow's SQL stores hold ±inf as ±1.7976931348623157e308; the file store keeps inf in its files but
      // searches the same way, and a bound beyond it (1e309) is that infinity. NaN matches only `!=`.
      const exp = await store.createExperiment("search-inf");
      const values: Record<string, number> = {
        pinf: Infinity,
        max: Number.MAX_VALUE,
        ninf: -Infinity,
        one: 1,
      };
      const label: Record<string, string> = {};
      let start = 1000;
      for (const [l, value] of Object.entries(values)) {
        const run = await store.createRun({ experimentId: exp, runName: l, startTime: start++ });
        label[run.info.runId] = l;
        await store.logBatch(run.info.runId, { metrics: [{ key: "m", value, timestamp: 1, step: 0 }] });
      }
      // deno-fmt-ignore
      const cases: [string, string[], string[]][] = [
        ["metrics.m > 1e308", [], ["max", "pinf"]],
        ["metrics.m >= 1e309", [], ["max", "pinf"]],
        ["metrics.m = 1e309", [], ["max", "pinf"]],
        ["metrics.m = 1.7976931348623157e308", [], ["max", "pinf"]],
        ["metrics.m != 1e309", [], ["one", "ninf"]],
        ["metrics.m < 1e309", [], ["one", "ninf"]],
        ["metrics.m > -1e309", [], ["one", "max", "pinf"]],
        ["metrics.m <= -1e309", [], ["ninf"]],
        ["", ["metrics.m DESC"], ["max", "pinf", "one", "ninf"]],
        ["", ["metrics.m ASC"], ["ninf", "one", "max", "pinf"]],
      ];
      for (const [filter, orderBy, want] of cases) {
        const { runs } = await store.searchRuns({ experimentIds: [exp], filter, orderBy });
        assert.deepEqual(runs.map((r) => label[r.info.runId]), want, `${filter} ${orderBy}`);
      }
    }));

  Deno.test(`${name} store: returns complete runs from searches and pages through them with tokens`, () =>
    withStore(make, async (store) => {
      const { exps, ids } = await seedSearchRuns(store);
      const all = await store.searchRuns({ experimentIds: [exps.A, exps.B], runViewType: "ALL" });
      assert.equal(all.runs.length, 7);
      assert.equal(all.nextPageToken, undefined);
      assert.deepEqual(all.runs.find((r) => r.info.runId === ids.r1), await store.getRun(ids.r1));
      const paged: string[] = [];
      let pageToken: string | undefined;
      let pages = 0;
      do {
        const page = await store.searchRuns({
          experimentIds: [exps.A, exps.B],
          runViewType: "ALL",
          maxResults: 2,
          pageToken,
        });
        paged.push(...page.runs.map((r) => r.info.runId));
        pageToken = page.nextPageToken;
        pages++;
      } while (pageToken);
      assert.equal(pages, 4);
      assert.deepEqual(paged, all.runs.map((r) => r.info.runId));
      assert.deepEqual((await store.searchRuns({ experimentIds: [] })).runs, []);
      await rejectsWith(
        store.searchRuns({ experimentIds: [exps.A], maxResults: 50001 }),
        "INVALID_PARAMETER_VALUE",
      );
      await rejectsWith(
        store.searchRuns({ experimentIds: [exps.A], pageToken: "%%%" }),
        "INVALID_PARAMETER_VALUE",
      );
    }));

  Deno.test(`${name} store: rejects bad filters and order_by with MLflow's messages`, () =>
    withStore(make, async (store) => {
      // MLflow 2.17.2's messages (the whole message is checked in search_grammar_test.ts).
      const bad: [string, string][] = [
        ["metrics.acc >> 0.9", "Invalid comparator '>>' not one of"],
        ["foo.bar = 'x'", "Invalid entity type 'foo'"],
        ["metrics.acc = 'high'", "Expected numeric value type for metric. Found 'high'"],
        ["params.model = 1", "Expected a quoted string value for parameter"],
        ["metrics.acc > 0.9 OR params.a = 'b'", "Invalid clause(s) in filter string: 'OR'"],
        ["attributes.nope = 'x'", "Invalid attribute key 'nope' specified"],
        ["params.model LIKE", "Invalid clause(s) in filter string: 'params.model', 'LIKE'"],
        ["attributes.status IN ('FAILED')", "Only the 'run_id' attribute supports comparison with a list"],
        [
          "params.model IN ('a')",
          "Expected a quoted string value for parameter (e.g. 'my-value'). Got value ('a')",
        ],
        ["tags.a = 'unterminated", "Invalid clause(s) in filter string: 'tags.a', '=', ''', 'unterminated'"],
      ];
      for (const [filter, fragment] of bad) {
        await rejectsWith(
          store.searchRuns({ experimentIds: ["0"], filter }),
          "INVALID_PARAMETER_VALUE",
          fragment,
        );
      }
      await rejectsWith(
        store.searchRuns({ experimentIds: ["0"], orderBy: ["metrics.acc DOWN"] }),
        "INVALID_PARAMETER_VALUE",
        "Invalid ordering key in order_by clause 'metrics.acc DOWN'.",
      );
      await rejectsWith(
        store.searchRuns({ experimentIds: ["0"], orderBy: ["metrics.a", "metrics.a DESC"] }),
        "INVALID_PARAMETER_VALUE",
        "`order_by` contains duplicate fields: ['metrics.a', 'metrics.a DESC']",
      );
    }));
}
