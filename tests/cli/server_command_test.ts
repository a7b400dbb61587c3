/** `kmlf server` and `kmlf mlflow ui` as subprocesses: start, answer, stop on Ctrl-C, clear errors. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CLI_PATH, demoProject, kmlf, REPO } from "../cli_harness.ts";

/** Starts kmlf with `args`, waits for the "listening on" line and returns the URL and the process. */
async function startKmlf(
  args: string[],
  cwd: string,
  denoFlags: string[] = [],
  env: Record<string, string> = {},
) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--quiet", ...denoFlags, CLI_PATH, ...args],
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!/listening on (http\S+)/.test(seen)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`kmlf exited before listening:\n${seen}`);
    seen += value;
  }
  const url = seen.match(/listening on (http\S+)/)![1];
  return {
    url,
    async stop() {
      child.kill("SIGINT");
      let rest = seen;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        rest += value;
      }
      const status = await child.status;
      const stderr = await new Response(child.stderr).text();
      return { code: status.code, stdout: rest, stderr };
    },
  };
}

Deno.test("kmlf server serves a store until Ctrl-C, then stops cleanly", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-server-cli-" });
  try {
    const server = await startKmlf(
      ["server", "--backend-store-uri", "sqlite:///runs.db", "--port", "0"],
      dir,
    );
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(await (await fetch(`${server.url}/health`)).text(), "OK");
    const created = await fetch(`${server.url}/api/2.0/mlflow/experiments/create`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "from-cli" }),
    });
    const { experiment_id } = await created.json();
    const got =
      await (await fetch(`${server.url}/api/2.0/mlflow/experiments/get?experiment_id=${experiment_id}`))
        .json();
    assert.equal(got.experiment.artifact_location, `mlflow-artifacts:/${experiment_id}`);
    // Like MLflow's server, over-long param values are truncated to 6000 characters, not refused.
    const post = (rpc: string, body: unknown) =>
      fetch(`${server.url}/api/2.0/mlflow/${rpc}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then((r) => r.json());
    const { run } = await post("runs/create", { experiment_id });
    assert.deepEqual(
      await post("runs/log-parameter", { run_id: run.info.run_id, key: "long", value: "x".repeat(7000) }),
      {},
    );
    const stored = await (await fetch(`${server.url}/api/2.0/mlflow/runs/get?run_id=${run.info.run_id}`))
      .json();
    assert.equal(stored.run.data.params[0].value.length, 6000);
    const { code, stdout, stderr } = await server.stop();
    assert.equal(code, 0);
    assert.match(stdout, /Server stopped/);
    // …and never silently: the server log says what it cut, as MLflow's server warns.
    assert.match(
      stderr,
      /warning Param value 'x{100}\.\.\.' had length 7000, which exceeded length limit of 6000: truncated to 6000 characters/,
    );
    assert.ok((await Deno.stat(join(dir, "runs.db"))).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf server takes --allowed-artifact-roots and MLFLOW_SERVER_CORS_ALLOWED_ORIGINS", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-server-cli-" });
  try {
    const server = await startKmlf(
      ["server", "--port", "0", "--allowed-artifact-roots", "shared"],
      dir,
      [],
      { MLFLOW_SERVER_CORS_ALLOWED_ORIGINS: "https://app.example" },
    );
    const create = (name: string, location: string, origin?: string) =>
      fetch(`${server.url}/api/2.0/mlflow/experiments/create`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(origin ? { origin } : {}) },
        body: JSON.stringify({ name, artifact_location: location }),
      }).then(async (r) => [r.status, (await r.json()).error_code]);
    assert.deepEqual(await create("in", join(dir, "shared", "in")), [200, undefined]);
    assert.deepEqual(await create("out", join(dir, "elsewhere")), [403, "PERMISSION_DENIED"]);
    assert.deepEqual(await create("app", "s3://b/app", "https://app.example"), [200, undefined]);
    // The setting replaces the localhost default.
    assert.deepEqual(await create("lh", "s3://b/lh", "http://localhost:3000"), [403, "PERMISSION_DENIED"]);
    assert.equal((await server.stop()).code, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("MLFLOW_TRUNCATE_LONG_VALUES=false makes the server refuse over-long values; a non-boolean is a usage error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-server-cli-" });
  try {
    const server = await startKmlf(
      ["server", "--backend-store-uri", "sqlite:///runs.db", "--port", "0"],
      dir,
      [],
      {
        MLFLOW_TRUNCATE_LONG_VALUES: "False",
      },
    );
    const post = (rpc: string, body: unknown) =>
      fetch(`${server.url}/api/2.0/mlflow/${rpc}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const { experiment_id } = await (await post("experiments/create", { name: "e" })).json();
    const { run } = await (await post("runs/create", { experiment_id })).json();
    for (
      const [rpc, body, entity, limit] of [
        ["runs/log-parameter", { key: "p", value: "x".repeat(6001) }, "Param value", 6000],
        ["runs/set-tag", { key: "t", value: "x".repeat(8001) }, "Tag value", 8000],
        ["runs/log-batch", { params: [{ key: "b", value: "x".repeat(6001) }] }, "Param value", 6000],
      ] as const
    ) {
      const answer = await post(rpc, { run_id: run.info.run_id, ...body });
      assert.equal(answer.status, 400, rpc);
      const { error_code, message } = await answer.json();
      assert.equal(error_code, "INVALID_PARAMETER_VALUE");
      assert.match(
        message,
        new RegExp(`${entity} 'x+' had length ${limit + 1}, which exceeded length limit of ${limit}`),
      );
    }
    const stored = await (await fetch(`${server.url}/api/2.0/mlflow/runs/get?run_id=${run.info.run_id}`))
      .json();
    assert.equal(stored.run.data.params, undefined);
    assert.equal(await server.stop().then((r) => r.code), 0);
    const result = await kmlf(["server", "--port", "0"], {
      cwd: dir,
      env: { MLFLOW_TRUNCATE_LONG_VALUES: "maybe" },
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /MLFLOW_TRUNCATE_LONG_VALUES="maybe" is not a boolean/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a busy port, an address not on this machine, a malformed --host and a bad --port value are clear errors", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-server-cli-" });
  const blocker = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (blocker.addr as Deno.NetAddr).port;
    let result = await kmlf(["server", "--port", String(port)], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, new RegExp(`port ${port} on 127.0.0.1 is already in use`));
    assert.match(result.stderr, /--port/);
    result = await kmlf(["server", "--host", "203.0.113.7", "--port", "0"], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /server\/cannot-bind.*203\.0\.113\.7/);
    assert.match(result.stderr, /--host 127\.0\.0\.1/);
    for (const host of ["", "bad host", "no-such-host.invalid"]) {
      result = await kmlf(["server", "--host", host, "--port", "0"], { cwd: dir });
      assert.equal(result.code, 2, result.stderr);
      assert.match(
        result.stderr,
        new RegExp(
          `error\\[server/bad-host\\]: .*--host ${JSON.stringify(host)} is not an address of this machine`,
        ),
      );
      assert.doesNotMatch(result.stderr, /internal/);
    }
    result = await kmlf(["server", "--port", "http"], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--port must be a port number between 0 and 65535, got "http"/);
  } finally {
    blocker.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an artifacts destination below a file stops the server before it listens; --no-serve-artifacts does not need one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-server-cli-" });
  try {
    await Deno.writeTextFile(join(dir, "blocker"), "a file, not a folder\n");
    const args = ["server", "--port", "0", "--artifacts-destination", "blocker/mlartifacts"];
    const result = await kmlf(args, { cwd: dir });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /tracking\/artifact-location-unusable/);
    assert.match(result.stderr, /blocker is a file, not a folder/);
    assert.match(result.stderr, /--artifacts-destination/);
    assert.doesNotMatch(result.stdout + result.stderr, /listening on/);
    assert.equal(await Deno.readTextFile(join(dir, "blocker")), "a file, not a folder\n");
    // Refused before the store is opened: no mlflow.db is created for a server that never started.
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["blocker"]);
    // Not serving artifacts, the destination is never used, so it is not checked.
    const server = await startKmlf([...args, "--no-serve-artifacts"], dir);
    const health = await fetch(`${server.url}/health`);
    assert.equal(await health.text(), "OK");
    assert.equal((await server.stop()).code, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf mlflow ui serves the project's store from mlflow.yml; a remote URI is only printed", async () => {
  const project = await demoProject({}, { tracked: true });
  try {
    const run = await kmlf(["run", "training", "-q"], { cwd: project });
    assert.equal(run.code, 0, run.stderr);
    // -h is the host, as in kedro-mlflow (`--help` is the help).
    const ui = await startKmlf(["mlflow", "ui", "-h", "127.0.0.1", "--port", "0"], project);
    assert.match(ui.url, /^http:\/\/127\.0\.0\.1:/);
    const search = await fetch(`${ui.url}/api/2.0/mlflow/experiments/search?max_results=10`);
    const names = (await search.json()).experiments.map((e: { name: string }) => e.name);
    assert.ok(names.includes("iris"), names.join(","));
    const { code } = await ui.stop();
    assert.equal(code, 0);

    const remote = await kmlf(["mlflow", "ui"], {
      cwd: project,
      env: { MLFLOW_TRACKING_URI: "http://mlflow.example:5000" },
    });
    assert.equal(remote.code, 0, remote.stderr);
    assert.match(remote.stdout, /remote MLflow server; open http:\/\/mlflow\.example:5000/);
    const help = await kmlf(["mlflow", "ui", "--help"], { cwd: project });
    assert.match(help.stdout, /-h, --host <host>/);
    const bare = await kmlf(["mlflow", "ui", "-h"], { cwd: project });
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /'-h, --host <host>' argument missing/);
  } finally {
    await Deno.remove(project, { recursive: true });
  }
});

Deno.test("kmlf mlflow ui takes mlflow server's artifact switches, as flags or MLflow's variables (a flag wins)", async () => {
  const project = await demoProject({}, { tracked: true });
  const proxyStatus = async (url: string) => {
    const response = await fetch(`${url}/api/2.0/mlflow-artifacts/artifacts?path=1`);
    await response.body?.cancel();
    return response.status;
  };
  try {
    // kedro-mlflow users reach `mlflow ui`'s switches only through its variables.
    const off = await startKmlf(["mlflow", "ui", "--port", "0"], project, [], {
      MLFLOW_SERVE_ARTIFACTS: "false",
    });
    assert.equal(await proxyStatus(off.url), 503);
    const search = await fetch(`${off.url}/api/2.0/mlflow/experiments/search?max_results=10`);
    assert.equal(search.status, 200);
    await search.body?.cancel();
    assert.equal((await off.stop()).code, 0);

    const flag = await startKmlf(
      ["mlflow", "ui", "--port", "0", "--serve-artifacts", "--artifacts-destination", "proxied"],
      project,
      [],
      { MLFLOW_SERVE_ARTIFACTS: "0", MLFLOW_ARTIFACTS_DESTINATION: "elsewhere" },
    );
    const put = await fetch(`${flag.url}/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/a.txt`, {
      method: "PUT",
      body: "hello",
    });
    assert.equal(put.status, 200);
    await put.body?.cancel();
    // A relative destination is the project's folder, as `kedro mlflow ui` runs mlflow from the root.
    assert.equal(await Deno.readTextFile(join(project, "proxied/1/r/artifacts/a.txt")), "hello");
    assert.equal((await flag.stop()).code, 0);

    const noProxy = await startKmlf(["mlflow", "ui", "--port", "0", "--no-serve-artifacts"], project);
    assert.equal(await proxyStatus(noProxy.url), 503);
    assert.equal((await noProxy.stop()).code, 0);

    // `mlflow ui --artifacts-only` refuses the store kedro-mlflow always passes; kmlf says so first.
    const only = await kmlf(["mlflow", "ui", "--artifacts-only"], { cwd: project });
    assert.equal(only.code, 2, only.stderr);
    assert.match(only.stderr, /--artifacts-only serves artifacts alone and takes no project store/);
    assert.match(only.stderr, /kmlf server --artifacts-only/);
    const bad = await kmlf(["server", "--port", "0"], {
      cwd: project,
      env: { MLFLOW_ARTIFACTS_ONLY: "maybe" },
    });
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /MLFLOW_ARTIFACTS_ONLY="maybe" is not a boolean \(it sets --artifacts-only\)/);
  } finally {
    await Deno.remove(project, { recursive: true });
  }
});

Deno.test("compiled mode: the server answers the embedded web UI from outside kmlf's tree", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-server-compiled-" });
  try {
    const flags = ["--cached-only", "--config", join(REPO, "deno.json")];
    const server = await startKmlf(["server", "--port", "0"], dir, flags);
    const page = await fetch(`${server.url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<!doctype html>/i);
    const script = await fetch(`${server.url}/static-files/app.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get("content-type") ?? "", /javascript/);
    await script.body?.cancel();
    assert.equal((await server.stop()).code, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
