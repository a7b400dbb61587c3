/**
 * The web UI's lists that span several pages of answers (the run page's child runs, the register form's
 * model names) and its copied artifact URIs, run without a browser against a real server: the UI's
 * relative `ajax-api/…` URLs are resolved against the served address, as a browser does against the page.
 */
import assert from "node:assert/strict";
import { apiPost, artifactFullUri } from "../../lib/server/ui/src/api.js";
import { allModelNames } from "../../lib/server/ui/src/registry_api.js";
import {
  childRunsFilter,
  childRunsRequest,
  childRunsTableHash,
} from "../../lib/server/ui/src/run_children.js";
import { parseRoute } from "../../lib/server/ui/src/routes.js";
import { collectCsvRuns, csvFileName, MAX_CSV_RUNS } from "../../lib/server/ui/src/runs_download.js";
import { runsSearchRequest } from "../../lib/server/ui/src/runs_query.js";
import { stateOf } from "../../lib/server/ui/src/runs_query.js";
import { SqliteStore } from "../../lib/tracking/mod.ts";
import { serveFixture } from "./ui_fixture.ts";

/** Serves a fresh in-memory store; `fetch` resolves the UI's relative URLs against it meanwhile. */
async function withServer(body: (store: SqliteStore) => Promise<void>): Promise<void> {
  const store = SqliteStore.open(":memory:");
  const { url, server } = serveFixture(store);
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
    realFetch(typeof input === "string" ? new URL(input, `${url}/`) : input, init);
  try {
    await body(store);
  } finally {
    globalThis.fetch = realFetch;
    await server.shutdown();
    await store.close();
  }
}

Deno.test("the register form suggests every registered model's name, past the first 1,000", async () => {
  await withServer(async (store) => {
    const names = Array.from({ length: 1203 }, (_, i) => `model-${String(i).padStart(4, "0")}`);
    for (const name of names) await store.registry.createRegisteredModel(name);
    assert.deepEqual(await allModelNames(), names);
  });
});

Deno.test("the child runs request pages through every child of the run and no other run", async () => {
  await withServer(async (store) => {
    const parent = await store.createRun({ experimentId: "0" });
    const other = await store.createRun({ experimentId: "0" });
    const children = new Set<string>();
    for (let i = 0; i < 7; i++) {
      const child = await store.createRun({ experimentId: "0" });
      await store.setTag(child.info.runId, "mlflow.parentRunId", parent.info.runId);
      children.add(child.info.runId);
    }
    const grandchild = await store.createRun({ experimentId: "0" });
    await store.setTag(grandchild.info.runId, "mlflow.parentRunId", other.info.runId);
    const info = { experiment_id: "0", run_id: parent.info.runId };
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await apiPost("runs/search", childRunsRequest(info, token, 3));
      seen.push(...(page.runs ?? []).map((r: { info: { run_id: string } }) => r.info.run_id));
      token = page.next_page_token;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(new Set(seen), children);
    assert.equal(seen.length, 7);
  });
});

Deno.test("the CSV download says when the cap left runs out, and only then", async () => {
  await withServer(async (store) => {
    const experimentId = await store.createExperiment("csv");
    for (let i = 0; i < 7; i++) await store.createRun({ experimentId });
    const state = stateOf(new URLSearchParams());
    const request = (token?: string, max?: number) => runsSearchRequest([experimentId], state, token, max);
    const asked: number[] = [];
    const counted = (token?: string, max?: number) => (asked.push(max!), request(token, max));
    const capped = await collectCsvRuns(counted, { maxRuns: 5 });
    assert.deepEqual([capped.runs.length, capped.capped], [5, true]);
    assert.deepEqual(asked, [6], "one run past the cap is asked for, no more");
    // Exactly the cap, or fewer: nothing left out, though the last page was full.
    for (const maxRuns of [7, 8, 1000]) {
      const all = await collectCsvRuns(request, { maxRuns });
      assert.deepEqual([all.runs.length, all.capped], [7, false], `maxRuns ${maxRuns}`);
    }
    assert.equal(csvFileName("iris", false), "iris-runs.csv");
    assert.equal(csvFileName("iris", true), `iris-runs-first-${MAX_CSV_RUNS}.csv`);
  });
});

Deno.test("the runs-table link of a run's children opens the table filtered on exactly those children", () => {
  const info = { experiment_id: "12", run_id: "ab'c" };
  const route = parseRoute(childRunsTableHash(info));
  assert.deepEqual([route.name, route.params.experimentIds], ["runs", ["12"]]);
  assert.equal(stateOf(route.query).filter, "tags.`mlflow.parentRunId` = 'ab''c'");
  assert.equal(stateOf(route.query).filter, childRunsFilter("ab'c"));
});

Deno.test("a copied artifact URI keeps '#', '%' and spaces inside the name where the store decodes paths", () => {
  const root = "mlflow-artifacts:/1/ab12/artifacts/";
  assert.equal(
    artifactFullUri(root, "a b/#1 100%.txt"),
    "mlflow-artifacts:/1/ab12/artifacts/a%20b/%231%20100%25.txt",
  );
  assert.equal(
    artifactFullUri("file:///srv/ml%20runs/1/ab/artifacts", "x?.csv"),
    "file:///srv/ml%20runs/1/ab/artifacts/x%3F.csv",
  );
  assert.equal(artifactFullUri("https://host/artifacts", "é.txt"), "https://host/artifacts/%C3%A9.txt");
  // A plain path and an object store's keys are read as written: encoding them would name another file.
  assert.equal(
    artifactFullUri("/srv/mlruns/1/ab/artifacts", "a b#1.txt"),
    "/srv/mlruns/1/ab/artifacts/a b#1.txt",
  );
  assert.equal(
    artifactFullUri("C:\\mlruns\\1\\ab\\artifacts", "a b.txt"),
    "C:\\mlruns\\1\\ab\\artifacts/a b.txt",
  );
  assert.equal(
    artifactFullUri("s3://bucket/1/ab/artifacts", "a b.txt"),
    "s3://bucket/1/ab/artifacts/a b.txt",
  );
  assert.equal(artifactFullUri(root, ""), "mlflow-artifacts:/1/ab12/artifacts");
  // MLflow's clients decode the copied URI back to the very name.
  const uri = artifactFullUri(root, "dir/50% off #2.txt");
  assert.equal(
    decodeURIComponent(new URL(uri).pathname.split("/").slice(-2).join("/")),
    "dir/50% off #2.txt",
  );
});
