/**
 * A real kmlf server on a free port over an in-memory store, for the artifact download tests (ranges,
 * conditional requests): one experiment and one run created through the REST API.
 */
import assert from "node:assert/strict";
import { createRequestHandler, startServer } from "../../lib/server/mod.ts";
import { SqliteStore } from "../../lib/tracking/mod.ts";

/** `size` random bytes (filled in 64 KiB pieces, getRandomValues' limit). */
export function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) {
    crypto.getRandomValues(bytes.subarray(at, Math.min(at + 65536, size)));
  }
  return bytes;
}

/**
 * A server whose new experiments' artifact root is `root` and whose proxy serves `destination`
 * (a folder or an S3 location; `env` gives its credentials).
 */
export async function serveDownloads(root: string, destination: string, env?: Record<string, string>) {
  const stateDir = await Deno.makeTempDir({ prefix: "kmlf-downloads-state-" });
  const store = SqliteStore.open(":memory:", { artifactRoot: root });
  const handler = createRequestHandler(store, {
    artifactsDestination: destination,
    artifactOptions: env ? { env: (name) => env[name] } : undefined,
    stateDir,
  });
  const server = startServer(handler, { hostname: "127.0.0.1", port: 0 });
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${server.url}/api/2.0/mlflow/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
    return await response.json();
  };
  const { experiment_id } = await post("experiments/create", { name: "ranges" });
  const { run } = await post("runs/create", { experiment_id });
  return {
    url: server.url,
    runId: run.info.run_id as string,
    artifactUri: run.info.artifact_uri as string,
    post,
    async close() {
      await server.shutdown();
      await store.close();
      await Deno.remove(stateDir, { recursive: true });
    },
  };
}
