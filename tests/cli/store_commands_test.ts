/**
 * `kmlf runs|experiments|artifacts` (MLflow 2.17.2's store CLI) through the CLI, on a SQLite and a file
 * store: MLflow's output formats, its messages and exit codes, and kmlf's errors (golden files).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertGolden, type CliResult, demoProject, kmlf } from "../cli_harness.ts";
import { MlflowClient } from "../../lib/tracking/mod.ts";

interface Seeded {
  dir: string;
  uri: string;
  experimentId: string;
  finished: string;
  running: string;
}

// An experiment with a finished run (params, metrics — one NaN —, an artifact, a comma in its name) and a
// running one; `uri` is the store's MLFLOW_TRACKING_URI.
async function seed(kind: "sqlite" | "file"): Promise<Seeded> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-store-cli-" });
  const uri = kind === "sqlite" ? `sqlite:///${dir}/mlflow.db` : `file://${dir}/mlruns`;
  const client = await MlflowClient.open(uri, { baseDir: dir });
  const experimentId = await client.createExperiment("iris");
  const run = await client.createRun(experimentId, { runName: "base,line", startTime: 1_700_000_000_123 });
  await client.logParam(run.info.runId, "C", 1);
  await client.logMetric(run.info.runId, "acc", 1);
  await client.logMetric(run.info.runId, "loss", NaN);
  await client.logText(run.info.runId, "hello", "notes/a.txt");
  await client.setTerminated(run.info.runId, "FINISHED", 1_700_000_060_000);
  const second = await client.createRun(experimentId, { runName: "second", startTime: 1_700_000_100_000 });
  await client.logParam(second.info.runId, "max_iter", "100");
  await client.close();
  return { dir, uri, experimentId, finished: run.info.runId, running: second.info.runId };
}

function cli(s: Seeded, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return kmlf(args, { cwd: s.dir, env: { MLFLOW_TRACKING_URI: s.uri, ...env } });
}

function normalized(s: Seeded, text: string): string {
  return text.split(s.dir).join("<dir>").split(s.finished).join("<run>").split(s.running).join("<run2>");
}

for (const kind of ["sqlite", "file"] as const) {
  Deno.test(`runs list prints MLflow's Date/Name/ID table, newest first, by --view (${kind} store)`, async () => {
    const s = await seed(kind);
    const listed = await cli(s, ["runs", "list", "--experiment-id", s.experimentId]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(
      normalized(s, listed.stdout),
      "Date                     Name       ID                              \n" +
        "-----------------------  ---------  --------------------------------\n" +
        "2023-11-14 22:15:00 UTC  second     <run2>\n" +
        "2023-11-14 22:13:20 UTC  base,line  <run>\n",
    );
    assert.equal(
      (await cli(s, ["runs", "delete", "--run-id", s.running])).stdout,
      `Run with ID ${s.running} has been deleted.\n`,
    );
    const active = await cli(s, ["runs", "list", "--experiment-id", s.experimentId]);
    assert.ok(!active.stdout.includes(s.running) && active.stdout.includes(s.finished));
    const deleted = await cli(s, ["runs", "list", "--experiment-id", s.experimentId, "-v", "deleted_only"]);
    assert.ok(deleted.stdout.includes(s.running) && !deleted.stdout.includes(s.finished));
    // MLFLOW_EXPERIMENT_ID stands for the flag, as in MLflow.
    const all = await cli(s, ["runs", "list", "--view", "all"], { MLFLOW_EXPERIMENT_ID: s.experimentId });
    assert.ok(all.stdout.includes(s.running) && all.stdout.includes(s.finished));
    const restored = await cli(s, ["runs", "restore", "--run-id", s.running]);
    assert.equal(restored.stdout, `Run with id ${s.running} has been restored.\n`);
    assert.ok((await cli(s, ["runs", "list", "--experiment-id", s.experimentId])).stdout.includes(s.running));
  });

  Deno.test(`runs describe prints the run as MLflow's to_dictionary JSON (${kind} store)`, async () => {
    const s = await seed(kind);
    const { code, stdout } = await cli(s, ["runs", "describe", "--run-id", s.finished]);
    assert.equal(code, 0);
    const artifactUri = JSON.parse(stdout.replace("NaN", "null")).info.artifact_uri;
    assert.equal(
      stdout,
      `{
    "info": {
        "artifact_uri": "${artifactUri}",
        "end_time": 1700000060000,
        "experiment_id": "${s.experimentId}",
        "lifecycle_stage": "active",
        "run_id": "${s.finished}",
        "run_name": "base,line",
        "run_uuid": "${s.finished}",
        "start_time": 1700000000123,
        "status": "FINISHED",
        "user_id": "${JSON.parse(stdout.replace("NaN", "null")).info.user_id}"
    },
    "data": {
        "metrics": {
            "acc": 1.0,
            "loss": NaN
        },
        "params": {
            "C": "1"
        },
        "tags": {
            "mlflow.runName": "base,line"
        }
    },
    "inputs": {
        "dataset_inputs": []
    }
}
`,
    );
  });

  Deno.test(`experiments create -l and createExperiment refuse a location naming no folder here (${kind} store)`, async () => {
    const s = await seed(kind);
    try {
      // MLflow reads file://server/x as /x and file: as the file system's root; C:/x and ~ name folders
      // called C: and ~ off Windows.
      const locations: [string, RegExp][] = [
        ["file://server/x", /it names the host 'server'/],
        ["file:", /a file: URI naming no absolute folder/],
        ["file:relative/x", /a file: URI naming no absolute folder/],
        ["file:///C:/x", /it is a Windows path \(drive C:\)/],
        ["C:\\x", /it is a Windows path \(drive C:\)/],
        ["~/x", /~ is not expanded/],
      ];
      for (const [location, problem] of locations) {
        const r = await cli(s, ["experiments", "create", "-n", `e-${location}`, "-l", location]);
        assert.notEqual(r.code, 0, `${location}: ${r.stdout}`);
        assert.match(
          r.stderr,
          /error\[INVALID_PARAMETER_VALUE\]: Cannot use '.*' as a local artifact location/,
        );
        assert.match(r.stderr, problem, location);
        assert.match(r.stderr, /hint: /);
      }
      const client = await MlflowClient.open(s.uri, { baseDir: s.dir });
      try {
        for (const [location, problem] of locations) {
          await assert.rejects(
            client.createExperiment(`c-${location}`, { artifactLocation: location }),
            problem,
          );
        }
        const names = (await client.searchExperiments({ viewType: "ALL" })).experiments.map((e) => e.name);
        assert.deepEqual(names.filter((n) => /^[ec]-/.test(n)), [], "nothing was created");
      } finally {
        await client.close();
      }
    } finally {
      await Deno.remove(s.dir, { recursive: true });
    }
  });

  Deno.test(`experiments create/search/rename/delete/restore/csv speak MLflow's words (${kind} store)`, async () => {
    const s = await seed(kind);
    const created = await cli(s, ["experiments", "create", "-n", "wine", "-l", `${s.dir}/wine-artifacts`]);
    assert.equal(created.code, 0, created.stderr);
    const id = created.stdout.match(/^Created experiment 'wine' with id (\S+)\n$/)?.[1];
    assert.ok(id, created.stdout);
    const renamed = await cli(s, ["experiments", "rename", "-x", id, "--new-name", "wine2"]);
    assert.equal(renamed.stdout, `Experiment with id ${id} has been renamed to 'wine2'.\n`);
    const search = await cli(s, ["experiments", "search"]);
    const lines = search.stdout.trimEnd().split("\n").map((l) => l.trimEnd());
    assert.match(lines[0], /^Experiment Id\s+Name\s+Artifact Location$/);
    assert.ok(lines.some((l) => l.includes("wine2") && l.includes("wine-artifacts")), search.stdout);
    assert.equal(
      (await cli(s, ["experiments", "delete", "-x", id])).stdout,
      `Experiment with ID ${id} has been deleted.\n`,
    );
    assert.ok(!(await cli(s, ["experiments", "search"])).stdout.includes("wine2"));
    assert.ok((await cli(s, ["experiments", "search", "--view", "deleted_only"])).stdout.includes("wine2"));
    assert.equal(
      (await cli(s, ["experiments", "restore", "-x", id])).stdout,
      `Experiment with id ${id} has been restored.\n`,
    );

    const csv = await cli(s, ["experiments", "csv", "-x", s.experimentId]);
    assert.equal(csv.code, 0, csv.stderr);
    const rows = csv.stdout.split("\n");
    assert.equal(
      rows[0],
      "run_id,experiment_id,status,artifact_uri,start_time,end_time," +
        "metrics.acc,metrics.loss,params.max_iter,params.C,tags.mlflow.runName",
    );
    assert.match(
      rows[1],
      new RegExp(`^${s.running},${s.experimentId},RUNNING,[^,]+,2023-11-14 22:15:00\\+00:00,,,,100,,second$`),
    );
    assert.match(
      rows[2],
      new RegExp(
        `^${s.finished},${s.experimentId},FINISHED,[^,]+,2023-11-14 22:13:20.123000\\+00:00,` +
          `2023-11-14 22:14:20\\+00:00,1.0,,,1,"base,line"$`,
      ),
    );
    assert.deepEqual(rows.slice(3), ["", ""]); // to_csv's last line break, then click.echo's
    const toFile = await cli(s, ["experiments", "csv", "-x", s.experimentId, "-o", "runs.csv"]);
    assert.equal(
      toFile.stdout,
      `Experiment with ID ${s.experimentId} has been exported as a CSV to file: runs.csv.\n`,
    );
    assert.equal(await Deno.readTextFile(join(s.dir, "runs.csv")), rows.slice(0, 3).join("\n") + "\n");
  });

  Deno.test(`artifacts list/download/log-artifact(s) over the run's artifacts (${kind} store)`, async () => {
    const s = await seed(kind);
    const root = await cli(s, ["artifacts", "list", "--run-id", s.finished]);
    assert.equal(root.stdout, '[{\n  "path": "notes",\n  "is_dir": true\n}]\n');
    const notes = await cli(s, ["artifacts", "list", "-r", s.finished, "-a", "notes"]);
    assert.equal(notes.stdout, '[{\n  "path": "notes/a.txt",\n  "is_dir": false,\n  "file_size": 5\n}]\n');
    assert.equal((await cli(s, ["artifacts", "list", "-r", s.running])).stdout, "[]\n");

    await Deno.writeTextFile(join(s.dir, "report.html"), "<p>hi</p>");
    const logged = await cli(s, [
      "artifacts",
      "log-artifact",
      "-l",
      "report.html",
      "-r",
      s.running,
      "-a",
      "reports",
    ]);
    assert.equal(logged.code, 0, logged.stderr);
    assert.equal(logged.stderr, "Logged artifact from local file report.html to artifact_path=reports\n");
    await Deno.mkdir(join(s.dir, "plots/sub"), { recursive: true });
    await Deno.writeTextFile(join(s.dir, "plots/sub/p.svg"), "<svg/>");
    assert.equal(
      (await cli(s, ["artifacts", "log-artifacts", "--local-dir", "plots", "--run-id", s.running])).code,
      0,
    );
    const listing = await cli(s, ["artifacts", "list", "-r", s.running]);
    assert.deepEqual(JSON.parse(listing.stdout).map((f: { path: string }) => f.path), ["reports", "sub"]);

    const dest = await cli(s, ["artifacts", "download", "-r", s.running, "-a", "reports", "-d", "out"]);
    assert.equal(dest.stdout, "out/reports\n");
    assert.equal(await Deno.readTextFile(join(s.dir, "out/reports/report.html")), "<p>hi</p>");
    // A local artifact without --dest-path: its own path, as MLflow's LocalArtifactRepository answers.
    const inPlace = (await cli(s, ["artifacts", "download", "-r", s.running, "-a", "sub/p.svg"])).stdout
      .trim();
    assert.equal(await Deno.readTextFile(inPlace), "<svg/>");
    // --artifact-uri: the last segment lands directly in --dest-path.
    const byUri = await cli(s, [
      "artifacts",
      "download",
      "-u",
      `runs:/${s.finished}/notes/a.txt`,
      "-d",
      "out2",
    ]);
    assert.equal(byUri.stdout, "out2/a.txt\n");
    assert.equal(await Deno.readTextFile(join(s.dir, "out2/a.txt")), "hello");
  });
}

Deno.test("store command errors name the flag, the id and the store, with MLflow's exit codes", async () => {
  const s = await seed("sqlite");
  const cases: [string, string[], number][] = [
    ["runs-describe-unknown-run", ["runs", "describe", "--run-id", "0123456789abcdef0123456789abcdef"], 1],
    ["runs-delete-unknown-run", ["runs", "delete", "--run-id", "nope"], 1],
    ["runs-list-unknown-experiment", ["runs", "list", "--experiment-id", "42"], 1],
    ["runs-list-bad-view", ["runs", "list", "--experiment-id", s.experimentId, "--view", "ACTIVE"], 1],
    ["runs-list-no-experiment", ["runs", "list"], 2],
    ["experiments-create-taken", ["experiments", "create", "-n", "iris"], 1],
    ["experiments-delete-unknown", ["experiments", "delete", "-x", "42"], 1],
    [
      "experiments-csv-unwritable",
      ["experiments", "csv", "-x", s.experimentId, "-o", "missing/dir/runs.csv"],
      1,
    ],
    ["artifacts-download-no-source", ["artifacts", "download"], 1],
    ["artifacts-log-missing-file", ["artifacts", "log-artifact", "-l", "nope.txt", "-r", s.finished], 1],
    ["artifacts-log-dir-as-file", ["artifacts", "log-artifacts", "-l", "mlflow.db", "-r", s.finished], 1],
    ["artifacts-list-unknown-run", ["artifacts", "list", "-r", "nope"], 1],
    ["artifacts-download-missing-path", ["artifacts", "download", "-r", s.finished, "-a", "nothere"], 1],
    ["artifacts-download-unknown-model", ["artifacts", "download", "-u", "models:/nomodel/1"], 1],
    ["artifacts-download-bad-models-uri", ["artifacts", "download", "-u", "models:/iris"], 1],
    ["runs-describe-empty-run-id", ["runs", "describe", "--run-id", ""], 1],
    ["runs-list-empty-experiment-id", ["runs", "list", "--experiment-id", ""], 1],
    ["artifacts-list-bad-path", ["artifacts", "list", "-r", s.finished, "-a", "../up"], 1],
    ["artifacts-log-bad-path", [
      "artifacts",
      "log-artifact",
      "-l",
      "mlflow.db",
      "-r",
      s.finished,
      "-a",
      "/abs",
    ], 1],
    ["artifacts-download-empty-uri", ["artifacts", "download", "-u", ""], 1],
    ["artifacts-download-runs-uri-no-run", ["artifacts", "download", "-u", "runs:/"], 1],
    // Every error of --artifact-uri names it, not a flag the user did not give.
    ["artifacts-download-uri-dotdot", ["artifacts", "download", "-u", `runs:/${s.finished}/../..`], 1],
    ["artifacts-download-uri-last-dotdot", ["artifacts", "download", "-u", `runs:/${s.finished}/..`], 1],
    ["artifacts-download-uri-dotdot-run", ["artifacts", "download", "-u", "runs:/../../etc"], 1],
    ["artifacts-download-uri-unknown-run", ["artifacts", "download", "-u", "runs:/nope"], 1],
    ["artifacts-download-uri-unsupported", ["artifacts", "download", "-u", "s3x://bucket/key"], 1],
    ["artifacts-download-dest-is-file", ["artifacts", "download", "-r", s.finished, "-d", "mlflow.db"], 1],
    [
      "artifacts-download-uri-and-path",
      ["artifacts", "download", "-u", `runs:/${s.finished}/notes`, "-a", "a.txt"],
      2,
    ],
  ];
  for (const [name, args, code] of cases) {
    const result = await cli(s, args, { MLFLOW_TRACKING_URI: "sqlite:///mlflow.db" });
    assert.equal(result.code, code, `${name}: ${result.stderr}`);
    assert.equal(result.stdout, "", name);
    await assertGolden(`errors/store-cli-${name}`, normalized(s, result.stderr));
  }
});

Deno.test("inside a kmlf project the commands use the project's store: its mlflow.yml before MLFLOW_TRACKING_URI, as kmlf run", async () => {
  const dir = await demoProject({
    "conf/base/mlflow.yml": "server:\n  mlflow_tracking_uri: tracking/runs.db\n",
  });
  const client = await MlflowClient.open(`sqlite:///${dir}/tracking/runs.db`, { baseDir: dir });
  const id = await client.createExperiment("from-project");
  await client.close();
  const other = `sqlite:///${dir}/other.db`;
  const sub = join(dir, "conf");
  for (const env of [{ MLFLOW_TRACKING_URI: "" }, { MLFLOW_TRACKING_URI: other }]) {
    const search = await kmlf(["experiments", "search"], { cwd: sub, env });
    assert.equal(search.code, 0, search.stderr);
    assert.ok(search.stdout.includes("from-project"), search.stdout);
    const unknown = await kmlf(["runs", "describe", "--run-id", "nope"], { cwd: sub, env });
    assert.match(unknown.stderr, /tracking\/runs\.db \(the project's store, from its mlflow\.yml\)/);
  }
  assert.ok(id);
  // A project whose mlflow.yml names no store takes MLFLOW_TRACKING_URI, as kmlf run does.
  const plain = await demoProject();
  const otherClient = await MlflowClient.open(other, { baseDir: dir });
  await otherClient.createExperiment("from-variable");
  await otherClient.close();
  const search = await kmlf(["experiments", "search"], { cwd: plain, env: { MLFLOW_TRACKING_URI: other } });
  assert.equal(search.code, 0, search.stderr);
  assert.ok(search.stdout.includes("from-variable"), search.stdout);
});
