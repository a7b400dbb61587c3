/**
 * `kmlf models predict|serve` as an MLflow user types `mlflow models predict|serve`: the environment
 * flags every MLflow tutorial passes (`--env-manager local`, `--no-conda`, …) are taken, a value MLflow
 * refuses is refused naming the flag, serve's short flags (`-h` host, `-t` timeout, `-w` workers) and
 * its variables (`MLFLOW_PORT`, `MLFLOW_HOST`, `MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT`) work.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { kmlf, spawnKmlf } from "../cli_harness.ts";
import { trainedRulesProject } from "./model_helpers.ts";

const t = await trainedRulesProject();
globalThis.addEventListener("unload", () => Deno.removeSync(t.base, { recursive: true }));
const input = join(t.base, "in.json");
await Deno.writeTextFile(
  input,
  JSON.stringify({
    dataframe_records: [{ sepal_length: 5, sepal_width: 3, petal_length: 1.2, petal_width: 0.2 }],
  }),
);
const PREDICTED = '{"predictions": [{"prediction": "setosa", "probability": 0.9}]}';

Deno.test("models predict takes MLflow's environment flags; those asking for a Python environment get a note", async () => {
  const base = ["models", "predict", "-m", t.modelUri, "-i", input, "-t", "json"];
  for (const flags of [["--env-manager", "local"], ["--no-conda"]]) {
    const r = await kmlf([...base, ...flags], { cwd: t.project });
    assert.equal(r.code, 0, `${flags}: ${r.stderr}`);
    assert.equal(r.stdout.trim(), PREDICTED);
    assert.doesNotMatch(r.stderr, /Note:/, "local is what kmlf does: nothing to say");
  }
  const r = await kmlf(
    [...base, "--env-manager", "virtualenv", "--install-mlflow", "-r", "requirements.txt"],
    {
      cwd: t.project,
    },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), PREDICTED);
  assert.match(
    r.stderr,
    /Note: --install-mlflow, --pip-requirements-override ignored: a kmlf model runs in kmlf itself/,
  );
});

Deno.test("models predict|serve: an --env-manager MLflow refuses, contradicting flags and --enable-mlserver are exit 2, naming the flag", async () => {
  const cases: [string[], Record<string, string>, RegExp][] = [
    [
      ["predict", "-i", input, "--env-manager", "pip"],
      {},
      /--env-manager: invalid value 'pip' \(MLflow takes local, virtualenv, conda, uv\)/,
    ],
    [
      ["predict", "-i", input, "--no-conda", "--env-manager", "conda"],
      {},
      /--no-conda and --env-manager conda contradict/,
    ],
    [["serve", "--env-manager", "docker"], {}, /--env-manager: invalid value 'docker'/],
    [
      ["serve", "--enable-mlserver"],
      {},
      /--enable-mlserver: kmlf serves models itself, not through MLServer/,
    ],
    [["serve", "-w", "two"], {}, /--workers must be a positive number, got 'two'/],
    [
      ["serve"],
      { MLFLOW_MODELS_WORKERS: "0" },
      /MLFLOW_MODELS_WORKERS \(for --workers\) must be a positive number/,
    ],
    [["serve", "-t", "soon"], {}, /--timeout must be a positive number of seconds, got "soon"/],
    [
      ["serve"],
      { MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT: "-1" },
      /MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT \(for --timeout\) must be a positive number of seconds, got "-1"/,
    ],
    [
      ["serve"],
      { MLFLOW_PORT: "http" },
      /MLFLOW_PORT \(for --port\) must be a port number between 0 and 65535.*\n.*set MLFLOW_PORT to a port number \(e\.g\. 5002\), unset it, or pass --port/,
    ],
  ];
  for (const [args, env, message] of cases) {
    const [sub, ...rest] = args;
    const r = await kmlf(["models", sub, "-m", t.modelUri, ...rest], { cwd: t.project, env });
    const what = `${args.join(" ")} ${JSON.stringify(env)}`;
    assert.equal(r.code, 2, `${what}: ${r.stderr}`);
    assert.match(r.stderr, message, what);
    assert.doesNotMatch(r.stderr, /unknown option| {4}at /, what);
  }
});

Deno.test("models serve takes -h/-p/-t/-w and MLFLOW_HOST/MLFLOW_PORT as mlflow models serve does", async () => {
  const runs: [string[], Record<string, string>][] = [
    [["-h", "127.0.0.1", "-p", "0", "-t", "30", "-w", "2", "--env-manager", "local"], {}],
    [[], { MLFLOW_HOST: "127.0.0.1", MLFLOW_PORT: "0" }],
  ];
  for (const [flags, env] of runs) {
    const server = spawnKmlf(["models", "serve", "-m", t.modelUri, ...flags], {
      cwd: t.project,
      watch: "stdout",
      env,
    });
    const seen = await server.waitFor(/listening on (http\S+)/);
    const url = seen.match(/listening on (http\S+)/)?.[1];
    if (!url) {
      const { code, seen: all } = await server.finish();
      throw new Error(`${flags.join(" ")}: exited (${code}) before listening:\n${all}`);
    }
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const ping = await fetch(`${url}/ping`);
    assert.equal(ping.status, 200);
    await ping.body?.cancel();
    const scored = await fetch(`${url}/invocations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: await Deno.readTextFile(input),
    });
    assert.equal(await scored.text(), PREDICTED);
    server.child.kill("SIGINT");
    assert.equal((await server.finish()).code, 0);
  }
});
