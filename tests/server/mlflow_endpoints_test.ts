/**
 * The endpoints MLflow's client and UI call that kmlf lacked, and how artifacts are served: the UI's
 * upload-artifact, experiments/search-datasets, the legacy runs/log-model, model-versions/get-artifact,
 * artifact roots (relative, `mlflow-artifacts:`, http(s) pointing at the server) and content types.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { FileStore, SqliteStore } from "../../lib/tracking/mod.ts";
import { serverFixture } from "./server_harness.ts";

const BASE = "http://127.0.0.1:5000";

async function newRun(post: (path: string, body: unknown) => Promise<Response>, name = "e"): Promise<{
  experimentId: string;
  runId: string;
}> {
  const experimentId =
    (await (await post("/api/2.0/mlflow/experiments/create", { name })).json()).experiment_id;
  const run = await (await post("/api/2.0/mlflow/runs/create", { experiment_id: experimentId })).json();
  return { experimentId, runId: run.run.info.run_id };
}

Deno.test("ajax upload-artifact writes one file of a run, with MLflow's checks", async () => {
  const fx = await serverFixture();
  try {
    const { runId } = await newRun(fx.post);
    const upload = (query: string, body?: string) =>
      fx.handle(
        new Request(`${BASE}/ajax-api/2.0/mlflow/upload-artifact?${query}`, { method: "POST", body }),
      );
    let res = await upload(`run_uuid=${runId}&path=eval/results.json`, '{"acc": 0.9}');
    assert.equal(res.status, 200);
    await res.body?.cancel();
    res = await fx.get("/get-artifact", { run_id: runId, path: "eval/results.json" });
    assert.equal(await res.text(), '{"acc": 0.9}');
    for (
      const [query, body, message] of [
        [`path=x.txt`, "x", "Request must specify run_uuid."],
        [`run_uuid=${runId}`, "x", "Request must specify path."],
        [`run_uuid=${runId}&path=..%2Fescape.txt`, "x", "Invalid path"],
        [`run_uuid=${runId}&path=empty.txt`, undefined, "Request must specify data."],
      ] as const
    ) {
      res = await upload(query, body);
      assert.equal(res.status, 400, query);
      assert.equal((await res.json()).message, message);
    }
    // MLflow registers it under /ajax-api only.
    res = await fx.handle(
      new Request(`${BASE}/api/2.0/mlflow/upload-artifact?run_uuid=${runId}&path=a.txt`, {
        method: "POST",
        body: "a",
      }),
    );
    assert.equal(res.status, 404);
    await res.body?.cancel();
  } finally {
    await fx.dispose();
  }
});

Deno.test("experiments/search-datasets lists the datasets runs used, with their context", async () => {
  for (const kind of ["sqlite", "file"] as const) {
    const dir = await Deno.makeTempDir();
    const store = kind === "sqlite"
      ? SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: "mlflow-artifacts:/" })
      : await FileStore.open(join(dir, "mlruns"), { artifactRoot: "mlflow-artifacts:/" });
    const handle = createRequestHandler(store, { artifactsDestination: join(dir, "art") });
    const post = (path: string, body: unknown) =>
      handle(
        new Request(BASE + path, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      );
    try {
      const { experimentId, runId } = await newRun(post);
      const dataset = { name: "iris", digest: "abc", source_type: "local", source: '{"uri": "iris.csv"}' };
      const tags = [{ key: "mlflow.data.context", value: "training" }];
      assert.equal(
        (await post("/api/2.0/mlflow/runs/log-inputs", { run_id: runId, datasets: [{ dataset, tags }] }))
          .status,
        200,
      );
      let res = await post("/ajax-api/2.0/mlflow/experiments/search-datasets", {
        experiment_ids: [experimentId],
      });
      assert.equal(res.status, 200, kind);
      assert.deepEqual(await res.json(), {
        dataset_summaries: [{
          experiment_id: experimentId,
          name: "iris",
          digest: "abc",
          context: "training",
        }],
      });
      res = await post("/ajax-api/2.0/mlflow/experiments/search-datasets", {});
      assert.equal(
        (await res.json()).message,
        "SearchDatasets request must specify at least one experiment_id.",
      );
      res = await post("/ajax-api/2.0/mlflow/experiments/search-datasets", {
        experiment_ids: Array.from({ length: 21 }, (_, i) => String(i)),
      });
      assert.match((await res.json()).message, /cannot specify more than 20 experiment_ids. Received 21/);
      res = await post("/api/2.0/mlflow/experiments/search-datasets", { experiment_ids: [experimentId] });
      assert.equal(res.status, 404, "MLflow serves it under /ajax-api only");
      await res.body?.cancel();
    } finally {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("runs/log-model appends to the run's mlflow.log-model.history tag", async () => {
  const fx = await serverFixture();
  try {
    const { runId } = await newRun(fx.post);
    const model = (path: string) => ({
      artifact_path: path,
      flavors: { python_function: {} },
      run_id: runId,
      utc_time_created: "2024-01-01 00:00:00.000000",
    });
    for (const path of ["model", "second"]) {
      const res = await fx.post("/api/2.0/mlflow/runs/log-model", {
        run_id: runId,
        model_json: JSON.stringify(model(path)),
      });
      assert.equal(res.status, 200);
      await res.body?.cancel();
    }
    const run = (await (await fx.get("/api/2.0/mlflow/runs/get", { run_id: runId })).json()).run;
    const tag = run.data.tags.find((t: { key: string }) => t.key === "mlflow.log-model.history");
    assert.deepEqual(JSON.parse(tag.value).map((m: { artifact_path: string }) => m.artifact_path), [
      "model",
      "second",
    ]);
    for (
      const [json, message] of [
        ["{not json", "Malformed model info. \n {not json \n is not a valid JSON."],
        [
          "{}",
          "Model json is missing mandatory fields: {'artifact_path', 'flavors', 'run_id', 'utc_time_created'}",
        ],
        [
          '{"artifact_path": "m", "flavors": {}}',
          "Model json is missing mandatory fields: {'run_id', 'utc_time_created'}",
        ],
        ["[]", /must hold a JSON object/],
      ] as const
    ) {
      const res = await fx.post("/api/2.0/mlflow/runs/log-model", { run_id: runId, model_json: json });
      assert.equal(res.status, 400, json);
      const text = (await res.json()).message;
      if (typeof message === "string") assert.equal(text, message);
      else assert.match(text, message);
    }
  } finally {
    await fx.dispose();
  }
});

Deno.test("model-versions/get-artifact serves a registered version's files", async () => {
  const fx = await serverFixture();
  try {
    // A version registered from a run's proxied model folder, written in MLflow's own tables.
    const { runId, experimentId } = await newRun(fx.post);
    const source = `mlflow-artifacts:/${experimentId}/${runId}/artifacts/model`;
    (await fx.handle(
      new Request(
        `${BASE}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/model/MLmodel`,
        {
          method: "PUT",
          body: "artifact_path: model\n",
        },
      ),
    )).body?.cancel();
    const db = new DatabaseSync(join(fx.dir, "mlflow.db"));
    db.prepare("INSERT INTO registered_models (name, creation_time, last_updated_time) VALUES ('m', 1, 1)")
      .run();
    db.prepare(
      "INSERT INTO model_versions (name, version, creation_time, last_updated_time, current_stage, source, run_id, status) " +
        "VALUES ('m', 1, 1, 1, 'None', ?, ?, 'READY')",
    ).run(source, runId);
    db.close();
    const ok = await fx.get("/model-versions/get-artifact", { name: "m", version: "1", path: "MLmodel" });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("content-type"), "text/plain");
    assert.equal(ok.headers.get("content-disposition"), "attachment; filename=MLmodel");
    assert.equal(await ok.text(), "artifact_path: model\n");
    const nope = await fx.get("/model-versions/get-artifact", { name: "m", version: "1", path: "nope.txt" });
    assert.equal(nope.status, 404, "a missing file is a 404 (MLflow: 500)");
    await nope.body?.cancel();
    const dirAnswer = await fx.get("/model-versions/get-artifact", { name: "m", version: "1", path: "." });
    assert.equal(dirAnswer.status, 400, "a directory is a 400 (MLflow: 500)");
    await dirAnswer.body?.cancel();
    const res = await fx.get("/model-versions/get-artifact", { name: "m", version: "1", path: "../x" });
    assert.equal(res.status, 400, "the path is checked first, as MLflow does");
    assert.equal((await res.json()).message, "Invalid path");
    const missing = await fx.get("/model-versions/get-artifact", { name: "m", version: "1" });
    assert.equal(missing.status, 400);
    await missing.body?.cancel();
    const post = await fx.handle(
      new Request(`${BASE}/model-versions/get-artifact?name=m&version=1&path=MLmodel`, { method: "POST" }),
    );
    assert.equal(post.status, 405);
    await post.body?.cancel();
  } finally {
    await fx.dispose();
  }
});

Deno.test("model-versions/get-artifact reads a runs:/ source in every spelling MLflow reads (RUNS:/, runs:///, a trailing slash)", async () => {
  const fx = await serverFixture();
  try {
    const { runId, experimentId } = await newRun(fx.post);
    (await fx.handle(
      new Request(
        `${BASE}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/model/MLmodel`,
        { method: "PUT", body: "artifact_path: model\n" },
      ),
    )).body?.cancel();
    assert.equal((await fx.post("/api/2.0/mlflow/registered-models/create", { name: "m" })).status, 200);
    const sources = [`RUNS:/${runId}/model`, `runs:///${runId}/model`, `Runs:/${runId}/model/`];
    for (const [i, source] of sources.entries()) {
      // MLflow's server stores a runs:/ source as sent; its client resolved the URI, another may not.
      const created = await fx.post("/api/2.0/mlflow/model-versions/create", {
        name: "m",
        source,
        run_id: runId,
      });
      assert.equal(created.status, 200, await created.text());
      const file = await fx.get("/model-versions/get-artifact", {
        name: "m",
        version: String(i + 1),
        path: "MLmodel",
      });
      assert.equal(file.status, 200, source);
      assert.equal(await file.text(), "artifact_path: model\n");
    }
  } finally {
    await fx.dispose();
  }
});

Deno.test("artifact roots: relative locations resolve against the server's cwd; http(s) roots of the server are served", async () => {
  const dir = await Deno.makeTempDir();
  const destination = join(dir, "art");
  // A deployment whose default artifact root is the server's own mlflow-artifacts route.
  const store = SqliteStore.open(join(dir, "mlflow.db"), {
    artifactRoot: "http://tracking.example:5000/api/2.0/mlflow-artifacts/artifacts",
  });
  const handle = createRequestHandler(store, {
    artifactsDestination: destination,
    cwd: join(dir, "cwd"),
    allowedArtifactRoots: [join(dir, "cwd")],
  });
  const post = (path: string, body: unknown) =>
    handle(
      new Request(BASE + path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
  const get = (path: string) => handle(new Request(BASE + path));
  try {
    const { experimentId, runId } = await newRun(post, "http-root");
    const run = (await (await get(`/api/2.0/mlflow/runs/get?run_id=${runId}`)).json()).run;
    assert.equal(
      run.info.artifact_uri,
      `http://tracking.example:5000/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts`,
    );
    // The client uploads through the proxy; list and get-artifact find the files under the destination.
    const put = await handle(
      new Request(
        `${BASE}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/model/MLmodel`,
        {
          method: "PUT",
          body: "flavors: {}\n",
        },
      ),
    );
    assert.equal(put.status, 200);
    await put.body?.cancel();
    const list = await (await get(`/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=model`)).json();
    assert.deepEqual(list.files, [{ path: "model/MLmodel", is_dir: false, file_size: 12 }]);
    const file = await get(`/get-artifact?run_id=${runId}&path=model/MLmodel`);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get("content-type"), "text/plain");
    assert.equal(await file.text(), "flavors: {}\n");
    // mlflow-artifacts: roots with a host part are the server's too.
    const exp = await (await post("/api/2.0/mlflow/experiments/create", {
      name: "hosted",
      artifact_location: "mlflow-artifacts://tracking.example:5000/hosted",
    })).json();
    const hosted =
      (await (await post("/api/2.0/mlflow/runs/create", { experiment_id: exp.experiment_id })).json()).run;
    const listed = await get(`/api/2.0/mlflow/artifacts/list?run_id=${hosted.info.run_id}`);
    assert.equal(listed.status, 200);
    await listed.body?.cancel();
    // A relative artifact_location is made absolute against the server's working directory.
    const rel = await (await post("/api/2.0/mlflow/experiments/create", {
      name: "rel",
      artifact_location: "my_location",
    })).json();
    const experiment =
      (await (await get(`/api/2.0/mlflow/experiments/get?experiment_id=${rel.experiment_id}`)).json())
        .experiment;
    assert.equal(experiment.artifact_location, `file://${join(dir, "cwd", "my_location")}`);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("served artifacts carry MLflow's content types and file names", async () => {
  const fx = await serverFixture();
  try {
    const cases: [string, string][] = [
      ["notes.txt", "text/plain"],
      ["MLmodel", "text/plain"],
      ["MLproject", "text/plain"],
      ["conda.yaml", "text/plain"],
      ["metrics.json", "text/plain"],
      ["data.csv", "text/plain"],
      ["plot.png", "image/png"],
      ["page.html", "text/plain"],
      ["model.pkl", "application/octet-stream"],
      ["noext", "application/octet-stream"],
    ];
    for (const [name, type] of cases) {
      const path = `/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/${name}`;
      (await fx.handle(new Request(BASE + path, { method: "PUT", body: "x" }))).body?.cancel();
      const res = await fx.handle(new Request(BASE + path));
      assert.equal(res.headers.get("content-type"), type, name);
      assert.equal(res.headers.get("content-disposition"), `attachment; filename=${name}`, name);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      await res.body?.cancel();
    }
  } finally {
    await fx.dispose();
  }
});
