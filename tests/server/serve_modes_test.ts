/**
 * `kmlf server --no-serve-artifacts` and `--artifacts-only`, as `mlflow server`'s switches answer:
 * MLflow's 503 sentence for a switched-off endpoint (after routing and the method check), the rest
 * served as usual; the combinations that cannot work refused before the server starts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { serverCommand } from "../../lib/cli/server_command.ts";
import { serverFixture } from "./server_harness.ts";

const BASE = "http://127.0.0.1:5000";
const put = (path: string, body: string) => new Request(BASE + path, { method: "PUT", body });

Deno.test("--no-serve-artifacts: the mlflow-artifacts proxy answers MLflow's 503, tracking calls are served", async () => {
  const fx = await serverFixture({ mode: { serveArtifacts: false } });
  try {
    const cases: [Request, string][] = [
      [
        new Request(`${BASE}/api/2.0/mlflow-artifacts/artifacts?path=1`),
        "/api/2.0/mlflow-artifacts/artifacts",
      ],
      [
        put("/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/a.txt", "x"),
        "/api/2.0/mlflow-artifacts/artifacts/<path:artifact_path>",
      ],
      [
        new Request(`${BASE}/ajax-api/2.0/mlflow-artifacts/artifacts/1/a.txt`),
        "/ajax-api/2.0/mlflow-artifacts/artifacts/<path:artifact_path>",
      ],
      [
        new Request(`${BASE}/api/2.0/mlflow-artifacts/mpu/create/1/a.bin`, { method: "POST", body: "{}" }),
        "/api/2.0/mlflow-artifacts/mpu/create/<path:artifact_path>",
      ],
    ];
    for (const [request, rule] of cases) {
      const response = await fx.handle(request);
      assert.equal(response.status, 503, rule);
      assert.equal(
        await response.text(),
        `Endpoint: ${rule} disabled due to the mlflow server running with \`--no-serve-artifacts\`. ` +
          "To enable artifacts server functionality, run `mlflow server` with `--serve-artifacts`",
      );
    }
    // Nothing was written, and the wrong method is still a 405 first.
    assert.equal((await Array.fromAsync(Deno.readDir(fx.dir))).some((e) => e.name === "mlartifacts"), false);
    const post = await fx.handle(
      new Request(`${BASE}/api/2.0/mlflow-artifacts/artifacts`, { method: "POST" }),
    );
    assert.equal(post.status, 405);
    const created = await fx.post("/api/2.0/mlflow/experiments/create", { name: "e" });
    assert.equal(created.status, 200);
  } finally {
    await fx.dispose();
  }
});

Deno.test("--artifacts-only: tracking, registry and ajax calls answer MLflow's 503, the proxy is served", async () => {
  const fx = await serverFixture({ mode: { artifactsOnly: true } });
  try {
    for (
      const [response, rule] of [
        [await fx.post("/api/2.0/mlflow/runs/search", {}), "/api/2.0/mlflow/runs/search"],
        [
          await fx.get("/api/2.0/mlflow/registered-models/search"),
          "/api/2.0/mlflow/registered-models/search",
        ],
        [
          await fx.get("/ajax-api/2.0/mlflow/metrics/get-history-bulk", { run_id: "x", metric_key: "m" }),
          "/ajax-api/2.0/mlflow/metrics/get-history-bulk",
        ],
      ] as const
    ) {
      assert.equal(response.status, 503, rule);
      assert.equal(
        await response.text(),
        `Endpoint: ${rule} disabled due to the mlflow server running in \`--artifacts-only\` mode. ` +
          "To enable tracking server functionality, run `mlflow server` without `--artifacts-only`",
      );
    }
    // Routing comes first: an unknown endpoint is a 404, a wrong method a 405.
    assert.equal((await fx.get("/api/2.0/mlflow/no-such-thing")).status, 404);
    assert.equal((await fx.get("/api/2.0/mlflow/runs/search")).status, 405);
    const uploaded = await fx.handle(put("/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/a.txt", "hello"));
    assert.equal(uploaded.status, 200);
    const listed = await fx.get("/api/2.0/mlflow-artifacts/artifacts", { path: "1/r/artifacts" });
    assert.deepEqual(await listed.json(), { files: [{ path: "a.txt", is_dir: false, file_size: 5 }] });
    assert.equal(await Deno.readTextFile(join(fx.artifactsDestination, "1/r/artifacts/a.txt")), "hello");
  } finally {
    await fx.dispose();
  }
});

Deno.test("kmlf server refuses --artifacts-only with a backend store or with --no-serve-artifacts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-server-modes-" });
  const cwd = Deno.cwd();
  try {
    Deno.chdir(dir);
    await assert.rejects(
      serverCommand({ artifactsOnly: true, backendStoreUri: "sqlite:///runs.db", port: "0" }),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, "cli/server-modes");
        assert.match(
          e.message,
          /--artifacts-only serves artifacts alone and takes no --backend-store-uri \(got 'sqlite:\/\/\/runs\.db'\)/,
        );
        return true;
      },
    );
    await assert.rejects(
      serverCommand({ artifactsOnly: true, serveArtifacts: false, port: "0" }),
      /--artifacts-only and --no-serve-artifacts together/,
    );
    // Refused before anything was opened or created.
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), []);
  } finally {
    Deno.chdir(cwd);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf server --no-serve-artifacts: new experiments keep artifacts under ./mlruns, as mlflow server's", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-server-modes-" });
  const cwd = Deno.cwd();
  const abort = new AbortController();
  try {
    Deno.chdir(dir);
    const url = Promise.withResolvers<string>();
    const served = serverCommand(
      { serveArtifacts: false, backendStoreUri: "sqlite:///runs.db", port: "0" },
      { onListening: url.resolve, signal: abort.signal },
    );
    const base = await Promise.race([url.promise, served.then(() => "")]);
    const api = `${base}/api/2.0/mlflow`;
    const created = await fetch(`${api}/experiments/create`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "plain" }),
    }).then((r) => r.json());
    const got = await fetch(`${api}/experiments/get?experiment_id=${created.experiment_id}`).then((r) =>
      r.json()
    );
    assert.match(got.experiment.artifact_location, new RegExp(`^file://.*/mlruns/${created.experiment_id}$`));
    const proxy = await fetch(`${base}/api/2.0/mlflow-artifacts/artifacts`);
    assert.equal(proxy.status, 503);
    await proxy.body?.cancel();
    abort.abort();
    assert.equal(await served, 0);
  } finally {
    abort.abort();
    Deno.chdir(cwd);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--no-serve-artifacts: a run kept behind the proxy is not read from its destination (as MLflow), a local run is", async () => {
  const fx = await serverFixture({ mode: { serveArtifacts: false } });
  try {
    const json = async (r: Response) => await r.json();
    const { experiment_id } = await json(await fx.post("/api/2.0/mlflow/experiments/create", { name: "p" }));
    const { run } = await json(await fx.post("/api/2.0/mlflow/runs/create", { experiment_id }));
    const root: string = run.info.artifact_uri;
    assert.match(root, /^mlflow-artifacts:\//);
    // Logged while the server served artifacts: the file is in the destination.
    const file = join(fx.artifactsDestination, root.replace(/^mlflow-artifacts:\//, ""), "notes.txt");
    await Deno.mkdir(join(file, ".."), { recursive: true });
    await Deno.writeTextFile(file, "kept");
    const refusals = [
      await fx.get("/get-artifact", { run_id: run.info.run_id, path: "notes.txt" }),
      await fx.get("/api/2.0/mlflow/artifacts/list", { run_id: run.info.run_id }),
    ];
    await json(await fx.post("/api/2.0/mlflow/registered-models/create", { name: "m" }));
    await json(
      await fx.post("/api/2.0/mlflow/model-versions/create", {
        name: "m",
        source: `runs:/${run.info.run_id}`,
        run_id: run.info.run_id,
      }),
    );
    refusals.push(
      await fx.get("/model-versions/get-artifact", { name: "m", version: "1", path: "notes.txt" }),
    );
    for (const response of refusals) {
      // MLflow fails with a 500 (its clients retry those for minutes): kmlf's 501 says why at once.
      assert.equal(response.status, 501);
      const body = await json(response);
      assert.equal(body.error_code, "NOT_IMPLEMENTED");
      assert.match(
        body.message,
        /^Artifacts stored at 'mlflow-artifacts:\/.*' are served through the mlflow-artifacts proxy, and this server runs without it \(--no-serve-artifacts\)/,
      );
      assert.match(body.message, /restart it with --serve-artifacts/);
    }
    // A run whose root is a folder is served as ever.
    const local = await json(
      await fx.post("/api/2.0/mlflow/experiments/create", {
        name: "l",
        artifact_location: join(fx.artifactsDestination, "plain"),
      }),
    );
    const { run: plain } = await json(
      await fx.post("/api/2.0/mlflow/runs/create", { experiment_id: local.experiment_id }),
    );
    await Deno.mkdir(join(fx.artifactsDestination, "plain", plain.info.run_id, "artifacts"), {
      recursive: true,
    });
    await Deno.writeTextFile(
      join(fx.artifactsDestination, "plain", plain.info.run_id, "artifacts", "a.txt"),
      "local",
    );
    const served = await fx.get("/get-artifact", { run_id: plain.info.run_id, path: "a.txt" });
    assert.equal(served.status, 200);
    assert.equal(await served.text(), "local");
  } finally {
    await fx.dispose();
  }
});
