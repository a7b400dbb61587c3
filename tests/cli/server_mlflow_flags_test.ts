/**
 * `kmlf server` as an `mlflow server` user types it: MLflow's short flags (`-h` is the host), its
 * environment variables, `--static-prefix`, the gunicorn tuning flags accepted, and MLflow's other
 * flags refused with what kmlf does instead (never commander's bare "unknown option").
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { kmlf, spawnKmlf } from "../cli_harness.ts";

/** Starts `kmlf server …` in `cwd`, returns its printed URL and a stop function. */
async function startServer(args: string[], cwd: string, env: Record<string, string> = {}) {
  const server = spawnKmlf(["server", ...args], { cwd, watch: "stdout", env });
  const seen = await server.waitFor(/listening on (http\S+)/);
  const match = seen.match(/listening on (http\S+)/);
  if (!match) {
    const { code, seen: all } = await server.finish();
    throw new Error(`kmlf server exited (${code}) before listening:\n${all}`);
  }
  return {
    url: match[1],
    async stop() {
      server.child.kill("SIGINT");
      return (await server.finish()).code;
    },
  };
}

Deno.test("kmlf server takes mlflow server's -h/-p/-w and MLFLOW_BACKEND_STORE_URI, MLFLOW_HOST, MLFLOW_PORT", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-server-flags-" });
  try {
    // `-h` is the host, as in `mlflow server -h 0.0.0.0` (help is --help only).
    const short = await startServer([
      "--backend-store-uri",
      "short.db",
      "-h",
      "127.0.0.1",
      "-p",
      "0",
      "-w",
      "4",
      "--gunicorn-opts",
      "--timeout 60",
    ], dir);
    assert.match(short.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(await (await fetch(`${short.url}/health`)).text(), "OK");
    assert.equal(await short.stop(), 0);

    const fromEnv = await startServer([], dir, {
      MLFLOW_BACKEND_STORE_URI: "sqlite:///from-env.db",
      MLFLOW_HOST: "127.0.0.1",
      MLFLOW_PORT: "0",
    });
    assert.match(fromEnv.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const search = await fetch(`${fromEnv.url}/api/2.0/mlflow/experiments/search?max_results=5`);
    assert.equal(search.status, 200);
    assert.equal(await fromEnv.stop(), 0);
    assert.ok(existsSync(join(dir, "from-env.db")), "the store named by MLFLOW_BACKEND_STORE_URI");
    assert.ok(!existsSync(join(dir, "mlflow.db")), "not the default store");

    // A flag beats its variable, as in click.
    const flagWins = await startServer(["--backend-store-uri", "sqlite:///flag.db", "-p", "0"], dir, {
      MLFLOW_BACKEND_STORE_URI: "sqlite:///from-env-2.db",
      MLFLOW_PORT: "not-a-port",
    });
    assert.equal(await flagWins.stop(), 0);
    assert.ok(existsSync(join(dir, "flag.db")));
    assert.ok(!existsSync(join(dir, "from-env-2.db")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf server --static-prefix serves the UI, the API, /health and the artifact proxy under the prefix only", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-server-prefix-" });
  try {
    const server = await startServer(["--static-prefix", "/mlflow", "-p", "0"], dir);
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/mlflow\/$/);
    const root = server.url.replace(/\/mlflow\/$/, "");
    assert.equal(await (await fetch(`${server.url}health`)).text(), "OK");
    const page = await fetch(server.url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    const bare = await fetch(`${root}/mlflow?x=1`, { redirect: "manual" });
    assert.equal(bare.status, 308);
    assert.equal(bare.headers.get("location"), "/mlflow/?x=1");
    await bare.body?.cancel();
    for (const path of ["/api/2.0/mlflow/experiments/search", "/health", "/", "/mlflowx/health"]) {
      const outside = await fetch(`${root}${path}`);
      assert.equal(outside.status, 404, path);
      assert.match(await outside.text(), /under \/mlflow\//);
    }
    const created = await (await fetch(`${server.url}api/2.0/mlflow/experiments/create`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "prefixed" }),
    })).json();
    assert.match(created.experiment_id, /^\d+$/);
    const put = await fetch(`${server.url}api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/a.txt`, {
      method: "PUT",
      body: "hello",
    });
    assert.equal(put.status, 200, await put.text());
    const got = await fetch(`${server.url}api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/a.txt`);
    assert.equal(await got.text(), "hello");
    assert.equal(await server.stop(), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mlflow server's flags kmlf cannot honour, and bad values, are errors naming the flag or variable (exit 2)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-server-refused-" });
  try {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [["--static-prefix", "mlflow"], {}, /--static-prefix must begin with a '\/', got 'mlflow'/],
      [["--static-prefix", "/mlflow/"], {}, /--static-prefix should not end with a '\/'/],
      [
        [],
        { MLFLOW_STATIC_PREFIX: "ml" },
        /MLFLOW_STATIC_PREFIX \(for --static-prefix\) must begin with a '\/'/,
      ],
      [[], { MLFLOW_PORT: "abc" }, /MLFLOW_PORT \(for --port\) must be a port number.*\n.*set MLFLOW_PORT/],
      [["-p", "99999"], {}, /--port must be a port number between 0 and 65535, got "99999"/],
      [["--workers", "many"], {}, /--workers must be a positive number, got 'many'/],
      [[], { MLFLOW_WORKERS: "0" }, /MLFLOW_WORKERS \(for --workers\) must be a positive number/],
      [["--app-name", "basic-auth"], {}, /--app-name 'basic-auth'.*\n.*KMLF_SERVER_USERNAME/],
      [["--expose-prometheus", "metrics"], {}, /--expose-prometheus: kmlf's server has no Prometheus/],
      [[], { MLFLOW_EXPOSE_PROMETHEUS: "m" }, /MLFLOW_EXPOSE_PROMETHEUS \(for --expose-prometheus\)/],
      [
        ["--backend-store-uri", "a.db", "--registry-store-uri", "sqlite:///b.db"],
        {},
        /--registry-store-uri names another store \('sqlite:\/\/\/b.db'\) than the backend store \('a.db'\)/,
      ],
      [["--dev", "--gunicorn-opts", "x"], {}, /'--dev' and '--gunicorn-opts' cannot be specified together/],
      // A file: URI naming another host is the flag's (or variable's) error, not an internal one.
      [
        ["--artifacts-destination", "file://server/share"],
        {},
        /error\[cli\/bad-option\]: --artifacts-destination "file:\/\/server\/share": .*\n.*file:\/\/\/<absolute path>/,
      ],
      [
        [],
        { MLFLOW_ARTIFACTS_DESTINATION: "file://server/share" },
        /MLFLOW_ARTIFACTS_DESTINATION \(for --artifacts-destination\) "file:\/\/server\/share"/,
      ],
      [
        ["--allowed-artifact-roots", "/a,file://server/b"],
        {},
        /--allowed-artifact-roots "file:\/\/server\/b"/,
      ],
      // The default artifact root follows the same rule (MLflow reads file://server/x as /x), and so do
      // every root's values written for another machine or naming no absolute folder.
      [
        ["--default-artifact-root", "file://server/x"],
        {},
        /error\[cli\/bad-option\]: --default-artifact-root "file:\/\/server\/x": it names the host 'server'.*\n.*file:\/\/\/<absolute path>/,
      ],
      [
        ["--default-artifact-root", "file:///C:/x"],
        {},
        /--default-artifact-root "file:\/\/\/C:\/x": it is a Windows path \(drive C:\)/,
      ],
      [
        [],
        { MLFLOW_DEFAULT_ARTIFACT_ROOT: "file:" },
        /MLFLOW_DEFAULT_ARTIFACT_ROOT \(for --default-artifact-root\) "file:": it is a file: URI naming no absolute folder/,
      ],
      [[], { MLFLOW_DEFAULT_ARTIFACT_ROOT: "~/art" }, /"~\/art": ~ is not expanded here/],
      [["--default-artifact-root", "file:///a%2Fb"], {}, /"file:\/\/\/a%2Fb": it holds an encoded '\/'/],
      // (A flag's value is refused by the command line's check first, with the same words.)
      [
        ["--artifacts-destination", "file:///D:/art"],
        {},
        /--artifacts-destination "?file:\/\/\/D:\/art"?: .*drive D:/,
      ],
      [
        [],
        { MLFLOW_ARTIFACTS_DESTINATION: "art\\x" },
        /MLFLOW_ARTIFACTS_DESTINATION .*"art\\\\x": \\ separates/,
      ],
      [
        ["--allowed-artifact-roots", "file:x"],
        {},
        /--allowed-artifact-roots "file:x": it is a file: URI naming no/,
      ],
    ];
    for (const [args, env, message] of cases) {
      const result = await kmlf(["server", ...args], { cwd: dir, env: { NO_COLOR: "1", ...env } });
      const what = `${args.join(" ")} ${JSON.stringify(env)}`;
      assert.equal(result.code, 2, `${what}: ${result.stderr}`);
      assert.match(result.stderr, message, what);
      assert.doesNotMatch(result.stderr, /unknown option| {4}at /, what);
    }
    // Nothing was served, so no store was made.
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
