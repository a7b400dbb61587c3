/**
 * What the listing and run commands load at once: every ~100 KB of code costs a command ~2 ms to load
 * (bench/README.md), so code only some commands use loads when they use it. The runners load with a run,
 * mlflow.yml's schema (its module takes ~2 ms to evaluate) when a project has an mlflow.yml, a dataset
 * type's code and schemas when a catalog entry uses the type, zod when a value is not in the validation cache.
 */
import assert from "node:assert/strict";
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { bundleFiles, bundleRunArgs } from "../../tools/build_bundle.ts";
import { demoProject, kmlfBundle, normalize, REPO, runDeno } from "../cli_harness.ts";
import { moduleGraph } from "../module_graph.ts";

const RUNNERS = ["sequential_runner", "parallel_runner", "thread_runner", "worker_pool", "scheduler"];
const loaded = (modules: Set<string>, names: string[]) =>
  [...modules].filter((m) => names.some((n) => m.endsWith(`/${n}.ts`)));

Deno.test("catalog and registry commands load no runner", async () => {
  for (const entry of ["lib/cli/catalog_command.ts", "lib/cli/registry_command.ts"]) {
    assert.deepEqual(loaded((await moduleGraph(entry)).static, RUNNERS), [], entry);
  }
});

Deno.test("no command loads mlflow.yml's schema before it finds an mlflow.yml", async () => {
  for (
    const entry of ["lib/cli/catalog_command.ts", "lib/cli/registry_command.ts", "lib/cli/run_command.ts"]
  ) {
    assert.deepEqual(loaded((await moduleGraph(entry)).static, ["mlflow_config"]), [], entry);
  }
});

// Dataset types the demo's runs do not use: the kedro-mlflow artifact and metric datasets (with the run
// access and artifact path rules behind them), yaml (with the PyYAML writer), text and binary.
const LAZY_TYPE_MODULES = [
  "run_dataset_types",
  "artifact_dataset",
  "metric_datasets",
  "run_access",
  "artifact_repository",
  "tracking_errors",
  "yaml_type",
  "yaml_dataset",
  "pyyaml_dump",
  "pyyaml_scalar",
  "text_dataset",
  "binary_dataset",
];

// The listings print with the PyYAML emitter (what Kedro's yaml.dump prints); a run needs it for no output.
const PYYAML_WRITER = ["pyyaml_dump", "pyyaml_scalar"];

Deno.test("listing and run commands load the code of no dataset type the demo's runs do not use", async () => {
  for (
    const entry of ["lib/cli/catalog_command.ts", "lib/cli/registry_command.ts", "lib/cli/run_command.ts"]
  ) {
    const listing = !entry.endsWith("run_command.ts");
    const modules = LAZY_TYPE_MODULES.filter((m) => !(listing && PYYAML_WRITER.includes(m)));
    assert.deepEqual(loaded((await moduleGraph(entry)).static, modules), [], entry);
  }
});

// What a tracked run's client and hook (both loaded by computed URL when a run is tracked) need only for
// other commands: the SQL model registry and `kmlf gc`'s deletes (the stores load them on first call),
// the S3 repository's work against a bucket, registering and resolving models, an exported workflow's run.
const TRACKED_RUN_LAZY = [
  "stores/sql/sql_registry",
  "stores/sql/registry_rows",
  "stores/sql/registry_versions",
  "stores/sql/sql_job",
  "stores/sql/sql_hard_delete",
  "stores/sqlite/sql_engine",
  "registry/rules",
  "registry/models_source",
  "registry/register_model",
  "artifacts/s3/s3_objects",
  "artifacts/s3/s3_client",
  "models/resolve_model",
  "models/model_uri",
  "mlflow/workflow_run",
];

Deno.test("a tracked run's client and hook load no registry, gc, S3, model-resolving or workflow code", async () => {
  for (const entry of ["lib/tracking/client/client.ts", "lib/mlflow/tracking_hook.ts"]) {
    assert.deepEqual(loaded((await moduleGraph(entry)).static, TRACKED_RUN_LAZY), [], entry);
  }
});

// Only a failed project import needs its wording; the dataset codecs load with their datasets (a run importing
// them mid-run was ~3 ms slower than loading them with the command: bench/README.md).
Deno.test("no command loads the wording of a failed project import before an import fails", async () => {
  assert.ok(Deno.statSync(join(REPO, "lib/import_failure.ts")).isFile);
  for (const entry of ["lib/cli/catalog_command.ts", "lib/cli/run_command.ts"]) {
    assert.deepEqual(loaded((await moduleGraph(entry)).static, ["import_failure"]), [], entry);
  }
});

// Rendering an error is needed when a command fails (or lists a broken catalog entry): `kmlf --help` and the
// commands load it then. `kmlf run` renders a broken entry it does not use within the run, so it loads it.
Deno.test("kmlf --help and the catalog and store commands load the error rendering only when they print one", async () => {
  for (const entry of ["lib/cli/main.ts", "lib/cli/catalog_command.ts", "lib/cli/cli_store.ts"]) {
    assert.deepEqual(loaded((await moduleGraph(entry)).static, ["error_render"]), [], entry);
  }
});

Deno.test("kmlf run loads Kedro's logging configuration code only when the project has a logging.yml", async () => {
  const modules = [...(await moduleGraph("lib/cli/run_command.ts")).static];
  assert.deepEqual(modules.filter((m) => m.includes("/lib/cli/logging/")), []);
  assert.ok(modules.some((m) => m.endsWith("/lib/cli/run_log.ts")), "the light resolution module is loaded");
});

// Code a sequential run reaches only through the parallel runner's checks or a worker: the partitioned
// dataset's module and listing (the checks ask `isPartitionedDataset` instead), and the console formatting
// a worker and a logging configuration use.
Deno.test("kmlf run loads no partitioned dataset code and no worker console formatting", async () => {
  const modules = (await moduleGraph("lib/cli/run_command.ts")).static;
  assert.deepEqual(loaded(modules, ["partitioned_dataset", "partition_listing", "console_text"]), []);
});

// The zod bundle costs a command ~2 ms and ~2 MB to load: a run whose configuration the validation cache
// holds (a bundle's run after the first) parses nothing, so it runs with the chunk holding zod removed.
Deno.test("a bundled run, untracked or tracked, whose configuration is all in the validation cache loads no zod", async () => {
  const parent = await Deno.makeTempDir({ prefix: "kmlf-test-nozod-" });
  const projects: string[] = [];
  try {
    const bundle = join(parent, "bundle");
    await cp(await kmlfBundle(), bundle, { recursive: true });
    const zod: string[] = [];
    for (const file of (await bundleFiles(bundle)).filter((f) => f.endsWith(".js"))) {
      if ((await Deno.readTextFile(join(bundle, file))).startsWith("// lib/zod/_bundle.js")) zod.push(file);
    }
    assert.equal(zod.length, 1, `the chunk holding zod: ${zod.join(", ")}`);
    projects.push(await demoProject({}, { tracked: false }), await demoProject({}, { tracked: true }));
    const run = (project: string) =>
      runDeno(
        ["run", "--cached-only", "--allow-all", ...bundleRunArgs(bundle), "run", "training", "-q"],
        project,
      );
    const first = await Promise.all(projects.map(async (project) => {
      const r = await run(project);
      assert.equal(r.code, 0, r.stderr);
      return normalize(r.stdout, project);
    }));
    await Deno.rename(join(bundle, zod[0]), join(parent, "zod.js"));
    for (const [i, project] of projects.entries()) {
      const second = await run(project);
      assert.equal(second.code, 0, `${project}: ${second.stderr}`);
      assert.equal(normalize(second.stdout, project), first[i]);
    }
  } finally {
    for (const project of [parent, ...projects]) await Deno.remove(project, { recursive: true });
  }
});
