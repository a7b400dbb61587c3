/**
 * Every phase of an S3 transfer is time-limited, against the suite's real S3-compatible server behind a
 * proxy that goes silent on demand (tests/services/stalling_proxy.ts): no answer at all (first byte),
 * and an answer whose body stops mid-way. Each fails with an error naming the bucket, the key and the
 * endpoint, and a download leaves no partial file behind as if it were complete.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TrackingError } from "../../lib/errors.ts";
import { createRequestHandler } from "../../lib/server/mod.ts";
import {
  type ArtifactRepository,
  artifactRepositoryFor,
  RestStore,
  SqliteStore,
} from "../../lib/tracking/mod.ts";
import { sharedS3Server } from "../services/s3_server.ts";
import { type StallingProxy, startStallingProxy } from "../services/stalling_proxy.ts";

const BIG = 1024 * 1024;
const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) % 251);

/** A location holding `big.bin` and `model/{a,b}.bin`, and a repository reaching it through a proxy. */
async function stallingRepo(): Promise<{
  repo: ArtifactRepository;
  proxy: StallingProxy;
  endpoint: string;
  location: string;
  dir: string;
  dispose(): Promise<void>;
}> {
  const s3 = await sharedS3Server();
  const location = s3.location("stall");
  const direct = artifactRepositoryFor(location, { env: (n) => s3.env[n] });
  await direct.writeArtifact("big.bin", bytes(BIG, 1));
  await direct.writeArtifact("model/a.bin", bytes(BIG, 2));
  await direct.writeArtifact("model/b.bin", bytes(BIG, 3));
  const proxy = startStallingProxy({ hostname: "127.0.0.1", port: Number(new URL(s3.endpoint).port) });
  const endpoint = `http://127.0.0.1:${proxy.port}`;
  const repo = artifactRepositoryFor(location, {
    env: (n) => n === "MLFLOW_S3_ENDPOINT_URL" ? endpoint : s3.env[n],
    s3: { timeoutMs: 1000, retries: 0 },
  });
  const dir = await Deno.makeTempDir({ prefix: "kmlf-s3-stall-" });
  return {
    repo,
    proxy,
    endpoint,
    location,
    dir,
    async dispose() {
      await proxy.close();
      await direct.deleteArtifacts();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function stallError(work: () => Promise<unknown>): Promise<TrackingError> {
  const error = await work().then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof TrackingError, `expected a TrackingError, got ${error}`);
  assert.equal(error.code, "tracking/artifact-store-unreachable");
  assert.ok(!error.message.includes("S3RVER"), "no credentials in the message");
  return error;
}

function files(dir: string): string[] {
  const found: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    if (entry.isDirectory) found.push(...files(join(dir, entry.name)).map((f) => `${entry.name}/${f}`));
    else found.push(entry.name);
  }
  return found.sort();
}

Deno.test("an S3 download whose body stops mid-way fails, naming the object and the endpoint, and leaves no file", async () => {
  const t = await stallingRepo();
  try {
    t.proxy.stallAfter(64 * 1024);
    const error = await stallError(() => t.repo.downloadArtifacts("big.bin", t.dir));
    const key = `${t.location}/big.bin`;
    assert.ok(error.message.startsWith(`S3 stopped sending GetObject ${key} from ${t.endpoint}/kmlf-tests`));
    assert.match(error.message, /after \d+ bytes: no data for 1 s$/);
    assert.match(error.hint ?? "", /MLFLOW_S3_ENDPOINT_URL/);
    assert.deepEqual(files(t.dir), [], "no partial big.bin, no temp file");
  } finally {
    await t.dispose();
  }
});

Deno.test("a failed S3 download keeps the complete file an earlier download left", async () => {
  const t = await stallingRepo();
  try {
    const target = await t.repo.downloadArtifacts("big.bin", t.dir);
    assert.deepEqual(await Deno.readFile(target), bytes(BIG, 1));
    t.proxy.stallAfter(64 * 1024);
    await stallError(() => t.repo.downloadArtifacts("big.bin", t.dir));
    assert.deepEqual(await Deno.readFile(target), bytes(BIG, 1));
    assert.deepEqual(files(t.dir), ["big.bin"]);
  } finally {
    await t.dispose();
  }
});

Deno.test("a folder download that stalls leaves only the files that arrived whole", async () => {
  const t = await stallingRepo();
  try {
    // The listing and most of a.bin pass; the rest never comes.
    t.proxy.stallAfter(BIG / 2);
    await stallError(() => t.repo.downloadArtifacts("model", t.dir));
    for (const file of files(t.dir)) {
      assert.match(file, /^model\/[ab]\.bin$/);
      assert.equal(Deno.statSync(join(t.dir, file)).size, BIG, `${file} is whole`);
    }
  } finally {
    await t.dispose();
  }
});

Deno.test("reading an S3 artifact into memory or as a stream is bounded too", async () => {
  const t = await stallingRepo();
  try {
    t.proxy.stallAfter(64 * 1024);
    const read = await stallError(() => t.repo.readArtifact("big.bin"));
    assert.match(read.message, /S3 stopped sending GetObject .*\/big\.bin/);
    t.proxy.resume();
    // A reader that pauses longer than the limit is no stall: the clock runs only while it waits on S3.
    const { body } = await t.repo.readArtifactStream!("model/a.bin");
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(new Uint8Array(await new Response(body).arrayBuffer()), bytes(BIG, 2));
    t.proxy.stallAfter(64 * 1024);
    const stream = await t.repo.readArtifactStream!("model/b.bin");
    await stallError(() => new Response(stream.body).arrayBuffer());
  } finally {
    await t.dispose();
  }
});

Deno.test("an S3 server that never answers fails listings and uploads at the first-byte limit", async () => {
  const t = await stallingRepo();
  try {
    t.proxy.stallAfter(0);
    const list = await stallError(() => t.repo.listArtifacts());
    assert.match(
      list.message,
      new RegExp(
        `Cannot reach the S3 artifact store at ${t.endpoint}/kmlf-tests \\(ListObjectsV2 s3://kmlf-tests/stall-\\d+-\\d+/\\): no answer`,
      ),
    );
    await stallError(() => t.repo.writeArtifact("new.txt", "hello"));
  } finally {
    await t.dispose();
  }
});

Deno.test("kmlf server's artifact proxy over a stalling S3 cuts its client's download instead of hanging it", async () => {
  const t = await stallingRepo();
  const dir = await Deno.makeTempDir({ prefix: "kmlf-s3-stall-proxy-" });
  const backend = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: "mlflow-artifacts:/" });
  const s3 = await sharedS3Server();
  const handler = createRequestHandler(backend, {
    artifactsDestination: t.location,
    stateDir: join(dir, "state"),
    artifactOptions: {
      env: (n: string) => n === "MLFLOW_S3_ENDPOINT_URL" ? t.endpoint : s3.env[n],
      s3: { timeoutMs: 1000, retries: 0 },
    },
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  const client = new RestStore(`http://127.0.0.1:${server.addr.port}`, {
    env: () => undefined,
    maxRetries: 1,
    backoffMs: 10,
    timeoutMs: 30_000,
  });
  try {
    const repo = client.getArtifactRepository("mlflow-artifacts:/");
    t.proxy.stallAfter(64 * 1024);
    const error = await repo.downloadArtifacts("big.bin", t.dir).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof TrackingError, `expected a TrackingError, got ${error}`);
    // The server cut the answer (the client saw a broken body at once), not the client's own 30 s limit.
    assert.equal(error.code, "tracking/server-unreachable", error.message);
    assert.match(error.message, /after 1 retry/);
    assert.deepEqual(files(t.dir), [], "no partial big.bin, no temp file");
  } finally {
    await client.close();
    await server.shutdown();
    await backend.close();
    await Deno.remove(dir, { recursive: true });
    await t.dispose();
  }
});

Deno.test("an S3 connection dropped before its answer is retried for reads and uploads", async () => {
  const t = await stallingRepo();
  const s3 = await sharedS3Server();
  const retrying = artifactRepositoryFor(t.location, {
    env: (n) => n === "MLFLOW_S3_ENDPOINT_URL" ? t.endpoint : s3.env[n],
    s3: { timeoutMs: 5000, retries: 2 },
  });
  try {
    t.proxy.breakAfter("GET /kmlf-tests/");
    assert.deepEqual(await retrying.readArtifact("big.bin"), bytes(BIG, 1));
    t.proxy.breakAfter("PUT /kmlf-tests/");
    await retrying.writeArtifact("notes.txt", "hello");
    assert.equal(new TextDecoder().decode(await retrying.readArtifact("notes.txt")), "hello");
    assert.equal(t.proxy.breaks, 2, "both connections were cut");
  } finally {
    await t.dispose();
  }
});
