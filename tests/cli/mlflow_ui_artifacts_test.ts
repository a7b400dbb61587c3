/**
 * `kmlf mlflow ui` serves the artifacts `kmlf run` logged in the project, wherever the project keeps them:
 * the store's default root, or a relative `tracking.experiment` artifact location of mlflow.yml (resolved
 * against the project, as `kmlf run` resolves it), also when the UI is started from another folder. The
 * server reads only its own roots (`artifact_location_rule.ts`); these are its operator's choice.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { demoProject, kmlf, spawnKmlf } from "../cli_harness.ts";
import { serveTracking } from "../../lib/cli/serve_tracking.ts";

async function startUi(cwd: string, args: string[] = []) {
  const ui = spawnKmlf(["mlflow", "ui", "--port", "0", ...args], { cwd, watch: "stdout" });
  const seen = await ui.waitFor(/listening on (http\S+)/);
  const base = seen.match(/listening on (http\S+)/)?.[1];
  if (!base) throw new Error(`kmlf mlflow ui did not start:\n${seen}`);
  return {
    base,
    async stop() {
      ui.child.kill("SIGINT");
      return (await ui.finish()).code;
    },
  };
}

// The first file of the project's latest run, listed and downloaded through the UI's API.
async function servedFile(base: string): Promise<{ path: string; status: number; text: string }> {
  const api = `${base}/ajax-api/2.0/mlflow`;
  const { experiments } = await (await fetch(`${api}/experiments/search?max_results=10`)).json();
  const iris = experiments.find((e: { name: string }) => e.name === "iris");
  const { runs } = await (await fetch(`${api}/runs/search`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ experiment_ids: [iris.experiment_id] }),
  })).json();
  const runId = runs[0].info.run_id;
  let path: string | undefined;
  const queue: (string | undefined)[] = [undefined];
  while (path === undefined && queue.length) {
    const dir = queue.shift();
    const query = new URLSearchParams({ run_id: runId, ...(dir ? { path: dir } : {}) });
    const listed = await fetch(`${api}/artifacts/list?${query}`);
    assert.equal(listed.status, 200, await listed.clone().text());
    for (const f of (await listed.json()).files ?? []) {
      if (!f.is_dir) path ??= f.path;
      else queue.push(f.path);
    }
  }
  assert.ok(path, "the run logged a file");
  const got = await fetch(`${base}/get-artifact?${new URLSearchParams({ run_uuid: runId, path })}`);
  return { path, status: got.status, text: await got.text() };
}

for (
  const [what, location] of [
    ["the store's default artifact root", "null"],
    ["a relative tracking.experiment artifact location", "my_artifacts"],
  ] as const
) {
  Deno.test(`kmlf mlflow ui serves what kmlf run logged, kept in ${what}`, async () => {
    const dir = await demoProject({}, { tracked: true });
    try {
      const yml = join(dir, "conf/base/mlflow.yml");
      await Deno.writeTextFile(
        yml,
        (await Deno.readTextFile(yml)).replace(/artifact_location: null/, `artifact_location: ${location}`),
      );
      const run = await kmlf(["run"], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      if (location !== "null") assert.ok((await Deno.stat(join(dir, location))).isDirectory);
      // Started from the project's parent: relative locations are the project's, not the working folder's.
      const ui = await startUi(dirname(dir), ["--project", dir]);
      try {
        const served = await servedFile(ui.base);
        assert.equal(served.status, 200, `${served.path}: ${served.text}`);
      } finally {
        assert.equal(await ui.stop(), 0);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("a relative experiment location given to the server is the project's, not the working folder's", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-ui-location-" });
  const stop = new AbortController();
  let listening: (url: string) => void = () => {};
  const url = new Promise<string>((resolve) => listening = resolve);
  const served = serveTracking({
    trackingUri: "mlflow.db",
    baseDir: dir,
    host: "127.0.0.1",
    port: 0,
    artifactsDestination: join(dir, "mlartifacts"),
    experiment: { name: "iris", create: true, artifactLocation: "my_artifacts" },
    onListening: listening,
    signal: stop.signal,
  });
  try {
    const base = (await url).replace(/\/$/, "");
    const api = `${base}/ajax-api/2.0/mlflow`;
    const { experiment } = await (await fetch(`${api}/experiments/get-by-name?experiment_name=iris`)).json();
    assert.equal(experiment.artifact_location, pathToFileURL(join(dir, "my_artifacts")).href);
    const { run } = await (await fetch(`${api}/runs/create`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ experiment_id: experiment.experiment_id }),
    })).json();
    // The server writes (the UI's upload) and reads the experiment's folder: it is one of its roots.
    const query = new URLSearchParams({ run_uuid: run.info.run_id, path: "notes.txt" });
    const upload = await fetch(`${api}/upload-artifact?${query}`, { method: "POST", body: "hello" });
    assert.equal(upload.status, 200, await upload.text());
    const got = await fetch(`${base}/get-artifact?${query}`);
    assert.deepEqual([got.status, await got.text()], [200, "hello"]);
    assert.equal(
      await Deno.readTextFile(join(dir, "my_artifacts", run.info.run_id, "artifacts", "notes.txt")),
      "hello",
    );
  } finally {
    stop.abort();
    assert.equal(await served, 0);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf mlflow ui refuses an artifact root naming no folder here, as kmlf server does", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [
        ["--default-artifact-root", "file://server/x"],
        {},
        /--default-artifact-root "file:\/\/server\/x": it names/,
      ],
      [[], { MLFLOW_DEFAULT_ARTIFACT_ROOT: "file:///C:/x" }, /MLFLOW_DEFAULT_ARTIFACT_ROOT .*drive C:/],
      [
        [],
        { MLFLOW_ARTIFACTS_DESTINATION: "file:" },
        /MLFLOW_ARTIFACTS_DESTINATION .*naming no absolute folder/,
      ],
    ];
    for (const [args, env, message] of cases) {
      const r = await kmlf(["mlflow", "ui", "--port", "0", ...args], {
        cwd: dir,
        env: { NO_COLOR: "1", ...env },
      });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /error\[cli\/bad-option\]/);
      assert.match(r.stderr, message);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
