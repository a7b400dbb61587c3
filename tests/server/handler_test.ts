/** The request handler, called directly (no sockets): errors, limits, UI endpoints, logged models. */
import assert from "node:assert/strict";
import { loopbackHostsFor } from "../../lib/server/mod.ts";
import { serverFixture } from "./server_harness.ts";

async function newRun(fx: Awaited<ReturnType<typeof serverFixture>>, name = "r") {
  const res = await fx.post("/api/2.0/mlflow/runs/create", {
    experiment_id: "0",
    run_name: name,
    start_time: 1,
  });
  assert.equal(res.status, 200);
  return (await res.json()).run.info.run_id as string;
}

Deno.test("user errors answer MLflow's error JSON with 4xx statuses, never 5xx", async () => {
  const fx = await serverFixture();
  try {
    const cases: [Promise<Response>, number, string, RegExp][] = [
      [
        fx.get("/api/2.0/mlflow/runs/get", { run_id: "0".repeat(32) }),
        404,
        "RESOURCE_DOES_NOT_EXIST",
        /not found/,
      ],
      [fx.get("/api/2.0/mlflow/runs/get"), 400, "INVALID_PARAMETER_VALUE", /required parameter 'run_id'/],
      [
        fx.post("/api/2.0/mlflow/runs/search", { experiment_ids: ["0"], filter: "metrics.acc >> 1" }),
        400,
        "INVALID_PARAMETER_VALUE",
        />>|Invalid/,
      ],
      [fx.post("/api/2.0/mlflow/experiments/create", {}), 400, "INVALID_PARAMETER_VALUE", /'name'/],
      [
        fx.post("/api/2.0/mlflow/runs/log-metric", { run_id: "x", key: "a", value: "abc", timestamp: 1 }),
        400,
        "INVALID_PARAMETER_VALUE",
        /'value'/,
      ],
      [fx.get("/api/2.0/mlflow/no/such/endpoint"), 404, "ENDPOINT_NOT_FOUND", /no\/such/],
      [
        fx.get("/api/2.0/mlflow/registered-models/get", { name: "nope" }),
        404,
        "RESOURCE_DOES_NOT_EXIST",
        /Registered Model with name=nope not found/,
      ],
    ];
    for (const [pending, status, code, message] of cases) {
      const res = await pending;
      const body = await res.json();
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(body.error_code, code);
      assert.match(body.message, message);
    }
  } finally {
    await fx.dispose();
  }
});

Deno.test("bodies: wrong content type, bad JSON, wrong method, oversized, empty and double-encoded", async () => {
  const fx = await serverFixture({ maxJsonBytes: 1000 });
  const url = "http://127.0.0.1/api/2.0/mlflow/experiments/create";
  try {
    let res = await fx.handle(
      new Request(url, { method: "POST", body: '{"name":"a"}', headers: { "content-type": "text/plain" } }),
    );
    assert.equal(res.status, 400);
    assert.equal(
      (await res.json()).message,
      "Bad Request. Content-Type must be one of ['application/json'].",
    );
    // Malformed JSON reads as {} (Flask's get_json(silent=True)), so the first required field is missing.
    res = await fx.handle(
      new Request(url, { method: "POST", body: "{", headers: { "content-type": "application/json" } }),
    );
    assert.equal(res.status, 400);
    assert.match((await res.json()).message, /^Missing value for required parameter 'name'/);
    res = await fx.handle(new Request(url, { method: "GET" }));
    assert.equal(res.status, 405);
    await res.body?.cancel();
    res = await fx.post("/api/2.0/mlflow/experiments/create", { name: "x".repeat(2000) });
    assert.equal(res.status, 413);
    assert.match((await res.json()).message, /limit of 1000 bytes/);
    res = await fx.handle(
      new Request(url, {
        method: "POST",
        body: JSON.stringify('{"name":"dbl"}'),
        headers: { "content-type": "application/json" },
      }),
    );
    assert.equal(res.status, 200);
    assert.ok((await res.json()).experiment_id);
    res = await fx.handle(
      new Request("http://127.0.0.1/api/2.0/mlflow/runs/create", {
        method: "POST",
        headers: { "content-type": "application/json" },
      }),
    );
    // An empty body is {}: no experiment_id names no experiment (MLflow: an SQL error or "Invalid experiment ID").
    assert.equal(res.status, 404, "an empty body is {}");
    assert.equal((await res.json()).message, "No Experiment with id= exists");
  } finally {
    await fx.dispose();
  }
});

Deno.test("GET decoding: repeated keys are lists, int64 as strings, ajax-api prefix", async () => {
  const fx = await serverFixture();
  try {
    const a = await newRun(fx, "a");
    const b = await newRun(fx, "b");
    for (const [run, step] of [[a, 0], [a, 1], [b, 0]] as const) {
      const res = await fx.post("/ajax-api/2.0/mlflow/runs/log-metric", {
        run_id: run,
        key: "loss",
        value: "NaN",
        timestamp: "5",
        step: String(step),
      });
      assert.equal(res.status, 200, await res.text());
    }
    const res = await fx.get("/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval", {
      run_ids: [a, b],
      metric_key: "loss",
      max_results: "10",
    });
    const body = await res.json();
    assert.deepEqual(
      body.metrics.map((m: { run_id: string; step: number; value: unknown }) => [m.run_id, m.step, m.value]),
      [
        [a, 0, "NaN"],
        [a, 1, "NaN"],
        [b, 0, "NaN"],
      ],
    );
    const bad = await fx.get("/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval", {
      run_ids: [a],
      metric_key: "loss",
      start_step: "1",
    });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).message, /both must be specified/);
  } finally {
    await fx.dispose();
  }
});

Deno.test("artifact paths that leave the root are refused: .., absolute, symlinks", async () => {
  const fx = await serverFixture({ proxied: false });
  try {
    const runId = await newRun(fx);
    const run = (await (await fx.get("/api/2.0/mlflow/runs/get", { run_id: runId })).json()).run;
    const root = new URL(run.info.artifact_uri).pathname;
    await Deno.mkdir(root, { recursive: true });
    await Deno.writeTextFile(`${root}/ok.txt`, "fine");
    const secret = `${fx.dir}/secret.txt`;
    await Deno.writeTextFile(secret, "do not serve");
    await Deno.symlink(secret, `${root}/leak.txt`);
    let res = await fx.get("/get-artifact", { run_uuid: runId, path: "ok.txt" });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "fine");
    assert.equal(res.headers.get("content-disposition"), "attachment; filename=ok.txt");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    for (const path of ["../../../secret.txt", "/etc/passwd", "leak.txt", "a\\..\\b"]) {
      res = await fx.get("/get-artifact", { run_uuid: runId, path });
      assert.equal(res.status, 400, path);
      // MLflow's validate_path_is_safe wording; a symlink leaving the root has kmlf's own.
      assert.match((await res.json()).message, /^Invalid path$|Invalid artifact path/);
    }
    // The proxy: a %2f-encoded .. survives URL normalization and must still be refused.
    res = await fx.handle(
      new Request("http://127.0.0.1/api/2.0/mlflow-artifacts/artifacts/..%2f..%2fsecret.txt"),
    );
    assert.equal(res.status, 400);
    await res.body?.cancel();
    res = await fx.handle(
      new Request("http://127.0.0.1/api/2.0/mlflow-artifacts/artifacts/x%2f..%2f..%2fevil.txt", {
        method: "PUT",
        body: "x",
      }),
    );
    assert.equal(res.status, 400);
    await res.body?.cancel();
    assert.equal(await Deno.stat(`${fx.dir}/evil.txt`).catch(() => null), null);
    res = await fx.get("/api/2.0/mlflow/artifacts/list", { run_id: runId, path: "../.." });
    assert.equal(res.status, 400);
    await res.body?.cancel();
  } finally {
    await fx.dispose();
  }
});

Deno.test("oversized artifact uploads are refused and leave nothing behind", async () => {
  const fx = await serverFixture({ maxUploadBytes: 10 });
  try {
    const res = await fx.handle(
      new Request("http://127.0.0.1/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/big.bin", {
        method: "PUT",
        body: new Uint8Array(100),
      }),
    );
    assert.equal(res.status, 413);
    await res.body?.cancel();
    const listed = await (await fx.get("/api/2.0/mlflow-artifacts/artifacts", { path: "1/r/artifacts" }))
      .json();
    assert.deepEqual(listed, {});
    const mpu = await fx.post("/api/2.0/mlflow-artifacts/mpu/create/1/r/artifacts/big.bin", {
      path: "big.bin",
      num_parts: 2,
    });
    assert.equal(mpu.status, 501);
    assert.match((await mpu.json()).message, /^Multipart upload is not supported/);
  } finally {
    await fx.dispose();
  }
});

Deno.test("auth: bearer and basic credentials, /health stays open", async () => {
  for (const auth of [{ token: "s3cret" }, { username: "ann", password: "pw" }]) {
    const fx = await serverFixture({ auth });
    try {
      const url = "http://127.0.0.1/api/2.0/mlflow/experiments/get?experiment_id=0";
      let res = await fx.handle(new Request(url));
      assert.equal(res.status, 401);
      assert.equal((await res.json()).error_code, "UNAUTHENTICATED");
      res = await fx.handle(new Request(url, { headers: { authorization: "Bearer wrong" } }));
      assert.equal(res.status, 401);
      await res.body?.cancel();
      const good = auth.token ? `Bearer ${auth.token}` : `Basic ${btoa("ann:pw")}`;
      res = await fx.handle(new Request(url, { headers: { authorization: good } }));
      assert.equal(res.status, 200);
      assert.equal((await res.json()).experiment.name, "Default");
      res = await fx.get("/health");
      assert.equal(await res.text(), "OK");
    } finally {
      await fx.dispose();
    }
  }
});

Deno.test("logged models: an MLflow 3 client's log_model sequence works and persists", async () => {
  const fx = await serverFixture();
  try {
    const runId = await newRun(fx);
    let res = await fx.post("/api/2.0/mlflow/logged-models", {
      experiment_id: "0",
      name: "model",
      source_run_id: runId,
      params: [{ key: "alpha", value: "0.5" }],
    });
    const model = (await res.json()).model;
    assert.equal(model.info.status, "LOGGED_MODEL_PENDING");
    assert.match(model.info.model_id, /^m-[0-9a-f]{32}$/);
    assert.equal(model.info.artifact_uri, `mlflow-artifacts:/0/models/${model.info.model_id}/artifacts`);
    res = await fx.post("/api/2.0/mlflow/runs/outputs", {
      run_id: runId,
      models: [{ model_id: model.info.model_id, step: 0 }],
    });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    res = await fx.handle(
      new Request(
        `http://127.0.0.1/api/2.0/mlflow-artifacts/artifacts/0/models/${model.info.model_id}/artifacts/MLmodel`,
        { method: "PUT", body: "flavors: {}\n" },
      ),
    );
    assert.equal(res.status, 200);
    await res.body?.cancel();
    res = await fx.handle(
      new Request(`http://127.0.0.1/api/2.0/mlflow/logged-models/${model.info.model_id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ status: "LOGGED_MODEL_READY" }),
      }),
    );
    assert.equal((await res.json()).model.info.status, "LOGGED_MODEL_READY");
    res = await fx.post("/api/2.0/mlflow/logged-models/search", {
      experiment_ids: ["0"],
      filter: "name = 'model'",
    });
    const found = (await res.json()).models;
    assert.equal(found.length, 1);
    assert.deepEqual(found[0].data.params, [{ key: "alpha", value: "0.5" }]);
    res = await fx.get(`/api/2.0/mlflow/logged-models/${model.info.model_id}/artifacts/directories`);
    assert.deepEqual((await res.json()).files.map((f: { path: string }) => f.path), ["MLmodel"]);
    res = await fx.post("/api/2.0/mlflow/logged-models/search", {
      experiment_ids: ["0"],
      filter: "name LIKE 'm%'",
    });
    assert.equal(res.status, 400);
    assert.match((await res.json()).message, /Unsupported logged-model filter clause/);
    res = await fx.get("/api/2.0/mlflow/logged-models/m-00000000000000000000000000000000");
    assert.equal(res.status, 404);
    await res.body?.cancel();
  } finally {
    await fx.dispose();
  }
});

Deno.test("server-info, version and artifacts/list answer like MLflow", async () => {
  const fx = await serverFixture();
  try {
    assert.deepEqual(await (await fx.get("/api/3.0/mlflow/server-info")).json(), {
      store_type: "SqlStore",
      workspaces_enabled: false,
    });
    assert.equal(await (await fx.get("/version")).text(), "2.17.2");
    const runId = await newRun(fx);
    await fx.handle(
      new Request(`http://127.0.0.1/api/2.0/mlflow-artifacts/artifacts/0/${runId}/artifacts/d/a.csv`, {
        method: "PUT",
        body: "x,y\n1,2\n",
      }),
    );
    const listed = await (await fx.get("/api/2.0/mlflow/artifacts/list", { run_id: runId })).json();
    assert.deepEqual(listed, {
      root_uri: `mlflow-artifacts:/0/${runId}/artifacts`,
      files: [{ path: "d", is_dir: true }],
    });
    const inner = await (await fx.get("/api/2.0/mlflow/artifacts/list", { run_id: runId, path: "d" })).json();
    assert.deepEqual(inner.files, [{ path: "d/a.csv", is_dir: false, file_size: 8 }]);
    const file = await fx.get("/get-artifact", { run_uuid: runId, path: "d/a.csv" });
    // MLflow's text extensions are served as text/plain, without a charset.
    assert.equal(file.headers.get("content-type"), "text/plain");
    assert.equal(await file.text(), "x,y\n1,2\n");
  } finally {
    await fx.dispose();
  }
});

Deno.test("a loopback server refuses foreign Host headers (DNS rebinding) but answers its own names", async () => {
  assert.equal(loopbackHostsFor("0.0.0.0"), undefined, "an exposed server answers any name");
  assert.deepEqual(loopbackHostsFor("127.0.0.2"), ["localhost", "127.0.0.1", "::1", "127.0.0.2"]);
  const fx = await serverFixture({ allowedHosts: loopbackHostsFor("127.0.0.1") });
  try {
    const at = (host: string) =>
      fx.handle(
        new Request("http://127.0.0.1:5000/api/2.0/mlflow/experiments/get?experiment_id=0", {
          headers: { host },
        }),
      );
    for (const host of ["localhost:5000", "127.0.0.1:5000", "[::1]:5000", "LOCALHOST"]) {
      const res = await at(host);
      assert.equal(res.status, 200, host);
      await res.body?.cancel();
    }
    const res = await at("evil.example:5000");
    assert.equal(res.status, 403);
    const body = await res.json();
    assert.equal(body.error_code, "PERMISSION_DENIED");
    assert.match(body.message, /Invalid Host header 'evil\.example:5000'/);
  } finally {
    await fx.dispose();
  }
});

Deno.test("review fixes: unicode downloads, root deletes, malformed paths, HEAD/OPTIONS, page sizes", async () => {
  const fx = await serverFixture();
  const put = (path: string, body: string) =>
    fx.handle(
      new Request(`http://127.0.0.1/api/2.0/mlflow-artifacts/artifacts/${path}`, { method: "PUT", body }),
    );
  try {
    // A non-Latin-1 file name downloads with an RFC 5987 name instead of a 500.
    assert.equal((await put("1/r/artifacts/%E6%97%A5%E6%9C%AC.txt", "hi")).status, 200);
    let res = await fx.handle(
      new Request("http://127.0.0.1/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/%E6%97%A5%E6%9C%AC.txt"),
    );
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "hi");
    assert.equal(
      res.headers.get("content-disposition"),
      `attachment; filename=.txt; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt`,
    );
    // The artifact root itself can be neither deleted nor overwritten.
    for (const method of ["DELETE", "PUT"]) {
      res = await fx.handle(
        new Request("http://127.0.0.1/api/2.0/mlflow-artifacts/artifacts/.%2F", {
          method,
          body: method === "PUT" ? "x" : undefined,
        }),
      );
      assert.equal(res.status, 400, method);
      await res.body?.cancel();
    }
    assert.ok((await Deno.stat(fx.artifactsDestination)).isDirectory);
    // Client mistakes are 4xx: malformed escapes, a file over a folder, a file below a file.
    for (
      const [path, message] of [["bad%E0%A4%A.txt", /Malformed percent-encoding/], [
        "1/r/artifacts",
        /existing directory/,
      ], ["1/r/artifacts/%E6%97%A5%E6%9C%AC.txt/child", /below an existing file/]] as const
    ) {
      res = await put(path, "x");
      assert.equal(res.status, 400, path);
      assert.match((await res.json()).message, message);
    }
    // HEAD answers like GET; OPTIONS lists the methods.
    res = await fx.handle(
      new Request("http://127.0.0.1/api/2.0/mlflow/experiments/get?experiment_id=0", { method: "HEAD" }),
    );
    assert.equal(res.status, 200);
    await res.body?.cancel();
    res = await fx.handle(new Request("http://127.0.0.1/api/2.0/mlflow/runs/search", { method: "OPTIONS" }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("allow"), "OPTIONS, POST");
    // A page size of 0 (or garbage) is ignored, as MLflow 2.17.2 ignores max_results: every point comes back.
    const runId = await newRun(fx);
    res = await fx.get("/api/2.0/mlflow/metrics/get-history", {
      run_id: runId,
      metric_key: "x",
      max_results: "0",
    });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    // Fractional int64s and artifact locations with query strings are refused, as protobuf and MLflow do.
    res = await fx.post("/api/2.0/mlflow/runs/log-metric", {
      run_id: runId,
      key: "a",
      value: 1,
      timestamp: 1.5,
    });
    assert.equal(res.status, 400);
    assert.match((await res.json()).message, /'timestamp'/);
    res = await fx.post("/api/2.0/mlflow/experiments/create", {
      name: "q",
      artifact_location: "file:///tmp/x?y=1#f",
    });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).message, "'artifact_location' URL can't include fragments or params.");
  } finally {
    await fx.dispose();
  }
});

Deno.test("logged-model records live outside the proxied tree and cannot be redirected", async () => {
  const fx = await serverFixture();
  try {
    const created =
      await (await fx.post("/api/2.0/mlflow/logged-models", { experiment_id: "0", name: "a AND b" })).json();
    const id = created.model.info.model_id;
    const listed = await (await fx.get("/api/2.0/mlflow-artifacts/artifacts", { path: ".kmlf" })).json();
    assert.deepEqual(listed, {}, "the proxy sees no records");
    const record = `${fx.dir}/.kmlf/server/logged-models/${id}.json`;
    const found = await (await fx.post("/api/2.0/mlflow/logged-models/search", {
      experiment_ids: ["0"],
      filter: "name = 'a AND b'",
    })).json();
    assert.equal(found.models.length, 1, "AND inside quotes is part of the value");
    // Even a record edited on disk cannot point the artifact listing at /etc.
    const tampered = { ...JSON.parse(await Deno.readTextFile(record)), artifact_uri: "file:///etc" };
    await Deno.writeTextFile(record, JSON.stringify(tampered));
    const res = await fx.get(`/api/2.0/mlflow/logged-models/${id}/artifacts/directories`);
    assert.equal(res.status, 500);
    assert.match((await res.json()).message, /inconsistent/);
  } finally {
    await fx.dispose();
  }
});
