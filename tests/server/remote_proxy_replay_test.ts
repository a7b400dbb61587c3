/**
 * `kmlf server --artifacts-destination s3://…` answers like the local proxy: the artifact requests of
 * the REST validation matrix recorded from MLflow 2.17.2 (the `mlflow-artifacts` proxy's list, download,
 * upload, delete and multipart routes, `/get-artifact` and `artifacts/list` over proxied run roots) are
 * replayed against a server whose destination is a folder and one whose destination is an S3 bucket
 * (an S3-compatible server started by the suite), and the two answers must be the same — status, error
 * code, message, content type and bytes — except where S3 itself differs from a file system, listed
 * below with the reason.
 */
import assert from "node:assert/strict";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { artifactRepositoryFor, SqliteStore } from "../../lib/tracking/mod.ts";
import { sharedS3Server } from "../services/s3_server.ts";
import { type Answer, describeAnswer, replayRecordedStore } from "./validation_replay.ts";

/** Cases where a bucket is not a folder, by fixture case: what S3 answers and why. */
const S3_IS_NOT_A_FOLDER: Record<string, string> = {
  // A key may sit beside keys below it in S3 (`a` and `a/b`); MLflow's S3 proxy answers 200 too.
  "onto-existing-directory": "200: S3 has no directories to upload over",
};

const ARTIFACT_FILES = (file: string) =>
  file === "_setup" || /^(artifacts-list|get-artifact|mlflow-artifacts-)/.test(file);

function same(a: Answer, b: Answer): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

Deno.test("an S3-backed artifact proxy answers MLflow's recorded artifact requests as the local proxy does", async () => {
  const s3 = await sharedS3Server();
  const local = await replayRecordedStore("sqlite", { files: ARTIFACT_FILES });
  const remote = await replayRecordedStore("sqlite", {
    files: ARTIFACT_FILES,
    artifactsDestination: s3.location("replay"),
    artifactOptions: { env: (name) => s3.env[name] },
  });
  assert.equal(remote.length, local.length);
  const differences: string[] = [];
  let compared = 0;
  for (const [i, l] of local.entries()) {
    const r = remote[i];
    assert.equal(r.seq, l.seq);
    if (l.group !== "artifacts") continue;
    compared++;
    if (same(l.kmlf, r.kmlf)) continue;
    const listed = S3_IS_NOT_A_FOLDER[l.case];
    if (listed && r.matches) continue; // the S3 answer is MLflow's own
    differences.push(
      `${l.seq} ${l.file} [${l.case}] ${l.method}\n  folder: ${describeAnswer(l.kmlf)}\n  s3:     ${
        describeAnswer(r.kmlf)
      }`,
    );
  }
  assert.ok(compared > 200, `only ${compared} artifact requests replayed`);
  assert.deepEqual(differences, [], "the S3-backed proxy answered differently");
});

Deno.test("an S3-backed artifact proxy refuses an oversized upload, declared or streamed, and leaves nothing in the bucket", async () => {
  const s3 = await sharedS3Server();
  const part = 5 * 1024 * 1024; // S3's smallest part
  const destination = s3.location("oversized");
  const store = SqliteStore.open(":memory:", { artifactRoot: "mlflow-artifacts:/" });
  const handle = createRequestHandler(store, {
    artifactsDestination: destination,
    artifactOptions: { env: (name) => s3.env[name], s3: { multipartThreshold: part, partSize: part } },
    maxUploadBytes: 2 * part,
    stateDir: await Deno.makeTempDir({ prefix: "kmlf-proxy-state-" }),
  });
  const url = "http://127.0.0.1/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/big.bin";
  try {
    // Declared too large: refused before a byte is read.
    let res = await handle(
      new Request(url, { method: "PUT", headers: { "content-length": String(3 * part) }, body: "x" }),
    );
    assert.equal(res.status, 413);
    await res.body?.cancel();
    // Streamed without a length: refused once the limit is passed, after a part went up.
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 3 * part) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    res = await handle(new Request(url, { method: "PUT", body }));
    assert.equal(res.status, 413);
    await res.body?.cancel();
    const listed = await handle(
      new Request("http://127.0.0.1/api/2.0/mlflow-artifacts/artifacts?path=1/r/artifacts"),
    );
    assert.deepEqual(await listed.json(), {});
    const inBucket = artifactRepositoryFor(destination, { env: (name) => s3.env[name] });
    assert.deepEqual(await inBucket.listArtifacts("", { recursive: true }), []);
  } finally {
    await store.close();
  }
});
