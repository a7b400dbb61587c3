/** `kmlf new` embeds the demo project; these fail when the embedded copy drifts from the demo files. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { mlflowYmlTemplate } from "../../lib/mlflow/mod.ts";
import { renderTemplateModule } from "../../tools/embed_template.ts";
import { REPO } from "../cli_harness.ts";

Deno.test("the embedded iris template matches the demo files (run `deno task embed-template` after editing them)", async () => {
  assert.equal(
    await Deno.readTextFile(join(REPO, "lib/cli/templates/iris_files.ts")),
    await renderTemplateModule(REPO),
  );
});

Deno.test("the demo's conf/base/mlflow.yml is what `kmlf mlflow init --env=base` writes", async () => {
  assert.equal(await Deno.readTextFile(join(REPO, "conf/base/mlflow.yml")), mlflowYmlTemplate("iris"));
});
