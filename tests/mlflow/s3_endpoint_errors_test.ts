/**
 * An S3 endpoint that is not an S3 server is refused before anything is stored: a web server answering
 * 200 to every request (which would have swallowed every upload), one answering an HTML 404, one that
 * accepts connections and never answers (bounded by the timeout, not hanging the run), and an
 * MLFLOW_S3_ENDPOINT_URL that is not a URL. Each error names the endpoint and the fix.
 */
import assert from "node:assert/strict";
import { TrackingError } from "../../lib/errors.ts";
import { S3ArtifactRepository, s3ConfigFromEnv } from "../../lib/tracking/mod.ts";

const CREDENTIALS: Record<string, string> = { AWS_ACCESS_KEY_ID: "k", AWS_SECRET_ACCESS_KEY: "s" };

function repository(endpoint: string, timeoutMs = 60_000): S3ArtifactRepository {
  const env: Record<string, string> = { ...CREDENTIALS, MLFLOW_S3_ENDPOINT_URL: endpoint };
  return new S3ArtifactRepository("s3://bucket/mlflow", s3ConfigFromEnv((n) => env[n]), {
    retries: 0,
    timeoutMs,
  });
}

async function refusal(action: () => Promise<unknown>): Promise<TrackingError> {
  let error: unknown;
  await action().catch((e) => error = e);
  assert.ok(error instanceof TrackingError, `expected a TrackingError, got ${error}`);
  return error;
}

Deno.test("a web server at MLFLOW_S3_ENDPOINT_URL is refused by the access check, whatever it answers", async () => {
  for (
    const [status, body] of [[200, "<html>hello</html>"], [404, "<html>Not Found</html>"], [
      502,
      "<html>Bad Gateway</html>",
    ]] as const
  ) {
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      () => new Response(body, { status }),
    );
    try {
      const error = await refusal(() => repository(`http://127.0.0.1:${server.addr.port}`).checkAccess());
      assert.equal(error.code, "tracking/artifact-store-unreachable", error.message);
      assert.match(
        error.message,
        new RegExp(
          `at http://127\\.0\\.0\\.1:\\d+/bucket did not answer ListObjectsV2 .* as S3 does \\(HTTP ${status}`,
        ),
      );
      assert.match(error.hint ?? "", /MLFLOW_S3_ENDPOINT_URL is the S3 server's URL/);
    } finally {
      await server.shutdown();
    }
  }
});

Deno.test("an S3 endpoint that accepts connections and never answers fails within the timeout", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  try {
    const started = Date.now();
    const error = await refusal(() =>
      repository(`http://127.0.0.1:${listener.addr.port}`, 300).checkAccess()
    );
    assert.equal(error.code, "tracking/artifact-store-unreachable");
    assert.match(error.message, /no answer within 0\.3 s/);
    assert.ok(Date.now() - started < 5000, `waited ${Date.now() - started} ms`);
  } finally {
    listener.close();
    await accepting.catch(() => {});
    for (const conn of held) conn.close();
  }
});

Deno.test("an MLFLOW_S3_ENDPOINT_URL that is not an http(s) URL is refused naming the variable", () => {
  for (
    const endpoint of ["127.0.0.1:9000", "minio:9000", "ftp://minio:9000", "http://", "http://minio:9000?x=1"]
  ) {
    const env: Record<string, string> = { ...CREDENTIALS, MLFLOW_S3_ENDPOINT_URL: endpoint };
    assert.throws(() => s3ConfigFromEnv((n) => env[n]), (e: unknown) => {
      assert.ok(e instanceof TrackingError, String(e));
      assert.equal(e.code, "tracking/s3-endpoint");
      assert.match(e.message, /MLFLOW_S3_ENDPOINT_URL=".*": it must be an http:\/\/ or https:\/\/ URL/);
      assert.match(e.hint ?? "", /http:\/\/minio:9000/);
      return true;
    });
  }
  const env: Record<string, string> = { ...CREDENTIALS, MLFLOW_S3_ENDPOINT_URL: "http://minio:9000/" };
  assert.equal(s3ConfigFromEnv((n) => env[n]).endpoint, "http://minio:9000");
});
