/**
 * Artifact downloads answer conditional requests as a browser or an HTTP cache expects (MLflow's
 * `send_file` sends `ETag`, `Last-Modified`, `Cache-Control: no-cache` and answers revalidation with
 * 304): `If-None-Match` / `If-Modified-Since` → 304 without a body, a failing `If-Match` /
 * `If-Unmodified-Since` → 412 — on a real server, from a local run root, the local proxy, a model
 * version and an S3 bucket (an S3-compatible server started by the suite).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { evaluatePreconditions } from "../../lib/server/conditional_requests.ts";
import { sharedS3Server } from "../services/s3_server.ts";
import { randomBytes, serveDownloads } from "./artifact_download_harness.ts";

const FILE = { etag: '"1767323045.5-1000"', lastModified: new Date("2026-01-02T03:04:05.500Z") };
const SAME_SECOND = "Fri, 02 Jan 2026 03:04:05 GMT";
const EARLIER = "Thu, 01 Jan 2026 00:00:00 GMT";

Deno.test("preconditions are evaluated in RFC 9110's order with strong and weak comparison", () => {
  const decide = (headers: Record<string, string>, method = "GET") =>
    evaluatePreconditions(new Request("http://h/x", { method, headers }), FILE);
  assert.equal(decide({}), "proceed");
  // Revalidation: the client's copy is current.
  assert.equal(decide({ "if-none-match": FILE.etag }), "not-modified");
  assert.equal(decide({ "if-none-match": `W/${FILE.etag}` }), "not-modified"); // weak comparison
  assert.equal(decide({ "if-none-match": `"a", ${FILE.etag}` }), "not-modified");
  assert.equal(decide({ "if-none-match": "*" }), "not-modified");
  assert.equal(decide({ "if-none-match": '"older"' }), "proceed");
  assert.equal(decide({ "if-modified-since": SAME_SECOND }), "not-modified"); // to the second
  assert.equal(decide({ "if-modified-since": EARLIER }), "proceed");
  assert.equal(decide({ "if-modified-since": "yesterday-ish" }), "proceed"); // unparsable: ignored
  // If-None-Match wins over If-Modified-Since.
  assert.equal(decide({ "if-none-match": '"older"', "if-modified-since": SAME_SECOND }), "proceed");
  // Lost-update guards: 412 when the file is no longer the one the client saw.
  assert.equal(decide({ "if-match": FILE.etag }), "proceed");
  assert.equal(decide({ "if-match": "*" }), "proceed");
  assert.equal(decide({ "if-match": '"older"' }), "failed");
  assert.equal(decide({ "if-match": `W/${FILE.etag}` }), "failed"); // strong comparison
  assert.equal(decide({ "if-unmodified-since": SAME_SECOND }), "proceed");
  assert.equal(decide({ "if-unmodified-since": EARLIER }), "failed");
  assert.equal(decide({ "if-match": FILE.etag, "if-unmodified-since": EARLIER }), "proceed"); // If-Match wins
  // A precondition failure comes before a revalidation.
  assert.equal(decide({ "if-match": '"older"', "if-none-match": FILE.etag }), "failed");
  assert.equal(decide({ "if-none-match": FILE.etag }, "HEAD"), "not-modified");
  assert.equal(decide({ "if-none-match": FILE.etag }, "PUT"), "proceed");
  // A file without validators is never "not modified".
  assert.equal(
    evaluatePreconditions(new Request("http://h/x", { headers: { "if-none-match": FILE.etag } }), {}),
    "proceed",
  );
});

/** Every conditional behaviour on one download URL serving `bytes`. */
async function checkConditional(url: string, bytes: Uint8Array) {
  const get = (headers: Record<string, string> = {}) => fetch(url, { headers });
  const whole = await get();
  assert.equal(whole.status, 200, url);
  assert.equal(whole.headers.get("cache-control"), "no-cache", url);
  const etag = whole.headers.get("etag")!;
  const lastModified = whole.headers.get("last-modified")!;
  assert.match(etag, /^(W\/)?".+"$/, url);
  assert.ok(lastModified, url);
  assert.deepEqual(new Uint8Array(await whole.arrayBuffer()), bytes);

  const revalidations: Record<string, string>[] = [{ "if-none-match": etag }, {
    "if-modified-since": lastModified,
  }];
  for (const headers of revalidations) {
    const cached = await get(headers);
    assert.equal(cached.status, 304, `${url} ${JSON.stringify(headers)}`);
    assert.equal(await cached.text(), "");
    assert.equal(cached.headers.get("etag"), etag);
    assert.equal(cached.headers.get("cache-control"), "no-cache");
    assert.equal(cached.headers.get("content-type"), null);
  }
  // A changed file (another tag, an older copy) comes whole; a Range with a current tag is not served.
  const stale = await get({ "if-none-match": '"an-older-copy"' });
  assert.equal(stale.status, 200);
  assert.equal((await stale.arrayBuffer()).byteLength, bytes.byteLength);
  const rangedButCached = await get({ "if-none-match": etag, range: "bytes=0-9" });
  assert.equal(rangedButCached.status, 304);
  await rangedButCached.body?.cancel();

  const guards: Record<string, string>[] = [
    { "if-match": '"an-older-copy"' },
    { "if-unmodified-since": "Thu, 01 Jan 1970 00:00:01 GMT" },
  ];
  for (const headers of guards) {
    const refused = await get(headers);
    assert.equal(refused.status, 412, `${url} ${JSON.stringify(headers)}`);
    assert.equal(await refused.text(), "");
    assert.equal(refused.headers.get("etag"), etag);
  }
  const matched = await get({ "if-match": etag, range: "bytes=0-9" });
  assert.equal(matched.status, 206);
  assert.deepEqual(new Uint8Array(await matched.arrayBuffer()), bytes.subarray(0, 10));
}

Deno.test("local, proxied and model-version downloads answer conditional requests", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-conditional-" });
  const bytes = randomBytes(200_000);
  const local = await serveDownloads(join(dir, "mlruns"), join(dir, "mlartifacts"));
  const proxied = await serveDownloads("mlflow-artifacts:/", join(dir, "mlartifacts"));
  try {
    const folder = new URL(local.artifactUri).pathname;
    await Deno.mkdir(folder, { recursive: true });
    await Deno.writeFile(join(folder, "data.bin"), bytes);
    await checkConditional(`${local.url}/get-artifact?run_id=${local.runId}&path=data.bin`, bytes);

    const path = `${proxied.artifactUri.replace(/^mlflow-artifacts:\//, "")}/model/data.bin`;
    const put = await fetch(`${proxied.url}/api/2.0/mlflow-artifacts/artifacts/${path}`, {
      method: "PUT",
      body: bytes,
    });
    assert.equal(put.status, 200);
    await put.body?.cancel();
    await checkConditional(`${proxied.url}/api/2.0/mlflow-artifacts/artifacts/${path}`, bytes);
    await proxied.post("registered-models/create", { name: "cached" });
    await proxied.post("model-versions/create", {
      name: "cached",
      source: `runs:/${proxied.runId}/model`,
      run_id: proxied.runId,
    });
    await checkConditional(
      `${proxied.url}/model-versions/get-artifact?name=cached&version=1&path=data.bin`,
      bytes,
    );

    // Overwriting the file changes its tag: the old tag no longer gets a 304.
    const url = `${local.url}/get-artifact?run_id=${local.runId}&path=data.bin`;
    const before = (await fetch(url, { method: "HEAD" })).headers.get("etag")!;
    await Deno.writeFile(join(folder, "data.bin"), bytes.subarray(0, 1000));
    const after = await fetch(url, { headers: { "if-none-match": before } });
    assert.equal(after.status, 200);
    assert.equal((await after.arrayBuffer()).byteLength, 1000);
  } finally {
    await local.close();
    await proxied.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("artifacts in an S3 bucket answer conditional requests from the object's own ETag", async () => {
  const s3 = await sharedS3Server();
  const bytes = randomBytes(50_000);
  const proxied = await serveDownloads("mlflow-artifacts:/", s3.location("conditional"), s3.env);
  try {
    const path = `${proxied.artifactUri.replace(/^mlflow-artifacts:\//, "")}/data.bin`;
    const put = await fetch(`${proxied.url}/api/2.0/mlflow-artifacts/artifacts/${path}`, {
      method: "PUT",
      body: bytes,
    });
    assert.equal(put.status, 200);
    await put.body?.cancel();
    await checkConditional(`${proxied.url}/get-artifact?run_id=${proxied.runId}&path=data.bin`, bytes);
    await checkConditional(`${proxied.url}/api/2.0/mlflow-artifacts/artifacts/${path}`, bytes);
  } finally {
    await proxied.close();
  }
});
