/**
 * Objects another tool wrote into an S3 artifact root with keys that cannot be artifact paths (`..` spelt
 * percent-encoded, backslashes): listing names the object and the bucket as the problem, never the caller's
 * path, and never lists them as entries a download would write.
 */
import assert from "node:assert/strict";
import { TrackingError } from "../../lib/errors.ts";
import { artifactRepositoryFor } from "../../lib/tracking/artifacts/repository_for.ts";
import { S3Client } from "../../lib/tracking/artifacts/s3/s3_client.ts";
import { s3ConfigFromEnv } from "../../lib/tracking/artifacts/s3/s3_config.ts";
import { sharedS3Server, TEST_BUCKET } from "../services/s3_server.ts";

for (const key of ["%2E%2E/y", "a\\..\\x"]) {
  Deno.test(`S3: an object keyed ${JSON.stringify(key)} under the root is the bucket's problem, named as such`, async () => {
    const s3 = await sharedS3Server();
    const location = s3.location("unsafe");
    const prefix = location.slice(`s3://${TEST_BUCKET}/`.length);
    const client = new S3Client(TEST_BUCKET, s3ConfigFromEnv((n) => s3.env[n]));
    await client.putObject(`${prefix}/ok.txt`, new TextEncoder().encode("ok"), "text/plain");
    await client.putObject(`${prefix}/${key}`, new TextEncoder().encode("x"), "text/plain");
    const repo = artifactRepositoryFor(location, { env: (n: string) => s3.env[n] });
    for (const list of [() => repo.listArtifacts(""), () => repo.listArtifacts("", { recursive: true })]) {
      await assert.rejects(list, (error: unknown) => {
        assert.ok(error instanceof TrackingError, String(error));
        assert.equal(error.code, "tracking/bad-response");
        assert.match(error.message, new RegExp(`S3 listed the object '${prefix}/`));
        assert.match(error.message, /in bucket 'kmlf-tests'/);
        assert.match(error.hint ?? "", /rename or delete that object/);
        return true;
      });
    }
  });
}
