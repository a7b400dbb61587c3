import assert from "node:assert/strict";
import { join } from "node:path";
import type { ConfigError, KmlfAggregateError } from "../../lib/errors.ts";
import {
  mlflowYmlTemplate,
  parseMlflowConfig,
  randomRunName,
  resolveArtifactLocation,
  resolveTrackingUri,
} from "../../lib/mlflow/mod.ts";
import { openStore } from "../../lib/tracking/mod.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import { pathToFileUri } from "../../lib/path.ts";
import { demoProject, kmlf } from "../cli_harness.ts";

const parse = (yaml: string) => {
  const src = parseYaml(yaml, "/p/conf/base/mlflow.yml");
  return parseMlflowConfig({
    data: (src.value ?? {}) as Record<string, unknown>,
    files: [src.file],
    locate: src.locate,
  }, { projectName: "iris" });
};

Deno.test("the init template is valid and gives kedro-mlflow's defaults", () => {
  const cfg = parse(mlflowYmlTemplate("iris"));
  assert.equal(cfg.server.trackingUri, null);
  assert.equal(cfg.tracking.experiment.name, "iris");
  assert.deepEqual(cfg.tracking.run, { id: null, name: null, nested: true });
  assert.deepEqual(cfg.tracking.params, {
    flatten: false,
    recursive: true,
    sep: ".",
    longParamsStrategy: "fail",
  });
  assert.deepEqual(cfg.ui, { port: 5000, host: "127.0.0.1" });
});

Deno.test("an empty mlflow.yml means defaults; the experiment is named after the project", () => {
  const cfg = parse("{}\n");
  assert.equal(cfg.tracking.experiment.name, "iris");
  assert.deepEqual(cfg.tracking.disablePipelines, []);
  assert.equal(cfg.tracking.experiment.restoreIfDeleted, true);
});

Deno.test("mlflow.yml errors: unknown keys with did-you-mean, strict booleans, enums, ports — all together", () => {
  assert.throws(
    () =>
      parse(
        "server:\n  mlflow_tracking_url: x\ntracking:\n  run:\n    nested: 'true'\n  params:\n    long_params_strategy: cut\nui:\n  port: 99999\n",
      ),
    (e: KmlfAggregateError) => {
      const text = e.errors.map((x) => `${x.source?.keyPath}: ${x.message} ${x.hint}`).join("\n");
      assert.match(text, /server\.mlflow_tracking_url.*did you mean "mlflow_tracking_uri"/);
      assert.match(
        text,
        /tracking\.run\.nested.*expected a boolean \(true or false\), got the string "true"/,
      );
      assert.match(text, /long_params_strategy.*"fail", "truncate", "tag"/);
      assert.equal(e.errors[0].source?.line, 2);
      return true;
    },
  );
  assert.throws(
    () => parse("ui: {port: 70000}\n"),
    (e: ConfigError) => e.code === "mlflow/config-invalid" && /not a valid port/.test(e.message),
  );
});

Deno.test("tracking URI: configured, then MLFLOW_TRACKING_URI, then <project>/mlflow.db; relative paths from the root", () => {
  assert.equal(resolveTrackingUri(null, { projectRoot: "/p" }), "sqlite:////p/mlflow.db");
  assert.equal(
    resolveTrackingUri(null, { projectRoot: "/p", envUri: "http://mlflow:5000" }),
    "http://mlflow:5000",
  );
  assert.equal(resolveTrackingUri("mlruns", { projectRoot: "/p" }), "file:///p/mlruns");
  assert.equal(resolveTrackingUri("stores/t.db", { projectRoot: "/p" }), "sqlite:////p/stores/t.db");
  assert.equal(resolveTrackingUri("sqlite:///rel.db", { projectRoot: "/p" }), "sqlite:////p/rel.db");
  assert.equal(resolveTrackingUri("sqlite:////abs.db", { projectRoot: "/p" }), "sqlite:////abs.db");
  assert.equal(resolveTrackingUri("https://host/mlflow", { projectRoot: "/p" }), "https://host/mlflow");
  // kedro-mlflow keeps MLflow's Databricks names as they are (for the store to refuse), not as folders.
  assert.equal(resolveTrackingUri("databricks", { projectRoot: "/p" }), "databricks");
  assert.equal(resolveTrackingUri("databricks-uc", { projectRoot: "/p" }), "databricks-uc");
});

Deno.test("random run names look like MLflow's", () => {
  assert.match(randomRunName(), /^[a-z-]+-[a-z]+-\d{1,3}$/);
  assert.equal(randomRunName(() => 0), "abundant-ant-0");
});

Deno.test("kmlf mlflow init writes the file, refuses to overwrite without --force, and needs the env folder", async () => {
  const dir = await demoProject();
  try {
    const first = await kmlf(["mlflow", "init", "--env=base"], { cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Wrote conf\/base\/mlflow.yml/);
    assert.match(await Deno.readTextFile(join(dir, "conf/base/mlflow.yml")), /name: iris/);
    const again = await kmlf(["mlflow", "init", "--env=base"], { cwd: dir });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /mlflow\/init-exists[\s\S]*--force/);
    const forced = await kmlf(["mlflow", "init", "--env", "base", "--force", "--silent"], { cwd: dir });
    assert.equal(forced.code, 0);
    assert.equal(forced.stdout, "");
    const missing = await kmlf(["mlflow", "init", "--env=prod"], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /mlflow\/init-no-env/);
    const local = await kmlf(["mlflow", "init"], { cwd: dir });
    assert.equal(local.code, 0, local.stderr);
    assert.ok(await Deno.stat(join(dir, "conf/local/mlflow.yml")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mlflow_registry_uri: unset or the tracking store is fine; another store is refused, not ignored", async () => {
  const { checkRegistryUri } = await import("../../lib/mlflow/mod.ts");
  const same = parse("server:\n  mlflow_tracking_uri: mlflow.db\n  mlflow_registry_uri: mlflow.db\n");
  checkRegistryUri(same, "sqlite:////p/mlflow.db", "/p");
  checkRegistryUri(parse("server: {}\n"), "sqlite:////p/mlflow.db", "/p");
  const other = parse("server:\n  mlflow_registry_uri: databricks-uc\n");
  assert.throws(() => checkRegistryUri(other, "sqlite:////p/mlflow.db", "/p"), (e: ConfigError) => {
    assert.equal(e.code, "mlflow/registry-uri");
    assert.equal(e.source?.line, 2);
    assert.match(e.hint!, /set mlflow_registry_uri to null/);
    return true;
  });
});

// The mlflow.yml of kedro-mlflow 0.7's documentation (its "Configure mlflow inside your project" page).
const MLFLOW_YML_0_7 = `mlflow_tracking_uri: mlruns
credentials: null
disable_tracking:
  pipelines: []
experiment:
  name: km_example
  create: True
run:
  id: null
  name: null
  nested: True
ui:
  port: null
  host: null
hooks:
  node:
    flatten_dict_params: False
    recursive: True
    sep: "."
    long_parameters_strategy: fail
`;

Deno.test("kedro-mlflow 0.7's mlflow.yml: each moved key says where it lives now, located, all together", () => {
  assert.throws(
    () => parse(MLFLOW_YML_0_7),
    (e: KmlfAggregateError) => {
      const byKey = Object.fromEntries(
        (e.errors as ConfigError[]).map((
          x,
        ) => [x.source?.keyPath, { message: x.message, hint: x.hint, line: x.source?.line }]),
      );
      assert.deepEqual(Object.keys(byKey), [
        "mlflow_tracking_uri",
        "credentials",
        "disable_tracking",
        "experiment",
        "run",
        "hooks.node.flatten_dict_params",
        "hooks.node.recursive",
        "hooks.node.sep",
        "hooks.node.long_parameters_strategy",
      ]);
      assert.equal(
        byKey["mlflow_tracking_uri"].message,
        'mlflow.yml key "mlflow_tracking_uri" is kedro-mlflow 0.7\'s: it is now "server.mlflow_tracking_uri"',
      );
      assert.equal(byKey["mlflow_tracking_uri"].line, 1);
      assert.match(byKey["experiment"].hint!, /^move it to tracking\.experiment \(drop its `create: True`/);
      assert.match(
        byKey["hooks.node.long_parameters_strategy"].message,
        /now "tracking\.params\.long_params_strategy"/,
      );
      assert.equal(byKey["hooks.node.sep"].line, 19);
      return true;
    },
  );
});

Deno.test("ui.port and ui.host null (kedro-mlflow 0.7's template) mean the defaults, as absent keys do", () => {
  assert.deepEqual(parse("ui:\n  port: null\n  host: null\n").ui, { port: 5000, host: "127.0.0.1" });
  assert.deepEqual(parse("ui:\n  port: 5010\n  host: 0.0.0.0\n").ui, { port: 5010, host: "0.0.0.0" });
});

Deno.test("create_experiment_kwargs.artifact_location: a relative path is from the project root, as kedro-mlflow makes it", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const yml = join(dir, "conf/base/mlflow.yml");
    const text = await Deno.readTextFile(yml);
    await Deno.writeTextFile(
      yml,
      text.replace("artifact_location: null", "artifact_location: ./store/artifacts"),
    );
    // Run from a sub-folder: the location is the project's, not the working directory's.
    await Deno.mkdir(join(dir, "notebooks"));
    const r = await kmlf(["run", "training"], { cwd: join(dir, "notebooks") });
    assert.equal(r.code, 0, r.stderr);
    const store = await openStore("mlflow.db", { baseDir: dir });
    try {
      const experiment = await store.getExperimentByName("iris");
      assert.equal(experiment?.artifactLocation, pathToFileUri(join(dir, "store/artifacts")));
      const [run] = (await store.searchRuns({ experimentIds: [experiment!.experimentId] })).runs;
      const logged = join(dir, "store/artifacts", run.info.runId, "artifacts/model.pkl");
      assert.ok((await Deno.stat(logged)).isFile, logged);
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert.equal(resolveArtifactLocation("s3://bucket/iris", "/p"), "s3://bucket/iris");
  assert.equal(resolveArtifactLocation("/abs/artifacts", "/p"), "file:///abs/artifacts");
  assert.equal(resolveArtifactLocation("file:///x", "/p"), "file:///x");
  assert.equal(resolveArtifactLocation(null, "/p"), null);
});

Deno.test("artifact_location and tracking URIs spell a project folder's %, # and spaces as MLflow does; ~ and C:\\ are refused", () => {
  assert.equal(resolveArtifactLocation("arts", "/p r%o#j"), "file:///p%20r%25o%23j/arts");
  assert.equal(
    resolveTrackingUri(null, { projectRoot: "/p r%o#j", envUri: "mlruns" }),
    "file:///p%20r%25o%23j/mlruns",
  );
  // SQLAlchemy reads a sqlite URI's path literally: no escapes there.
  assert.equal(resolveTrackingUri(null, { projectRoot: "/p r%o#j" }), "sqlite:////p r%o#j/mlflow.db");
  // Left as written, for the store to refuse with the URI the user wrote.
  assert.equal(resolveTrackingUri("~/mlruns", { projectRoot: "/p" }), "~/mlruns");
  assert.equal(resolveTrackingUri("sqlite:///~/m.db", { projectRoot: "/p" }), "sqlite:///~/m.db");
  if (Deno.build.os === "windows") return;
  // file://host/x and file: name no folder here either (MLflow: /x and the file system's root).
  for (const location of ["~/artifacts", "C:\\artifacts", "file://server/arts", "file:", "file:///a%2Fb"]) {
    assert.throws(
      () =>
        parse(
          `tracking:\n  experiment:\n    create_experiment_kwargs:\n      artifact_location: '${location}'\n`,
        ),
      (e: unknown) => {
        const error = e as ConfigError;
        assert.equal(error.code, "mlflow/config-invalid");
        assert.ok(error.message.includes(location) && error.hint, error.message);
        assert.equal(error.source?.line, 4);
        return true;
      },
    );
  }
});

Deno.test("every path-valued mlflow.yml key written for another machine is refused at its line, all together", () => {
  if (Deno.build.os === "windows") return;
  const yaml = [
    "server:",
    "  mlflow_tracking_uri: 'sqlite:///C:/runs/mlflow.db'",
    "  mlflow_registry_uri: '\\\\server\\share\\mlruns'",
    "  request_header_provider:",
    "    type: 'src\\auth.ts#TokenProvider'",
    "tracking:",
    "  experiment:",
    "    create_experiment_kwargs:",
    "      artifact_location: 'file:///D:/artifacts'",
    "  log_files:",
    "    before: [logs/ok.log, '~/logs/run.log']",
    "    after:",
    "      - 'logs\\*.log'",
  ].join("\n");
  assert.throws(() => parse(yaml), (e: unknown) => {
    const errors = (e as KmlfAggregateError).errors as ConfigError[];
    assert.deepEqual(errors.map((error) => [error.code, error.source?.line, error.source?.keyPath]), [
      ["mlflow/config-invalid", 2, "server.mlflow_tracking_uri"],
      ["mlflow/config-invalid", 3, "server.mlflow_registry_uri"],
      ["mlflow/config-invalid", 9, "tracking.experiment.create_experiment_kwargs.artifact_location"],
      ["mlflow/config-invalid", 5, "server.request_header_provider.type"],
      ["mlflow/config-invalid", 11, "tracking.log_files.before[1]"],
      ["mlflow/config-invalid", 13, "tracking.log_files.after[0]"],
    ]);
    assert.match(
      errors[0].message,
      /mlflow_tracking_uri "sqlite:\/\/\/C:\/runs\/mlflow.db": it is a Windows path/,
    );
    assert.match(errors[1].message, /UNC path/);
    assert.match(errors[3].message, /module "src\\auth.ts": \\ separates folders/);
    assert.match(errors[4].message, /log_files.before\[1\] "~\/logs\/run.log": ~ is not expanded/);
    assert.match(errors[5].hint ?? "", /write it with \/: logs\/\*\.log .*\[\*\]/);
    return true;
  });
  // A store's file: URI naming no folder here (another host, an encoded /, a NUL): at its line too.
  assert.throws(
    () =>
      parse(
        "server:\n  mlflow_tracking_uri: 'file://server/share/mlruns'\n  mlflow_registry_uri: 'file:///a%2Fb'\n",
      ),
    (e: unknown) => {
      const errors = (e as KmlfAggregateError).errors as ConfigError[];
      assert.deepEqual(errors.map((error) => [error.code, error.source?.line]), [
        ["mlflow/config-invalid", 2],
        ["mlflow/config-invalid", 3],
      ]);
      assert.match(
        errors[0].message,
        /mlflow_tracking_uri "file:\/\/server\/share\/mlruns": it names the host 'server'/,
      );
      assert.match(errors[1].message, /encoded '\/'/);
      return true;
    },
  );
  // URIs of other schemes name no local file: kept.
  const cfg = parse(
    "server:\n  mlflow_tracking_uri: 'http://host:5000'\n  mlflow_registry_uri: 'databricks'\n",
  );
  assert.equal(cfg.server.trackingUri, "http://host:5000");
});
