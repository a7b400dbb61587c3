/**
 * MlflowArtifactDataset's `dataset:` (a type name or a mapping, possibly itself a wrapper): its errors name
 * `<entry>.dataset.<key>` and point at that key's line:column, as a catalog entry's own keys do
 * (partitioned and incremental: tests/catalog/nested_dataset_errors_test.ts).
 */
import assert from "node:assert/strict";
import { builtinRegistry, Catalog } from "../../lib/catalog/mod.ts";
import { formatLocation, KmlfAggregateError, KmlfError } from "../../lib/errors.ts";
import { MlflowRunState, registerMlflowDatasets } from "../../lib/mlflow/mod.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";

const FILE = "/project/conf/base/catalog.yml";

async function catalogErrors(yaml: string): Promise<string[]> {
  const registry = builtinRegistry();
  registerMlflowDatasets(registry, new MlflowRunState());
  const src = parseYaml(yaml, FILE);
  try {
    await Catalog.fromConfig({ data: src.value as Record<string, unknown>, locate: src.locate }, {
      projectRoot: "/tmp/kmlf-nested-none",
      registry,
    });
  } catch (error) {
    const errors = error instanceof KmlfAggregateError ? error.errors : [error];
    return errors.map((e) =>
      e instanceof KmlfError ? `${e.code} ${e.message} @ ${formatLocation(e.source)}` : String(e)
    );
  }
  throw new Error("the catalog was built");
}

const at = (position: string, keyPath: string) => `${FILE}:${position} (${keyPath})`;

Deno.test("mlflow_artifact: a typo'd type (the dataset: shorthand or in its mapping) or a bad argument is reported at that value", async () => {
  assert.deepEqual(await catalogErrors("art:\n  type: mlflow_artifact\n  dataset: jsn\n"), [
    `catalog/unknown-type Unknown dataset type "jsn" for "art" @ ${at("3:12", "art.dataset")}`,
  ]);
  assert.deepEqual(await catalogErrors("art:\n  type: mlflow_artifact\n  dataset: ''\n"), [
    `catalog/missing-type Catalog entry "art" has no type @ ${at("3:12", "art.dataset")}`,
  ]);
  assert.deepEqual(
    await catalogErrors("art:\n  type: mlflow_artifact\n  dataset:\n    filepath: a.json\n    type: jsn\n"),
    [`catalog/unknown-type Unknown dataset type "jsn" for "art" @ ${at("5:11", "art.dataset.type")}`],
  );
  // As a bad value of the wrapped dataset's load_args is.
  assert.deepEqual(
    await catalogErrors(
      "art:\n  type: mlflow_artifact\n  dataset:\n    type: pandas.CSVDataset\n    filepath: a.csv\n    load_args:\n" +
        "      sep: 3\n",
    ),
    [
      `catalog/bad-argument Invalid value for "art.dataset.load_args.sep" in dataset "art" (pandas.CSVDataset): ` +
      `expected a string, got the number 3 @ ${at("7:12", "art.dataset.load_args.sep")}`,
    ],
  );
});

Deno.test("mlflow_artifact: a wrapped dataset without a file, or with a URL, is refused at its dataset:", async () => {
  const noFile =
    `mlflow/artifact-needs-file MlflowArtifactDataset "art" wraps a dataset without a local file`;
  assert.deepEqual(await catalogErrors("art:\n  type: mlflow_artifact\n  dataset: memory\n"), [
    `${noFile} @ ${at("3:12", "art.dataset")}`,
  ]);
  assert.deepEqual(await catalogErrors("art:\n  type: mlflow_artifact\n  dataset:\n    type: memory\n"), [
    `${noFile} @ ${at("4:5", "art.dataset")}`,
  ]);
  assert.deepEqual(
    await catalogErrors(
      "art:\n  type: mlflow_artifact\n  dataset:\n    type: json\n    filepath: s3://b/x.json\n",
    ),
    [
      `catalog/remote-filepath Cannot use filepath "s3://b/x.json": kmlf's datasets read and write local files, ` +
      `not s3:// URLs @ ${at("5:15", "art.dataset.filepath")}`,
    ],
  );
});

Deno.test("mlflow_artifact around a partitioned folder: the partitions' dataset is art.dataset.dataset.<key>", async () => {
  assert.deepEqual(
    await catalogErrors(
      "art:\n  type: mlflow_artifact\n  dataset:\n    type: partitioned\n    path: p\n    dataset:\n      type: json\n" +
        "      bogus: 1\n",
    ),
    [
      `catalog/bad-argument Unknown key "art.dataset.dataset.bogus" in dataset "art" (json) @ ` +
      at("8:14", "art.dataset.dataset.bogus"),
    ],
  );
  assert.deepEqual(
    await catalogErrors(
      "art:\n  type: mlflow_artifact\n  dataset:\n    type: partitioned\n    path: p\n    dataset: jsn\n",
    ),
    [`catalog/unknown-type Unknown dataset type "jsn" for "art" @ ${at("6:14", "art.dataset.dataset")}`],
  );
  assert.deepEqual(
    await catalogErrors(
      "art:\n  type: mlflow_artifact\n  dataset:\n    type: incremental\n    path: p\n    dataset: json\n" +
        "    checkpoint:\n      comparison_func: 3\n",
    ),
    [
      `catalog/bad-checkpoint dataset.checkpoint.comparison_func of "art" must be text @ ` +
      at("8:24", "art.dataset.checkpoint.comparison_func"),
    ],
  );
});

Deno.test("mlflow_artifact around a model folder: the model dataset's own checks name art.dataset.<group>.<key>", async () => {
  const model =
    "art:\n  type: mlflow_artifact\n  dataset:\n    type: mlflow_model_local\n    flavor: js_value\n" +
    "    filepath: data/model\n";
  assert.deepEqual(await catalogErrors(`${model}    save_args:\n      bogus: 1\n`), [
    `catalog/bad-argument Unknown key "art.dataset.save_args.bogus" for flavor js_value @ ` +
    at("8:14", "art.dataset.save_args.bogus"),
  ]);
  assert.deepEqual(await catalogErrors(`${model}    load_args:\n      bogus: 1\n`), [
    `catalog/bad-argument Unknown key "art.dataset.load_args.bogus" for flavor js_value @ ` +
    at("8:14", "art.dataset.load_args.bogus"),
  ]);
});
