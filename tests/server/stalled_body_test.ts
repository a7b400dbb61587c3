/**
 * A client that stops sending midway through a body (crashed, or a slowloris) gets a 408 in MLflow's
 * error shape once the body has been silent for the server's idle timeout, and leaves nothing behind:
 * no experiment, no partial upload, no open request blocking a shutdown.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createRequestHandler, startServer } from "../../lib/server/mod.ts";
import { serverFixture } from "./server_harness.ts";

const IDLE_MS = 150;

/** A body that sends `head` and then nothing, until the reader gives up (cancel). */
function stallingBody(head: string): { body: ReadableStream<Uint8Array>; cancelled: Promise<void> } {
  let cancelled!: () => void;
  const done = new Promise<void>((resolve) => (cancelled = resolve));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(head));
    },
    cancel: () => cancelled(),
  });
  return { body, cancelled: done };
}

async function expect408(response: Response): Promise<void> {
  const body = await response.json();
  assert.equal(response.status, 408, JSON.stringify(body));
  assert.equal(body.error_code, "INVALID_PARAMETER_VALUE");
  assert.match(body.message, /sent nothing for 0\.15 s/);
}

Deno.test("a JSON body that stalls is refused with 408 and creates nothing", async () => {
  const fx = await serverFixture({ bodyIdleTimeoutMs: IDLE_MS });
  try {
    const { body, cancelled } = stallingBody('{"name": "half');
    const response = await fx.handle(
      new Request("http://127.0.0.1:5000/api/2.0/mlflow/experiments/create", {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": "100" },
        body,
      }),
    );
    await expect408(response);
    await cancelled; // the client's stream is released, not left pending
    const search = await (await fx.get("/api/2.0/mlflow/experiments/search", { max_results: "10" })).json();
    assert.deepEqual(search.experiments.map((e: { name: string }) => e.name), ["Default"]);
  } finally {
    await fx.dispose();
  }
});

Deno.test("an artifact upload that stalls is refused with 408 and leaves no partial file", async () => {
  const fx = await serverFixture({ bodyIdleTimeoutMs: IDLE_MS });
  try {
    const { body } = stallingBody("first bytes of a large file");
    const response = await fx.handle(
      new Request("http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/0/abc/artifacts/big.bin", {
        method: "PUT",
        body,
      }),
    );
    await expect408(response);
    const folder = join(fx.artifactsDestination, "0", "abc", "artifacts");
    assert.deepEqual([...Deno.readDirSync(folder)].map((e) => e.name), []);
    // A body that keeps coming, slower than the idle timeout overall but never silent that long, is kept.
    let sent = 0;
    const trickle = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, IDLE_MS / 3));
        if (sent++ === 6) controller.close();
        else controller.enqueue(new TextEncoder().encode("x"));
      },
    });
    const ok = await fx.handle(
      new Request("http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/0/abc/artifacts/slow.bin", {
        method: "PUT",
        body: trickle,
      }),
    );
    assert.equal(ok.status, 200, await ok.text());
    assert.equal(Deno.readTextFileSync(join(folder, "slow.bin")), "xxxxxx");
  } finally {
    await fx.dispose();
  }
});

Deno.test("over a socket, a partial body gets its 408 and the server still shuts down", async () => {
  const fx = await serverFixture();
  const server = startServer(
    createRequestHandler(fx.store, {
      artifactsDestination: fx.artifactsDestination,
      bodyIdleTimeoutMs: IDLE_MS,
    }),
    { port: 0 },
  );
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  try {
    await conn.write(new TextEncoder().encode(
      "POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":',
    ));
    const buffer = new Uint8Array(4096);
    const n = await conn.read(buffer);
    const answer = new TextDecoder().decode(buffer.subarray(0, n ?? 0));
    assert.match(answer, /^HTTP\/1\.1 408/);
    assert.match(answer, /"error_code":"INVALID_PARAMETER_VALUE"/);
  } finally {
    conn.close();
    await server.shutdown();
    await fx.dispose();
  }
});

Deno.test("an upload still in flight, or cut off by a crash, is not listed", async () => {
  const fx = await serverFixture();
  let release!: () => void;
  const more = new Promise<void>((resolve) => (release = resolve));
  try {
    const experimentId = await fx.store.createExperiment("uploads");
    const run = await fx.store.createRun({ experimentId });
    const root = `${experimentId}/${run.info.runId}/artifacts`;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("first half"));
      },
      async pull(controller) {
        await more;
        controller.enqueue(new TextEncoder().encode(", second half"));
        controller.close();
      },
    });
    const upload = fx.handle(
      new Request(`http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/${root}/model.pkl`, {
        method: "PUT",
        body,
      }),
    );
    const folder = join(fx.artifactsDestination, root);
    const entries = () => {
      try {
        return [...Deno.readDirSync(folder)];
      } catch {
        return []; // not created yet
      }
    };
    while (entries().length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // A writer killed midway leaves its partial file too.
    Deno.writeTextFileSync(
      join(folder, ".kmlf-partial-0b7e1f0c-5b8e-4a43-9c7e-2f1e7b5a9d11"),
      "x",
    );
    const proxied = await (await fx.get("/api/2.0/mlflow-artifacts/artifacts", { path: root })).json();
    assert.deepEqual(proxied, {});
    const listed = await (await fx.get("/api/2.0/mlflow/artifacts/list", { run_id: run.info.runId })).json();
    assert.equal(listed.files, undefined, JSON.stringify(listed));
    release();
    assert.equal((await upload).status, 200);
    const after = await (await fx.get("/api/2.0/mlflow/artifacts/list", { run_id: run.info.runId })).json();
    assert.deepEqual(after.files, [{ path: "model.pkl", is_dir: false, file_size: 23 }]);
  } finally {
    release();
    await fx.dispose();
  }
});
