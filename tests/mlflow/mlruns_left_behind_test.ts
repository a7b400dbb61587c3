/**
 * kedro-mlflow's default store for a null tracking URI is ./mlruns, kmlf's mlflow.db: a project moved over with
 * its mlruns/ is told where its runs go, only while the default is in use and mlruns/ holds experiments.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { mlrunsLeftBehindNote, parseMlflowConfig } from "../../lib/mlflow/mod.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import { withTree } from "../fs_helpers.ts";

const config = (root: string, yaml: string) => {
  const src = parseYaml(yaml, join(root, "conf/base/mlflow.yml"));
  return parseMlflowConfig(
    { data: (src.value ?? {}) as Record<string, unknown>, files: [src.file], locate: src.locate },
    { projectName: "p" },
  );
};

Deno.test("the note names the default in use and the mlflow.yml key to set; none once a store is chosen", async () => {
  await withTree({ "mlruns/1/meta.yaml": "name: p\n" }, (root) => {
    const defaulted = config(root, "server:\n  mlflow_tracking_uri: null\n");
    const note = mlrunsLeftBehindNote(defaulted, undefined, root);
    assert.match(note!, /mlflow\.yml's server\.mlflow_tracking_uri is null\); the runs in mlruns\//);
    assert.match(note!, /\n {2}at conf\/base\/mlflow\.yml:2:\d+ \(server\.mlflow_tracking_uri\)$/);
    assert.match(mlrunsLeftBehindNote(undefined, undefined, root)!, /\(there is no mlflow\.yml\)/);
    for (const uri of ["mlruns", "mlflow.db", "sqlite:///other.db"]) {
      const chosen = config(root, `server:\n  mlflow_tracking_uri: ${uri}\n`);
      assert.equal(mlrunsLeftBehindNote(chosen, undefined, root), undefined, uri);
    }
    assert.equal(mlrunsLeftBehindNote(defaulted, "http://tracking:5000", root), undefined, "env URI wins");
  });
});

Deno.test("an mlruns/ without experiments (only models/ or .trash/) or no mlruns/ gives no note", async () => {
  await withTree({ "mlruns/models/m/meta.yaml": "name: m\n", "mlruns/.trash/x": "" }, (root) => {
    // models/ holds registry entries, whose meta.yaml sits one level deeper; an experiment's is directly inside.
    assert.equal(mlrunsLeftBehindNote(undefined, undefined, root), undefined);
  });
  await withTree({ "conf/base/x.yml": "" }, (root) => {
    assert.equal(mlrunsLeftBehindNote(undefined, undefined, root), undefined);
  });
});
