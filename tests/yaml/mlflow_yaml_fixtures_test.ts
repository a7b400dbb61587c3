/**
 * Every YAML file real MLflow 2.17.2 wrote in tests/fixtures (meta.yaml of runs, experiments, registered
 * models and model versions; MLmodel), read and written again by kmlf's writers, is the same bytes.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { load } from "js-yaml";
import { PYYAML_SCHEMA } from "../../lib/yaml/yaml11.ts";
import { pyyamlDump } from "../../lib/yaml/pyyaml_dump.ts";
import { writeMeta } from "../../lib/tracking/stores/file/file_format.ts";
import { mlmodelToYaml, parseMlmodel } from "../../lib/tracking/models/mlmodel.ts";

const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* walk(path);
    else if (entry.isFile) yield path;
  }
}

Deno.test("meta.yaml files MLflow wrote come out byte for byte the same from kmlf's writeMeta", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-meta-fixtures-" });
  try {
    let count = 0;
    for (const root of ["mlflow-2.17.2", "registry-filestore"]) {
      for await (const path of walk(join(FIXTURES, root))) {
        if (!path.endsWith("meta.yaml")) continue;
        const text = await Deno.readTextFile(path);
        const out = join(dir, `${count++}.yaml`);
        await writeMeta(out, load(text, { schema: PYYAML_SCHEMA }) as Record<string, unknown>);
        assert.equal(await Deno.readTextFile(out), text, relative(FIXTURES, path));
      }
    }
    assert.ok(count >= 10, `only ${count} meta.yaml fixtures`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the MLmodel MLflow wrote (a signature folded at column 80) comes out byte for byte the same", async () => {
  const path = join(FIXTURES, "mlflow-2.17.2/model/logged_model/MLmodel");
  const text = await Deno.readTextFile(path);
  assert.match(text, /^ {4}"double"/m, "the fixture folds its signature");
  assert.equal(pyyamlDump(load(text, { schema: PYYAML_SCHEMA })), text);
  // Through kmlf's model type too: every field MLflow wrote is one kmlf keeps.
  assert.equal(mlmodelToYaml(parseMlmodel(text, path)), text);
});
