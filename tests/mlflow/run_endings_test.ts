/**
 * Every way a tracked run can end leaves it FAILED or KILLED, never RUNNING (or kmlf says clearly that it
 * could not, naming the run), with a non-zero exit: a node leaving a rejected promise or a throwing timer
 * behind, a node calling Deno.exit / process.exit, a failing afterPipelineRun (an unusable artifact
 * location), a plugin's afterPipelineRun that fails or is interrupted by a signal before the tracking hook's
 * turn, a tracking store that fills up mid-run (a real size limit, `ulimit -f`), and a remote kmlf server
 * killed mid-run.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";
import { CLI_PATH, demoProject, kmlf, REPO, spawnKmlf } from "../cli_harness.ts";

const TRAINING = await Deno.readTextFile(join(REPO, "pipelines/training.yml"));
const MLFLOW_YML = await Deno.readTextFile(join(REPO, "conf/base/mlflow.yml"));

/** A tracked demo whose `predict` node is `body` (wrapping the real one, imported as `real`). */
async function trackedDemo(
  body: string,
  options: { uri?: string; mlflowYml?: (yml: string) => string; files?: Record<string, string> } = {},
): Promise<string> {
  const yml = (options.mlflowYml ?? ((y) => y))(
    MLFLOW_YML.replace("mlflow_tracking_uri: null", `mlflow_tracking_uri: ${options.uri ?? "mlflow.db"}`),
  );
  return await demoProject({
    "conf/base/mlflow.yml": yml,
    "pipelines/training.yml": TRAINING.replace("./iris/nodes.ts#predict", "./iris/odd.ts#predict"),
    "pipelines/iris/odd.ts":
      `import process from "node:process";\nimport { predict as real } from "./nodes.ts";\n` +
      `export async function predict(model: any, x: number[][]) {\n${body}\n}\n`,
    ...options.files,
  }, { tracked: true });
}

async function onlyRun(dir: string, uri = "mlflow.db") {
  const store = await openStore(uri, { baseDir: dir });
  try {
    const client = new MlflowClient(store);
    const exp = await client.getExperimentByName("iris");
    assert.ok(exp, "the experiment exists");
    const { runs } = await client.searchRuns([exp.experimentId], { runViewType: "ALL" });
    assert.equal(runs.length, 1);
    return runs[0];
  } finally {
    await store.close();
  }
}

const MISBEHAVIOURS: Record<string, { body: string; code: string }> = {
  "leaves a rejected promise behind": {
    body: 'Promise.reject(new Error("late failure"));\nreturn real(model, x);',
    code: "run/unhandled-rejection",
  },
  "leaves a rejecting async call behind": {
    body: '(async () => { await null; throw new Error("late failure"); })();\nreturn real(model, x);',
    code: "run/unhandled-rejection",
  },
  "throws from a timer": {
    body: 'setTimeout(() => { throw new Error("timer failure"); }, 0);\n' +
      "await new Promise((r) => setTimeout(r, 20));\nreturn real(model, x);",
    code: "run/uncaught-error",
  },
  "calls Deno.exit(0)": { body: "Deno.exit(0);\nreturn real(model, x);", code: "run/exit-called" },
  "calls Deno.exit(3)": { body: "Deno.exit(3);\nreturn real(model, x);", code: "run/exit-called" },
  "calls process.exit(1)": { body: "process.exit(1);\nreturn real(model, x);", code: "run/exit-called" },
  "calls exit(2) of an imported node:process": {
    body: '(await import("node:process")).default.exit(2);\nreturn real(model, x);',
    code: "run/exit-called",
  },
  // The main thread's close() ended the process with exit 0 (a success), the run left RUNNING.
  "calls close()": { body: "globalThis.close();\nreturn real(model, x);", code: "run/exit-called" },
  "calls close() from a timer": {
    body: "setTimeout(() => globalThis.close(), 0);\nawait new Promise((r) => setTimeout(r, 20));\n" +
      "return real(model, x);",
    code: "run/exit-called",
  },
  "calls Deno.exit from a timer": {
    body:
      "setTimeout(() => Deno.exit(5), 0);\nawait new Promise((r) => setTimeout(r, 20));\nreturn real(model, x);",
    code: "run/exit-called",
  },
};

for (const [what, m] of Object.entries(MISBEHAVIOURS)) {
  Deno.test(`a node that ${what} ends the run FAILED with exit 1`, async () => {
    const dir = await trackedDemo(m.body);
    try {
      const r = await kmlf(["run", "training"], { cwd: dir });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`error\\[${m.code}\\]`), r.stderr);
      const run = await onlyRun(dir);
      assert.equal(run.info.status, "FAILED");
      assert.ok(run.info.endTime, "the run has an end time");
      assert.equal(run.data.tags["kmlf.error_code"], m.code);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

// A location kmlf cannot use at all (relative, unknown scheme, unreachable S3, below a file) is refused before
// any node runs (tests/mlflow/scale_out_tracking_test.ts, unusable_store_test.ts); one that stops working
// once the run started (here a node puts a file in its way) ends the run here.
const BLOCK_ARTIFACTS =
  'Deno.writeTextFileSync("not-a-folder", "a file, not a folder\\n");\nreturn real(model, x);';

/** The catalog's artifact datasets made plain local ones, so only end-of-run artifacts go to the location. */
async function keepArtifactDatasetsLocal(dir: string): Promise<void> {
  const catalog = join(dir, "conf/base/catalog.yml");
  await Deno.writeTextFile(
    catalog,
    (await Deno.readTextFile(catalog)).replaceAll("type: mlflow_artifact\n  dataset:\n    type: ", "type: ")
      .replaceAll("\n    filepath:", "\n  filepath:"),
  );
}

for (const [what, location] of [["below a file", "ABS"]]) {
  Deno.test(`a failing afterPipelineRun (an artifact location ${what}) ends the run FAILED, saying what was lost`, async () => {
    const dir = await trackedDemo(BLOCK_ARTIFACTS, {
      mlflowYml: (y) => y.replace("after: []", "after: [conf/base/parameters.yml]"),
    });
    try {
      // Every artifact write fails there; the catalog's artifact datasets stay local, so only the
      // end-of-run artifacts (kmlf/pipeline.json, log_files.after) are written to it.
      const yml = join(dir, "conf/base/mlflow.yml");
      const at = location === "ABS" ? `${dir}/not-a-folder/artifacts` : location;
      await Deno.writeTextFile(
        yml,
        (await Deno.readTextFile(yml)).replace("artifact_location: null", `artifact_location: ${at}`),
      );
      await keepArtifactDatasetsLocal(dir);
      const r = await kmlf(["run", "training"], { cwd: dir });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /error\[mlflow\/run-logging-failed\]/);
      assert.match(r.stderr, /kmlf\/pipeline\.json/);
      const run = await onlyRun(dir);
      assert.equal(run.info.status, "FAILED");
      assert.match(run.data.tags["kmlf.tracking_error"], /kmlf\/pipeline\.json/);
      assert.ok(run.data.metrics["metrics.accuracy"] > 0.8, "what could be logged was logged");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("a run kmlf attached to (MLFLOW_RUN_ID) whose end-of-run artifacts fail is said to stay open, not to have ended", async () => {
  const dir = await trackedDemo(BLOCK_ARTIFACTS, {
    mlflowYml: (y) => y.replace("    nested: true", "    nested: false"),
  });
  try {
    const store = await openStore("mlflow.db", { baseDir: dir });
    const client = new MlflowClient(store);
    let outer: string;
    try {
      const exp = await client.createExperiment("iris", {
        artifactLocation: `${dir}/not-a-folder/artifacts`,
      });
      outer = (await client.createRun(exp, { runName: "orchestrator" })).info.runId;
    } finally {
      await store.close();
    }
    await keepArtifactDatasetsLocal(dir);
    const r = await kmlf(["run", "training"], { cwd: dir, env: { MLFLOW_RUN_ID: outer } });
    assert.equal(r.code, 1, r.stderr);
    assert.ok(
      r.stderr.includes(
        `MLflow run ${outer} stays open (it was open before kmlf started), but some of it could not be logged: ` +
          "kmlf/pipeline.json",
      ),
      r.stderr,
    );
    assert.match(r.stderr, /error\[mlflow\/run-logging-failed\]/);
    assert.doesNotMatch(r.stderr, /ended FINISHED|ended FAILED/);
    const run = await onlyRun(dir);
    assert.equal(run.info.status, "RUNNING", "left open, as kmlf found it");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// A plugin's afterPipelineRun runs before kmlf-mlflow's (the last registered first, as pluggy calls them).
const KMLF_YML = await Deno.readTextFile(join(REPO, "kmlf.yml"));
const lateHookPlugin = (body: string) => ({
  "kmlf.yml": `${KMLF_YML.trimEnd()}\nplugins:\n  - ./plugins/report.ts\n`,
  "plugins/report.ts": 'import type { Plugin } from "kmlf";\nexport const plugin: Plugin = {\n' +
    `  name: "report",\n  hooks: () => ({\n    async afterPipelineRun() {\n${body}\n    },\n  }),\n};\n`,
});

Deno.test("a plugin's afterPipelineRun that throws before the tracking hook's turn ends the run FAILED, not RUNNING", async () => {
  const dir = await trackedDemo("return real(model, x);", {
    files: lateHookPlugin('      throw new Error("report server refused the upload");'),
  });
  try {
    const r = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /error\[hooks\/failed\]: Hook afterPipelineRun of report failed: report server refused/,
    );
    const run = await onlyRun(dir);
    assert.equal(run.info.status, "FAILED");
    assert.match(run.data.tags["kmlf.error"], /Hook afterPipelineRun of report failed/);
    assert.match(r.stderr, /Model "model" .* not logged: the run failed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SIGTERM while the hooks end the run (the nodes are done) ends it KILLED with exit 143, not ignored", async () => {
  const dir = await trackedDemo("return real(model, x);", {
    files: lateHookPlugin(
      '      console.error("uploading report");\n      await new Promise((r) => setTimeout(r, 30000));',
    ),
  });
  try {
    const kmlfRun = spawnKmlf(["run", "training"], { cwd: dir });
    await kmlfRun.waitFor("uploading report");
    kmlfRun.child.kill("SIGTERM");
    const { code, seen } = await kmlfRun.finish();
    assert.equal(code, 143, seen);
    assert.match(seen, /error\[run\/interrupted\]: The run was interrupted \(SIGTERM\)/);
    const run = await onlyRun(dir);
    assert.equal(run.info.status, "KILLED");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a second SIGTERM while the hooks end the run stops at once and says the run may stay RUNNING", async () => {
  const dir = await trackedDemo(
    'console.error("predicting");\nawait new Promise((r) => setTimeout(r, 30000));',
    {
      files: {
        ...lateHookPlugin(""),
        "plugins/report.ts": 'import type { Plugin } from "kmlf";\nexport const plugin: Plugin = {\n' +
          '  name: "report",\n  hooks: () => ({\n    async onPipelineError() {\n' +
          '      console.error("reporting failure");\n      await new Promise((r) => setTimeout(r, 30000));\n' +
          "    },\n  }),\n};\n",
      },
    },
  );
  try {
    const kmlfRun = spawnKmlf(["run", "training"], { cwd: dir });
    await kmlfRun.waitFor("predicting");
    kmlfRun.child.kill("SIGTERM");
    await kmlfRun.waitFor("reporting failure");
    kmlfRun.child.kill("SIGTERM");
    const { code, seen } = await kmlfRun.finish();
    assert.equal(code, 143, seen);
    assert.match(
      seen,
      /warning\[run\/stopped\]: a second SIGTERM: stopped at once, before the run's hooks finished ending it; a tracked MLflow run may stay RUNNING/,
    );
    assert.match(seen, /hint: end it with MlflowClient\.setTerminated\("<run id>", "KILLED"\)/);
    assert.equal((await onlyRun(dir)).info.status, "RUNNING", "as the warning says");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Runs kmlf with the size of any file it writes capped (SIGXFSZ ignored, so writes fail with EFBIG). */
async function kmlfWithFileSizeLimit(dir: string, kib: number) {
  const out = await new Deno.Command("bash", {
    args: [
      "-c",
      `ulimit -f ${kib}; trap '' XFSZ; exec "$0" run --allow-all --quiet "$1" run training`,
      Deno.execPath(),
      CLI_PATH,
    ],
    cwd: dir,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

for (const uri of ["mlflow.db", "mlruns"]) {
  Deno.test(`a ${uri} store that fills up mid-run: FAILED, or a clear message naming the run left RUNNING`, async () => {
    // A node logs a long metric history (~6 MB in the store) past a 3 MiB cap on file size.
    const dir = await trackedDemo("return real(model, x);", {
      uri,
      files: {
        "pipelines/iris/history.ts":
          "export function history(_p: unknown) { return Array.from({ length: 150000 }, (_, i) => ({ value: i / 7, step: i })); }\n",
      },
    });
    try {
      const training = join(dir, "pipelines/training.yml");
      // One more node at the end of the node list (the file's inference: block follows it).
      await Deno.writeTextFile(
        training,
        (await Deno.readTextFile(training)).replace(
          "\n\n# The inference pipeline",
          "\n  - name: log_history\n    func: ./iris/history.ts#history\n    inputs: predictions\n    outputs: long_history\n" +
            "\n# The inference pipeline",
        ),
      );
      const catalog = join(dir, "conf/base/catalog.yml");
      await Deno.writeTextFile(
        catalog,
        (await Deno.readTextFile(catalog)) +
          "\nlong_history:\n  type: mlflow_metric_history\n  save_args: {mode: history}\n",
      );
      const r = await kmlfWithFileSizeLimit(dir, 3 * 1024);
      assert.notEqual(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /error\[internal\]/, r.stderr);
      const run = await onlyRun(dir, uri);
      if (run.info.status === "RUNNING") {
        // The store could not even take the status: the message must say so and name the run.
        assert.match(
          r.stderr,
          new RegExp(`MLflow run ${run.info.runId} could not be marked FAILED: it stays RUNNING`),
        );
      } else {
        assert.equal(run.info.status, "FAILED", r.stderr);
        assert.equal(run.data.tags["kmlf.failed_node"], "log_history");
      }
      assert.match(r.stderr, /File too large|disk is full|disk I\/O error/i, r.stderr);
      assert.match(
        r.stderr,
        /error\[tracking\/(io-error|file-too-large|no-space)\]: .*tracking store/,
        r.stderr,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.test("a remote kmlf server killed mid-run: kmlf says the run stays RUNNING on that server, naming it", async () => {
  const storeDir = await Deno.makeTempDir({ prefix: "kmlf-remote-" });
  const port = freePort();
  const server = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--quiet",
      CLI_PATH,
      "server",
      "--backend-store-uri",
      join(storeDir, "mlflow.db"),
      "--artifacts-destination",
      join(storeDir, "mlartifacts"),
      "--port",
      String(port),
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  // The node waits until the test has killed the server.
  const marker = join(storeDir, "server-killed");
  const dir = await trackedDemo(
    `await Deno.writeTextFile(${JSON.stringify(join(storeDir, "node-started"))}, "");\n` +
      `while (!(await Deno.stat(${
        JSON.stringify(marker)
      }).then(() => true, () => false))) await new Promise((r) => setTimeout(r, 20));\n` +
      "return real(model, x);",
    { uri: url },
  );
  try {
    for (let i = 0; i < 200; i++) {
      if (await fetch(`${url}/health`).then((r) => r.body?.cancel().then(() => r.ok), () => false)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const run = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", "--quiet", CLI_PATH, "run", "training"],
      cwd: dir,
      env: { NO_COLOR: "1", MLFLOW_HTTP_REQUEST_MAX_RETRIES: "1" },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    while (!(await Deno.stat(join(storeDir, "node-started")).then(() => true, () => false))) {
      await new Promise((r) => setTimeout(r, 20));
    }
    server.kill("SIGKILL");
    await server.status;
    await Deno.writeTextFile(marker, "");
    const out = await run.output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 1, stderr);
    const m = stderr.match(
      /MLflow run ([0-9a-f]{32}) could not be marked (FAILED|FINISHED): it stays RUNNING in (\S+)/,
    );
    assert.ok(m, stderr);
    assert.equal(m[3], url);
    assert.match(stderr, /server-unreachable|connect/i);
    // It really is RUNNING in the server's store.
    const store = await openStore(join(storeDir, "mlflow.db"), { baseDir: storeDir });
    try {
      assert.equal((await store.getRun(m[1])).info.status, "RUNNING");
    } finally {
      await store.close();
    }
  } finally {
    try {
      server.kill("SIGKILL");
    } catch { /* already gone */ }
    await server.status;
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(storeDir, { recursive: true });
  }
});
