/** The search part of the registry contract: MLflow's registry filter grammar, ordering and paging. */
import assert from "node:assert/strict";
import type { ModelRegistryStore, TrackingStore } from "../../lib/tracking/mod.ts";
import { rejectsWith } from "./store_contract_helpers.ts";

type RegistryTest = (
  title: string,
  fn: (registry: ModelRegistryStore, store: TrackingStore) => Promise<void>,
) => void;

const names = (page: { registeredModels: { name: string }[] }) => page.registeredModels.map((m) => m.name);
const versions = (page: { modelVersions: { name: string; version: string }[] }) =>
  page.modelVersions.map((v) => `${v.name}:${v.version}`);

async function seed(r: ModelRegistryStore): Promise<void> {
  await r.createRegisteredModel("iris-a", { tags: { team: "ml", stage: "dev" } });
  await r.createRegisteredModel("iris-b", { tags: { team: "data" } });
  await r.createRegisteredModel("Wine");
  await r.createModelVersion("iris-a", "s3://b/iris-a/1", { runId: "r1" });
  await r.createModelVersion("iris-a", "s3://b/iris-a/2", { runId: "r2", tags: { checked: "yes" } });
  await r.createModelVersion("iris-b", "s3://b/iris-b/1", { runId: "r1" });
  await r.createModelVersion("Wine", "https://models.example/wine", { runId: "r3" });
}

/** Registers the search tests. */
export function registrySearchContract(test: RegistryTest): void {
  test("searches models by name (=, LIKE, ILIKE) and tags, ordered by name by default", async (r) => {
    await seed(r);
    assert.deepEqual(names(await r.searchRegisteredModels()), ["Wine", "iris-a", "iris-b"]);
    assert.deepEqual(names(await r.searchRegisteredModels({ filter: "name LIKE 'iris%'" })), [
      "iris-a",
      "iris-b",
    ]);
    assert.deepEqual(names(await r.searchRegisteredModels({ filter: "name ILIKE 'WIN%'" })), ["Wine"]);
    assert.deepEqual(names(await r.searchRegisteredModels({ filter: "name LIKE 'WIN%'" })), []);
    assert.deepEqual(names(await r.searchRegisteredModels({ filter: "name = 'iris-b'" })), ["iris-b"]);
    assert.deepEqual(names(await r.searchRegisteredModels({ filter: "name != 'iris-b'" })), [
      "Wine",
      "iris-a",
    ]);
    assert.deepEqual(names(await r.searchRegisteredModels({ filter: "tags.team = 'ml'" })), ["iris-a"]);
    assert.deepEqual(
      names(await r.searchRegisteredModels({ filter: "name LIKE 'iris%' AND tags.`team` != 'ml'" })),
      ["iris-b"],
    );
    assert.deepEqual(names(await r.searchRegisteredModels({ filter: "tags.team LIKE '%a%'" })), ["iris-b"]);
    const model = (await r.searchRegisteredModels({ filter: "name = 'iris-a'" })).registeredModels[0];
    assert.deepEqual(model.latestVersions.map((v) => v.version), ["2"]);
    assert.deepEqual(model.tags, { team: "ml", stage: "dev" });
    // ILIKE folds ASCII letters only, as MLflow's SQL stores (SQLite's lower()) and kmlf's run and experiment
    // searches do: É is not é, and İ stays one character for `_`.
    await r.createRegisteredModel("ÉCOLE-İ", { tags: { team: "Équipe" } });
    assert.deepEqual(names(await r.searchRegisteredModels({ filter: "name ILIKE 'école%'" })), []);
    assert.deepEqual(names(await r.searchRegisteredModels({ filter: "name ILIKE 'Écol%'" })), ["ÉCOLE-İ"]);
    assert.deepEqual(names(await r.searchRegisteredModels({ filter: "name ILIKE '%-_'" })), [
      "iris-a",
      "iris-b",
      "ÉCOLE-İ",
    ]);
    assert.deepEqual(names(await r.searchRegisteredModels({ filter: "tags.team ILIKE 'équipe'" })), []);
    assert.deepEqual(names(await r.searchRegisteredModels({ filter: "tags.team ILIKE 'ÉQUIPE'" })), [
      "ÉCOLE-İ",
    ]);
  });

  test("orders and pages model searches", async (r) => {
    await seed(r);
    assert.deepEqual(names(await r.searchRegisteredModels({ orderBy: ["name DESC"] })), [
      "iris-b",
      "iris-a",
      "Wine",
    ]);
    await r.setRegisteredModelTag("iris-a", "touched", "yes");
    await new Promise((resolve) => setTimeout(resolve, 5)); // a later millisecond than every creation
    await r.updateRegisteredModel("iris-a", "newest");
    const byTime = names(await r.searchRegisteredModels({ orderBy: ["last_updated_timestamp DESC"] }));
    assert.equal(byTime[0], "iris-a");
    const first = await r.searchRegisteredModels({ maxResults: 2 });
    assert.deepEqual(names(first), ["Wine", "iris-a"]);
    assert.ok(first.nextPageToken);
    const second = await r.searchRegisteredModels({ maxResults: 2, pageToken: first.nextPageToken });
    assert.deepEqual(names(second), ["iris-b"]);
    assert.equal(second.nextPageToken, undefined);
  });

  test("refuses bad model searches with MLflow's messages", async (r) => {
    await rejectsWith(
      r.searchRegisteredModels({ filter: "foo = 'x'" }),
      "INVALID_PARAMETER_VALUE",
      "Invalid attribute key 'foo' specified. Valid keys are '{'name'}'",
    );
    await rejectsWith(
      r.searchRegisteredModels({ filter: "name ==" }),
      "INVALID_PARAMETER_VALUE",
      "Invalid clause(s) in filter string",
    );
    await rejectsWith(
      r.searchRegisteredModels({ filter: "name = iris" }),
      "INVALID_PARAMETER_VALUE",
      "Parameter value is either not quoted or unidentified quote types used for string value iris.",
    );
    await rejectsWith(
      r.searchRegisteredModels({ orderBy: ["bogus DESC"] }),
      "INVALID_PARAMETER_VALUE",
      "Invalid attribute key 'bogus'",
    );
    await rejectsWith(
      r.searchRegisteredModels({ orderBy: ["name SIDEWAYS"] }),
      "INVALID_PARAMETER_VALUE",
      "Invalid ordering key in order_by clause 'name SIDEWAYS'.",
    );
    await rejectsWith(r.searchRegisteredModels({ maxResults: 1001 }), "INVALID_PARAMETER_VALUE", "1001");
    await rejectsWith(r.searchRegisteredModels({ maxResults: 0 }), "INVALID_PARAMETER_VALUE", "0");
    await rejectsWith(
      r.searchRegisteredModels({ pageToken: "abc" }),
      "INVALID_PARAMETER_VALUE",
      "Invalid page token",
    );
  });

  test("searches versions by name, run_id (= and IN), source_path, version_number and tags", async (r) => {
    await seed(r);
    assert.deepEqual(versions(await r.searchModelVersions({ filter: "name = 'iris-a'" })), [
      "iris-a:2",
      "iris-a:1",
    ]);
    assert.deepEqual(
      versions(await r.searchModelVersions({ filter: "run_id = 'r1'", orderBy: ["name ASC"] })),
      ["iris-a:1", "iris-b:1"],
    );
    assert.deepEqual(
      versions(await r.searchModelVersions({ filter: "run_id IN ('r2', 'r3')", orderBy: ["name ASC"] })),
      ["Wine:1", "iris-a:2"],
    );
    assert.deepEqual(versions(await r.searchModelVersions({ filter: "source_path LIKE 'https:%'" })), [
      "Wine:1",
    ]);
    assert.deepEqual(versions(await r.searchModelVersions({ filter: "version_number > 1" })), ["iris-a:2"]);
    assert.deepEqual(versions(await r.searchModelVersions({ filter: "tags.checked = 'yes'" })), ["iris-a:2"]);
    assert.deepEqual(
      versions(
        await r.searchModelVersions({
          filter: "name LIKE 'iris%' AND version_number = 1",
          orderBy: ["name DESC"],
        }),
      ),
      ["iris-b:1", "iris-a:1"],
    );
    const all = await r.searchModelVersions();
    assert.equal(all.modelVersions.length, 4);
    assert.equal(versions(all)[0], "Wine:1", "newest first by default");
    const byNumber = await r.searchModelVersions({ orderBy: ["version_number DESC", "name ASC"] });
    assert.deepEqual(versions(byNumber), ["iris-a:2", "Wine:1", "iris-a:1", "iris-b:1"]);
    const page = await r.searchModelVersions({ maxResults: 3, orderBy: ["name ASC"] });
    assert.deepEqual(versions(page), ["Wine:1", "iris-a:2", "iris-a:1"]);
    const rest = await r.searchModelVersions({
      maxResults: 3,
      orderBy: ["name ASC"],
      pageToken: page.nextPageToken,
    });
    assert.deepEqual(versions(rest), ["iris-b:1"]);
  });

  test("refuses bad version searches with MLflow's messages", async (r) => {
    await rejectsWith(
      r.searchModelVersions({ filter: "foo = 'x'" }),
      "INVALID_PARAMETER_VALUE",
      "Invalid attribute key 'foo' specified. Valid keys are '{'version_number', 'source_path', 'run_id', 'name'}'",
    );
    await rejectsWith(
      r.searchModelVersions({ filter: "name IN ('a')" }),
      "INVALID_PARAMETER_VALUE",
      "Only the 'run_id' attribute supports comparison with a list of quoted string values.",
    );
    await rejectsWith(
      r.searchModelVersions({ orderBy: [""] }),
      "INVALID_PARAMETER_VALUE",
      "Invalid order_by clause ''. Could not be parsed.",
    );
    await rejectsWith(r.searchModelVersions({ maxResults: 200_001 }), "INVALID_PARAMETER_VALUE", "200001");
    await rejectsWith(
      r.searchModelVersions({ maxResults: -1 }),
      "INVALID_PARAMETER_VALUE",
      "It must be a positive integer, but got -1",
    );
  });
}
