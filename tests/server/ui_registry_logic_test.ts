/** The registry pages' routes, parsed by the UI's router (routes.js). */
import assert from "node:assert/strict";
import { parseRoute } from "../../lib/server/ui/src/routes.js";

Deno.test("the registry's hash routes name the models list, a model and a version", () => {
  assert.deepEqual([parseRoute("#/models").name, parseRoute("#/models").params], ["models", {}]);
  const model = parseRoute("#/models/iris%20v2");
  assert.deepEqual([model.name, model.params], ["model", { name: "iris v2" }]);
  const slash = parseRoute("#/models/team%2Firis/versions/3");
  assert.deepEqual([slash.name, slash.params], ["model-version", { name: "team/iris", version: "3" }]);
  assert.equal(parseRoute("#/models?q=iri").query.get("q"), "iri");
  assert.equal(parseRoute("#/models/iris/oops").name, "not-found");
});
