/**
 * A demo run tracked to an MLflow server over REST — kmlf's own server, requiring a bearer token that
 * only the project's request_header_provider supplies — and the errors of a bad provider.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { MlflowClient, SqliteStore } from "../../lib/tracking/mod.ts";
import { demoProject, kmlf } from "../cli_harness.ts";

const PROVIDER = `export class TokenProvider {
  constructor(kwargs, context) { this.token = kwargs.token; this.context = context; this.calls = 0; }
  requestHeaders() {
    if (!this.context?.projectPath) throw new Error("pass_context did not pass the project path");
    return { Authorization: "Bearer " + this.token, "X-Calls": String(++this.calls) };
  }
}
export const notAClass = 42;
`;

async function withServer(
  fn: (url: string, store: SqliteStore, artifacts: string, seen: Headers[]) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-remote-" });
  const artifacts = join(dir, "mlartifacts");
  const store = SqliteStore.open(join(dir, "server.db"), { artifactRoot: "mlflow-artifacts:/" });
  const handler = createRequestHandler(store, { artifactsDestination: artifacts, auth: { token: "s3cret" } });
  const seen: Headers[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    seen.push(req.headers);
    return handler(req);
  });
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`, store, artifacts, seen);
  } finally {
    await server.shutdown();
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function projectTrackingTo(url: string, providerType: string): Promise<string> {
  const dir = await demoProject({ "src/auth.ts": PROVIDER }, { tracked: true });
  const yml = join(dir, "conf/base/mlflow.yml");
  const text = await Deno.readTextFile(yml);
  await Deno.writeTextFile(
    yml,
    text.replace("mlflow_tracking_uri: null", `mlflow_tracking_uri: ${url}`)
      .replace(/type: null.*/, `type: "${providerType}"`)
      .replace(/pass_context: false.*/, "pass_context: true")
      .replace(/init_kwargs: \{\}.*/, "init_kwargs: {token: s3cret}"),
  );
  return dir;
}

Deno.test("a run tracked to an MLflow server over REST, authenticated by the request_header_provider", async () => {
  await withServer(async (url, store, artifacts, seen) => {
    const dir = await projectTrackingTo(url, "./src/auth.ts#TokenProvider");
    try {
      const r = await kmlf(["run", "training", "-q"], { cwd: dir, env: { MLFLOW_TRACKING_TOKEN: "" } });
      assert.equal(r.code, 0, r.stderr);
      const client = new MlflowClient(store);
      const experiment = await client.getExperimentByName("iris");
      const { runs } = await client.searchRuns([experiment!.experimentId]);
      assert.equal(runs.length, 1);
      const run = runs[0];
      assert.equal(run.info.status, "FINISHED");
      assert.ok(Object.keys(run.data.params).length > 0);
      assert.ok("metrics.accuracy" in run.data.metrics, Object.keys(run.data.metrics).join(","));
      assert.match(run.info.artifactUri, /^mlflow-artifacts:\/1\/[0-9a-f]{32}\/artifacts$/);
      // Artifacts went through the proxy into the server's artifacts destination.
      const runDir = join(artifacts, "1", run.info.runId, "artifacts");
      assert.ok((await Deno.stat(join(runDir, "kmlf", "pipeline.json"))).isFile);
      // Every request carried the provider's header, fetched anew each time.
      assert.ok(seen.length > 5);
      assert.ok(seen.every((h) => h.get("authorization") === "Bearer s3cret"));
      assert.ok(Number(seen.at(-1)!.get("x-calls")) >= seen.length);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("a bad request_header_provider is a config error naming mlflow.yml and the key", async () => {
  await withServer(async (url) => {
    for (
      const [type, message] of [
        ["./src/auth.ts#notAClass", /should be a class with a requestHeaders\(\) method/],
        [
          "./src/missing.ts#TokenProvider",
          /Cannot import request_header_provider module \.\/src\/missing\.ts/,
        ],
      ] as const
    ) {
      const dir = await projectTrackingTo(url, type);
      try {
        const r = await kmlf(["run", "training", "-q"], { cwd: dir });
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.match(r.stderr, /conf\/base\/mlflow\.yml:\d+:\d+/);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    }
  });
});
