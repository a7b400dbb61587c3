/**
 * Artifact downloads answer `Range` requests as MLflow's `send_file` (Werkzeug) does: 206 with
 * `Content-Range` for one range, 416 with `bytes *\/<size>` for what Werkzeug refuses, the whole file
 * when `If-Range` no longer matches — on a real server, for files of a few MB, from a local run root,
 * the local proxy and an S3 bucket (an S3-compatible server started by the suite).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { decideRange, parseRangeHeader, rangeForLength } from "../../lib/server/byte_ranges.ts";
import { sharedS3Server } from "../services/s3_server.ts";
import { randomBytes, serveDownloads as serve } from "./artifact_download_harness.ts";

const SIZE = 3 * 1024 * 1024 + 17;

Deno.test("Range headers are read as Werkzeug reads them", () => {
  const pick = (header: string, size = 1000) => {
    const parsed = parseRangeHeader(header);
    const range = parsed && rangeForLength(parsed, size);
    return range ? [range.start, range.end] : undefined;
  };
  assert.deepEqual(pick("bytes=0-99"), [0, 100]);
  assert.deepEqual(pick("bytes=990-"), [990, 1000]);
  assert.deepEqual(pick("bytes=-10"), [990, 1000]);
  assert.deepEqual(pick("bytes=0-5000"), [0, 1000]); // cut at the end
  assert.deepEqual(pick(" BYTES = 5 - 9 "), [5, 10]); // unit case and spaces
  assert.deepEqual(pick("bytes=-0"), [0, 1000]); // Werkzeug: -0 is 0, the whole file
  for (
    const refused of [
      "bytes=1000-", // starts past the end
      "bytes=-1001", // a suffix longer than the file (Werkzeug refuses it)
      "bytes=0-1,5-9", // several ranges
      "items=0-9", // another unit
      "bytes=9-5",
      "bytes=abc",
      "bytes=1-2-3",
      "bytes 0-9",
      "bytes=",
      "bytes=5-9,0-1", // out of order: the parse fails
    ]
  ) {
    assert.equal(pick(refused), undefined, refused);
  }
  const get = (headers: Record<string, string>, method = "GET") =>
    decideRange(new Request("http://h/x", { method, headers }), 1000, {
      etag: '"1.5-1000"',
      lastModified: new Date("2026-01-02T03:04:05Z"),
    }).kind;
  assert.equal(get({}), "full");
  assert.equal(get({ range: "bytes=0-1" }), "partial");
  assert.equal(get({ range: "bytes=0-1", "if-range": '"1.5-1000"' }), "partial");
  assert.equal(get({ range: "bytes=0-1", "if-range": '"other"' }), "full");
  assert.equal(get({ range: "bytes=0-1", "if-range": "Fri, 02 Jan 2026 03:04:05 GMT" }), "partial");
  assert.equal(get({ range: "bytes=0-1", "if-range": "Thu, 01 Jan 2026 00:00:00 GMT" }), "full");
  assert.equal(get({ range: "bytes=5000-" }), "unsatisfiable");
  assert.equal(get({ range: "bytes=0-1" }, "DELETE"), "full");
});

/** Every range behaviour on one download URL serving `bytes`. */
async function checkRanges(url: string, bytes: Uint8Array) {
  const get = (headers: Record<string, string> = {}) => fetch(url, { headers });
  const body = async (response: Response) => new Uint8Array(await response.arrayBuffer());
  const size = bytes.byteLength;

  const whole = await get();
  assert.equal(whole.status, 200, url);
  assert.equal(whole.headers.get("accept-ranges"), "bytes");
  assert.equal(whole.headers.get("content-length"), String(size));
  const etag = whole.headers.get("etag");
  const lastModified = whole.headers.get("last-modified");
  assert.ok(etag && lastModified, "validators for If-Range");
  assert.deepEqual(await body(whole), bytes);

  const cases: [string, number, number][] = [
    ["bytes=0-99", 0, 100],
    [`bytes=${size - 1000}-`, size - 1000, size],
    ["bytes=-5000", size - 5000, size],
    ["bytes=1048576-2097151", 1048576, 2097152], // one MiB from the middle
    [`bytes=100-${size + 10}`, 100, size],
  ];
  for (const [range, start, end] of cases) {
    const response = await get({ range });
    assert.equal(response.status, 206, range);
    assert.equal(response.headers.get("content-range"), `bytes ${start}-${end - 1}/${size}`, range);
    assert.equal(response.headers.get("content-length"), String(end - start), range);
    assert.equal(response.headers.get("accept-ranges"), "bytes");
    assert.match(response.headers.get("content-disposition") ?? "", /^attachment; filename=/);
    const got = await body(response);
    assert.equal(got.byteLength, end - start, range);
    assert.deepEqual(got, bytes.subarray(start, end), range);
  }
  for (const range of [`bytes=${size}-`, `bytes=-${size + 1}`, "bytes=0-1,5-9", "items=0-9", "bytes=x-"]) {
    const response = await get({ range });
    assert.equal(response.status, 416, range);
    assert.equal(response.headers.get("content-range"), `bytes */${size}`, range);
    assert.match(await response.text(), /<title>416 Requested Range Not Satisfiable<\/title>/);
  }
  // A resumed download: the range holds while the file is the same one, else the whole file comes.
  const resumed = await get({ range: "bytes=10-19", "if-range": etag! });
  assert.equal(resumed.status, 206);
  assert.deepEqual(await body(resumed), bytes.subarray(10, 20));
  const byDate = await get({ range: "bytes=10-19", "if-range": lastModified! });
  assert.equal(byDate.status, 206);
  await byDate.body?.cancel();
  const changed = await get({ range: "bytes=10-19", "if-range": '"not-this-file"' });
  assert.equal(changed.status, 200);
  assert.equal((await body(changed)).byteLength, size);
  // A client that stops reading a slice early leaves the server answering.
  const dropped = await get({ range: "bytes=0-" });
  assert.equal(dropped.status, 206);
  await dropped.body?.cancel();
  assert.equal((await get({ range: "bytes=0-0" })).status, 206);
}

Deno.test("a run's local artifacts, the local proxy and a model version's files are served by range", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-ranges-" });
  const bytes = randomBytes(SIZE);
  const local = await serve(join(dir, "mlruns"), join(dir, "mlartifacts"));
  const proxied = await serve("mlflow-artifacts:/", join(dir, "mlartifacts"));
  try {
    // A run whose root is a folder: the file is written there, as `kmlf run` writes it.
    const folder = new URL(local.artifactUri).pathname;
    await Deno.mkdir(folder, { recursive: true });
    await Deno.writeFile(join(folder, "big.bin"), bytes);
    await Deno.writeFile(join(folder, "empty.txt"), new Uint8Array());
    await checkRanges(`${local.url}/get-artifact?run_id=${local.runId}&path=big.bin`, bytes);
    // An empty file has no range to serve: the whole (empty) file, as Werkzeug.
    const empty = await fetch(`${local.url}/get-artifact?run_id=${local.runId}&path=empty.txt`, {
      headers: { range: "bytes=0-10" },
    });
    assert.equal(empty.status, 200);
    assert.equal(await empty.text(), "");

    // A proxied run: uploaded through the proxy, downloaded by range from both routes.
    const path = `${proxied.artifactUri.replace(/^mlflow-artifacts:\//, "")}/model/big.bin`;
    const put = await fetch(`${proxied.url}/api/2.0/mlflow-artifacts/artifacts/${path}`, {
      method: "PUT",
      body: bytes,
    });
    assert.equal(put.status, 200);
    await put.body?.cancel();
    await checkRanges(`${proxied.url}/get-artifact?run_id=${proxied.runId}&path=model/big.bin`, bytes);
    await checkRanges(`${proxied.url}/api/2.0/mlflow-artifacts/artifacts/${path}`, bytes);
    await proxied.post("registered-models/create", { name: "big" });
    await proxied.post("model-versions/create", {
      name: "big",
      source: `runs:/${proxied.runId}/model`,
      run_id: proxied.runId,
    });
    await checkRanges(`${proxied.url}/model-versions/get-artifact?name=big&version=1&path=big.bin`, bytes);
  } finally {
    await local.close();
    await proxied.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("artifacts in an S3 bucket are served by range: the slice alone is fetched from the bucket", async () => {
  const s3 = await sharedS3Server();
  const bytes = randomBytes(SIZE);
  const proxied = await serve("mlflow-artifacts:/", s3.location("ranges"), s3.env);
  try {
    const path = `${proxied.artifactUri.replace(/^mlflow-artifacts:\//, "")}/big.bin`;
    const put = await fetch(`${proxied.url}/api/2.0/mlflow-artifacts/artifacts/${path}`, {
      method: "PUT",
      body: bytes,
    });
    assert.equal(put.status, 200);
    await put.body?.cancel();
    await checkRanges(`${proxied.url}/get-artifact?run_id=${proxied.runId}&path=big.bin`, bytes);
    await checkRanges(`${proxied.url}/api/2.0/mlflow-artifacts/artifacts/${path}`, bytes);
    // A missing key is still MLflow's 404, range or not.
    const missing = await fetch(`${proxied.url}/get-artifact?run_id=${proxied.runId}&path=nope.bin`, {
      headers: { range: "bytes=0-1" },
    });
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).error_code, "RESOURCE_DOES_NOT_EXIST");
  } finally {
    await proxied.close();
  }
});
