/**
 * The SQLite, file and REST stores answer alike for run creation/update inputs (times, names, status),
 * the `mlflow.runName` tag, experiment tags and experiment search (see store_parity.ts).
 */
import type { DatasetInput } from "../../lib/tracking/mod.ts";
import { assertStoresAgree, type Recorder } from "./store_parity.ts";

Deno.test("run creation and update: times, names, status, the run-name tag", () =>
  assertStoresAgree(runScenario, {
    localVsRest: {
      "end 0":
        "the REST store reads an end_time of 0 as not ended (wire.ts: proto2 servers send 0 for unset)",
    },
  }));

async function runScenario(r: Recorder) {
  {
    for (const [i, startTime] of [0, -1, 2 ** 53 - 1, 1.5, Infinity].entries()) {
      await r.step(`start ${i}`, () => r.store.createRun({ experimentId: "0", startTime, runName: `s${i}` }));
    }
    await r.step("empty run name", async () => {
      const run = await r.store.createRun({ experimentId: "0", startTime: 1, runName: "" });
      return /^[a-z]+(-[a-z]+)+-\d+$/.test(run.info.runName); // a random name
    });
    await r.step("empty runName tag", async () => {
      const run = await r.store.createRun({
        experimentId: "0",
        startTime: 1,
        tags: { "mlflow.runName": "" },
      });
      return [run.info.runName === "", run.data.tags["mlflow.runName"] === ""];
    });
    await r.step(
      "same name and tag",
      () =>
        r.store.createRun({ experimentId: "0", startTime: 1, runName: "n", tags: { "mlflow.runName": "n" } }),
    );
    await r.step(
      "user with unicode",
      () => r.store.createRun({ experimentId: "0", startTime: 1, userId: "ü ser/..", runName: "u" }),
    );
    const made = await r.step(
      "target",
      () => r.store.createRun({ experimentId: "0", startTime: 10, runName: "t" }),
      "run:t",
    );
    const id = made!.info.runId;
    for (const [i, endTime] of [0, -1, 5, 2 ** 53 - 1, 1.5, NaN].entries()) {
      await r.step(`end ${i}`, () => r.store.updateRun(id, { endTime }));
    }
    for (const status of ["FINISHED", "KILLED", "SCHEDULED", "RUNNING", "finished", "BOGUS"]) {
      await r.step(`status ${status}`, () => r.store.updateRun(id, { status: status as "FINISHED" }));
    }
    await r.step("rename to empty", () => r.store.updateRun(id, { runName: "" }));
    await r.step("rename 250", () => r.store.updateRun(id, { runName: "r".repeat(250) }));
    await r.step("rename 251", () => r.store.updateRun(id, { runName: "r".repeat(251) }));
    await r.step("runName tag 251", () => r.store.setTag(id, "mlflow.runName", "q".repeat(251)));
    await r.step("runName tag 8000", () => r.store.setTag(id, "mlflow.runName", "q".repeat(8000)));
    await r.step("after runName tags", () => r.store.getRun(id));
    await r.step(
      "runName tag in batch",
      () => r.store.logBatch(id, { tags: [{ key: "mlflow.runName", value: "b" }] }),
    );
    await r.step("delete runName tag", () => r.store.deleteTag(id, "mlflow.runName"));
    await r.step("after delete runName tag", () => r.store.getRun(id));
    await r.step("delete missing tag", () => r.store.deleteTag(id, "nope"));
    await r.step(
      "update unknown run",
      () => r.store.updateRun("0123456789abcdef0123456789abcdef", { status: "FINISHED" }),
    );
    await r.step(
      "metric float timestamp",
      () => r.store.logBatch(id, { metrics: [{ key: "m", value: 1, timestamp: 1.5, step: 0 }] }),
    );
    await r.step(
      "metric float step",
      () => r.store.logBatch(id, { metrics: [{ key: "m", value: 1, timestamp: 1, step: 0.5 }] }),
    );
    await r.step("read back", () => r.store.getRun(id));
  }
}

Deno.test("experiment tags and experiment search", () =>
  assertStoresAgree(async (r) => {
    const tags = { "a.b": "1", "with space": "x", "mlflow.note.content": "n", big: "v".repeat(5000) };
    const e1 = await r.step("create tagged", () => r.store.createExperiment("ex-1", { tags }), "exp:1");
    await r.step("create over-long tag", () =>
      r.store.createExperiment("ex-x", { tags: { big: "v".repeat(5001) } }));
    await r.step("over-long name left nothing", () =>
      r.store.getExperimentByName("ex-x"));
    await r.step("create bad tag key", () => r.store.createExperiment("ex-y", { tags: { "../k": "v" } }));
    const e2 = await r.step("create 2", () => r.store.createExperiment("ex_2%"), "exp:2");
    await r.step("create 3", () => r.store.createExperiment("EX-3"), "exp:3");
    await r.step("tag 2", () => r.store.setExperimentTag(e2!, "a.b", "2"));
    await r.step("delete tag missing", () => r.store.deleteExperimentTag(e1!, "nope"));
    await r.step("delete tag", () => r.store.deleteExperimentTag(e1!, "with space"));
    const filters = [
      "name = 'ex-1'",
      "name LIKE 'ex%'",
      "name LIKE 'ex\\_2%'",
      "name ILIKE 'ex-%'",
      "name != 'ex-1'",
      "tags.`a.b` = '2'",
      "tags.a.b = '1'",
      "tags.`mlflow.note.content` = 'n'",
      "tags.`a.b` IS NULL",
      "attributes.name = 'EX-3'",
      "creation_time > 0",
      "last_update_time > 0",
      "experiment_id = '0'",
      "tags.big LIKE 'v%'",
      "name = ex",
      "metrics.x > 1",
      "name IN ('ex-1')",
      "lifecycle_stage = 'active'",
    ];
    for (const [i, filter] of filters.entries()) {
      await r.step(`filter ${i} ${filter}`, () => r.store.searchExperiments({ filter, orderBy: ["name"] }));
    }
    const orders = [["name DESC"], ["attributes.name"], ["tags.a"], [
      "name ASC",
      "creation_time",
    ], ["bogus"]];
    for (const [i, orderBy] of orders.entries()) {
      await r.step(`order ${i} ${orderBy}`, () => r.store.searchExperiments({ orderBy }));
    }
    await r.step("delete 2", () => r.store.deleteExperiment(e2!));
    await r.step("tag deleted", () => r.store.setExperimentTag(e2!, "k", "v"));
    await r.step("untag deleted", () => r.store.deleteExperimentTag(e2!, "a.b"));
    await r.step("search runs of deleted exp", () => r.store.searchRuns({ experimentIds: [e2!] }));
    await r.step("search runs of unknown exp", () => r.store.searchRuns({ experimentIds: ["0", "999"] }));
    await r.step("search runs named twice", () => r.store.searchRuns({ experimentIds: ["0", "0"] }));
    await r.step("deleted only", () =>
      r.store.searchExperiments({ viewType: "DELETED_ONLY", orderBy: ["name"] }));
  }));

Deno.test("dataset inputs: duplicates, odd names, limits, NUL, and search by dataset", () =>
  assertStoresAgree(async (r) => {
    const made = await r.step(
      "run",
      () => r.store.createRun({ experimentId: "0", startTime: 1, runName: "d" }),
      "run:d",
    );
    const id = made!.info.runId;
    const ds = (name: string, digest = "d1", extra: Partial<DatasetInput["dataset"]> = {}, tags = {}) => ({
      dataset: { name, digest, sourceType: "local", source: '{"uri": "x"}', ...extra },
      tags,
    });
    await r.step(
      "one",
      () => r.store.logInputs(id, [ds("iris", "d1", {}, { "mlflow.data.context": "training" })]),
    );
    await r.step(
      "same again",
      () => r.store.logInputs(id, [ds("iris", "d1", {}, { "mlflow.data.context": "eval" })]),
    );
    await r.step("twice in one call", () => r.store.logInputs(id, [ds("wine"), ds("wine")]));
    await r.step("odd name", () => r.store.logInputs(id, [ds("ü a/../b %_", "d2")]));
    await r.step("name 500", () => r.store.logInputs(id, [ds("n".repeat(500), "d3")]));
    await r.step("name 501", () => r.store.logInputs(id, [ds("n".repeat(501), "d4")]));
    await r.step("digest 37", () => r.store.logInputs(id, [ds("x", "d".repeat(37))]));
    await r.step("empty source", () => r.store.logInputs(id, [ds("x", "d5", { source: "" })]));
    await r.step("NUL name", () => r.store.logInputs(id, [ds("a\0b", "d6")]));
    await r.step("NUL source", () => r.store.logInputs(id, [ds("y", "d7", { source: "a\0" })]));
    await r.step("NUL tag value", () => r.store.logInputs(id, [ds("z", "d8", {}, { k: "a\0" })]));
    await r.step("tag value 501", () => r.store.logInputs(id, [ds("z", "d9", {}, { k: "v".repeat(501) })]));
    await r.step("empty list", () => r.store.logInputs(id, []));
    await r.step("read back", async () => {
      const run = await r.store.getRun(id);
      return run.inputs.datasetInputs.map((d) => [d.dataset.name.slice(0, 20), d.dataset.digest, d.tags])
        .sort();
    });
    for (
      const filter of [
        "datasets.name = 'iris'",
        "datasets.digest IN ('d2')",
        "datasets.context = 'training'",
        "datasets.name LIKE 'ü%'",
      ]
    ) {
      await r.step(
        `search ${filter}`,
        async () => (await r.store.searchRuns({ experimentIds: ["0"], filter })).runs.length,
      );
    }
    await r.step("deleted run", async () => {
      await r.store.deleteRun(id);
      return await r.store.logInputs(id, [ds("late", "d10")]);
    });
  }));

// kmlf's server refuses NUL in any request field (request/decode.ts), MLflow's stores word the
// same INVALID_PARAMETER_VALUE as an invalid id (file store), and a local search just matches nothing.
const SERVER_NUL = "kmlf's server refuses NUL in every request field before a store sees it";
// MLflow 2.17.2 (rest-validation experiments-get/runs-get): SQLite matches " 1 " (integer affinity) and
// answers 404 for a path-like run id or 1.5; its FileStore refuses those ids as invalid (400).
const ID_FORMS = "MLflow's SqlAlchemyStore looks odd ids up (SQLite affinity), its FileStore refuses them";

Deno.test("ids and search strings holding NUL or odd forms", () =>
  assertStoresAgree(oddIdsScenario, {
    localVsRestMessage: {
      "get run NUL": SERVER_NUL,
      "get exp NUL": SERVER_NUL,
      "history NUL run": SERVER_NUL,
    },
    localVsRest: {
      "filter NUL": SERVER_NUL,
      "order NUL": SERVER_NUL,
      "exp filter NUL": SERVER_NUL,
      "search exp id NUL": SERVER_NUL,
    },
    sqliteVsFile: {
      "get run spaced": ID_FORMS,
      "get run path": ID_FORMS,
      "get exp spaced": ID_FORMS,
      "get exp decimal": ID_FORMS,
    },
  }));

async function oddIdsScenario(r: Recorder) {
  {
    const made = await r.step(
      "run",
      () => r.store.createRun({ experimentId: "0", startTime: 1, runName: "i" }),
      "run:i",
    );
    const id = made!.info.runId;
    await r.step("get run NUL", () => r.store.getRun(`${id}\0`));
    await r.step("get run spaced", () => r.store.getRun(` ${id}`));
    await r.step("get run path", () => r.store.getRun("../0"));
    await r.step("get exp NUL", () => r.store.getExperiment("0\0"));
    await r.step("get exp spaced", () => r.store.getExperiment(" 0"));
    await r.step("get exp decimal", () => r.store.getExperiment("0.0"));
    await r.step("history NUL run", () => r.store.getMetricHistory(`${id}\0`, "m"));
    await r.step("filter NUL", () => r.store.searchRuns({ experimentIds: ["0"], filter: "tags.a = 'x\0'" }));
    await r.step("order NUL", () => r.store.searchRuns({ experimentIds: ["0"], orderBy: ["tags.a\0"] }));
    await r.step("exp filter NUL", () => r.store.searchExperiments({ filter: "name = 'x\0'" }));
    await r.step("search exp id NUL", () => r.store.searchRuns({ experimentIds: ["0\0"] }));
  }
}
