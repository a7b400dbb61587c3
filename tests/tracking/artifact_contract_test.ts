/**
 * One artifact-repository contract (tests/tracking/artifact_contract.ts) on every repository kmlf
 * has: the local file system, an MLflow server's artifact proxy (kmlf's server, over a folder), S3
 * directly (an S3-compatible server started by the suite), and kmlf's proxy streaming to S3.
 */
import { join } from "node:path";
import { createRequestHandler } from "../../lib/server/mod.ts";
import {
  artifactRepositoryFor,
  LocalArtifactRepository,
  newRunId,
  RestStore,
  SqliteStore,
} from "../../lib/tracking/mod.ts";
import { sharedS3Server } from "../services/s3_server.ts";
import { runArtifactContract, SMALL_MULTIPART } from "./artifact_contract.ts";

const s3Tuning = { multipartThreshold: SMALL_MULTIPART, partSize: SMALL_MULTIPART };

runArtifactContract("local", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-local-artifacts-" });
  return {
    repo: new LocalArtifactRepository(`file://${dir}/1/${newRunId()}/artifacts`),
    dispose: () => Deno.remove(dir, { recursive: true }),
  };
});

runArtifactContract("s3", async () => {
  const s3 = await sharedS3Server();
  const repo = artifactRepositoryFor(`${s3.location("contract")}/1/${newRunId()}/artifacts`, {
    env: (name) => s3.env[name],
    s3: s3Tuning,
  });
  return { repo, dispose: () => repo.deleteArtifacts() };
});

/** kmlf's server over an empty SQLite store, its proxy in front of `destination`. */
async function proxied(destination: (dir: string) => Promise<string>, options = {}) {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-proxy-artifacts-" });
  const backend = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: "mlflow-artifacts:/" });
  const handler = createRequestHandler(backend, {
    artifactsDestination: await destination(dir),
    stateDir: join(dir, "state"),
    ...options,
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  const client = new RestStore(`http://127.0.0.1:${server.addr.port}`, { env: () => undefined });
  return {
    repo: client.getArtifactRepository(`mlflow-artifacts:/1/${newRunId()}/artifacts`),
    dispose: async () => {
      await client.close();
      await server.shutdown();
      await backend.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

runArtifactContract("http proxy (folder)", () => proxied((dir) => Promise.resolve(join(dir, "mlartifacts"))));

runArtifactContract("http proxy (s3)", async () => {
  const s3 = await sharedS3Server();
  return await proxied(() => Promise.resolve(s3.location("proxy")), {
    artifactOptions: { env: (name: string) => s3.env[name], s3: s3Tuning },
  });
});
