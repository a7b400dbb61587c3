/**
 * `kmlf server --backend-store-uri postgresql://… --artifacts-destination s3://…`, like `mlflow server`:
 * runs in PostgreSQL, artifacts uploaded through the proxy land in S3 (and come back); a destination the
 * server cannot reach stops it before it serves anything.
 */
import assert from "node:assert/strict";
import { serverCommand } from "../../lib/cli/server_command.ts";
import { TrackingError } from "../../lib/errors.ts";
import { artifactRepositoryFor, RestStore } from "../../lib/tracking/mod.ts";
import { sharedPostgres } from "../services/postgres_server.ts";
import { sharedS3Server } from "../services/s3_server.ts";

async function withS3Env<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  // kmlf server reads S3 settings from its environment, as mlflow server does.
  for (const [k, v] of Object.entries(env)) Deno.env.set(k, v);
  return await fn();
}

Deno.test("kmlf server on PostgreSQL proxies artifacts to S3", async () => {
  const s3 = await sharedS3Server();
  const destination = s3.location("server");
  await withS3Env(s3.env, async () => {
    const stop = new AbortController();
    let listening!: (url: string) => void;
    const address = new Promise<string>((resolve) => (listening = resolve));
    const served = serverCommand(
      {
        backendStoreUri: await (await sharedPostgres()).createDatabase(),
        artifactsDestination: destination,
        port: "0",
      },
      { onListening: listening, signal: stop.signal },
    );
    const client = new RestStore(await address, { env: () => undefined });
    try {
      const experimentId = await client.createExperiment("served");
      const run = await client.createRun({ experimentId });
      assert.match(run.info.artifactUri, /^mlflow-artifacts:\//);
      const repo = client.getArtifactRepository(run.info.artifactUri);
      await repo.writeArtifact("reports/summary.json", '{"ok": true}');
      assert.equal(new TextDecoder().decode(await repo.readArtifact("reports/summary.json")), '{"ok": true}');
      // The object is in the bucket, under <destination>/<experiment>/<run>/artifacts.
      const inBucket = artifactRepositoryFor(`${destination}/${experimentId}/${run.info.runId}/artifacts`, {
        env: (name) => s3.env[name],
      });
      assert.deepEqual(await inBucket.listArtifacts("reports"), [
        { path: "reports/summary.json", isDir: false, fileSize: 12 },
      ]);
    } finally {
      await client.close();
      stop.abort();
      await served;
    }
  });
});

Deno.test("kmlf server refuses an S3 destination it cannot reach before serving", async () => {
  const s3 = await sharedS3Server();
  await withS3Env(s3.env, async () => {
    await assert.rejects(
      serverCommand({
        backendStoreUri: "sqlite://",
        artifactsDestination: "s3://no-such-bucket/mlflow",
        port: "0",
      }),
      (e: unknown) => {
        assert.ok(e instanceof TrackingError, String(e));
        assert.equal(e.code, "tracking/artifact-store-unreachable");
        assert.match(e.hint ?? "", /create the bucket "no-such-bucket"/);
        return true;
      },
    );
  });
});
