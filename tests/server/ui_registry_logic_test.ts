/** The registry pages' routes, parsed by the UI's router (routes.js), and their filter quoting (registry_api.js). */
import assert from "node:assert/strict";
import { parseRoute } from "../../lib/server/ui/src/routes.js";
import { quote } from "../../lib/server/ui/src/registry_api.js";
import { SqliteStore } from "../../lib/tracking/mod.ts";

Deno.test("the registry's hash routes name the models list, a model and a version", () => {
  assert.deepEqual([parseRoute("#/models").name, parseRoute("#/models").params], ["models", {}]);
  const model = parseRoute("#/models/iris%20v2");
  assert.deepEqual([model.name, model.params], ["model", { name: "iris v2" }]);
  const slash = parseRoute("#/models/team%2Firis/versions/3");
  assert.deepEqual([slash.name, slash.params], ["model-version", { name: "team/iris", version: "3" }]);
  assert.equal(parseRoute("#/models?q=iri").query.get("q"), "iri");
  assert.equal(parseRoute("#/models/iris/oops").name, "not-found");
});

Deno.test("the registry pages' quoted filter values find exactly the name typed, backslashes and quotes too", async () => {
  const store = SqliteStore.open(":memory:");
  try {
    const names = ["it's", "a\\", "a\\\\", "a\\'b", "x'\\'y", '"q"'];
    for (const name of names) {
      await store.registry.createRegisteredModel(name);
      await store.registry.createModelVersion(name, "s3://bucket/m");
    }
    for (const name of names) {
      const { modelVersions } = await store.registry.searchModelVersions({ filter: `name = ${quote(name)}` });
      assert.deepEqual(modelVersions.map((v) => v.name), [name]);
      // The models page's search box: ILIKE '%…%' over the same quoting.
      const { registeredModels } = await store.registry.searchRegisteredModels({
        filter: `name ILIKE ${quote(`%${name}%`)}`,
      });
      assert.ok(registeredModels.some((m) => m.name === name), name);
    }
  } finally {
    await store.close();
  }
});
