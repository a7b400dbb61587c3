/**
 * Lengths and names as MLflow counts them, on both store kinds: limits and truncation in characters
 * (code points, Python's `len`), never cutting an emoji in half; keys and artifact names that fit
 * MLflow's limits but not a file name (255 bytes of UTF-8) are a clear 400 (MLflow's file store
 * answers a 500), and a batch holding one changes nothing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { FileStore, SqliteStore, type TrackingStore } from "../../lib/tracking/mod.ts";

const BASE = "http://127.0.0.1:5000";
const API = `${BASE}/api/2.0/mlflow`;
const EMOJI = "😀";

interface Fixture {
  dir: string;
  runId: string;
  experimentId: string;
  call(
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

async function fixture(kind: "sqlite" | "file"): Promise<Fixture> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-lengths-" });
  // As `kmlf server` opens it: over-long param and tag values are truncated, as MLflow's server does.
  const options = { artifactRoot: "mlflow-artifacts:/", truncateLongValues: true };
  const store: TrackingStore = kind === "sqlite"
    ? SqliteStore.open(join(dir, "mlflow.db"), options)
    : await FileStore.open(join(dir, "mlruns"), options);
  const handle = createRequestHandler(store, { artifactsDestination: join(dir, "art"), cwd: dir });
  const experimentId = await store.createExperiment("lengths");
  const runId = (await store.createRun({ experimentId })).info.runId;
  return {
    dir,
    runId,
    experimentId,
    async call(method, url, body) {
      const response = await handle(
        new Request(url, {
          method,
          headers: typeof body === "string" ? {} : { "content-type": "application/json" },
          body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
        }),
      );
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : {} };
    },
    close: async () => {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Whether a string holds a lone surrogate or U+FFFD: a character cut in half somewhere. */
function broken(text: string): boolean {
  return text.includes("\uFFFD") ||
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

for (const kind of ["sqlite", "file"] as const) {
  Deno.test(`${kind}: value limits count characters, as MLflow does, and truncation keeps them whole`, async () => {
    const fx = await fixture(kind);
    try {
      const run = fx.runId;
      const ok = async (path: string, body: unknown) => {
        const answer = await fx.call("POST", `${API}/${path}`, body);
        assert.equal(answer.status, 200, `${path}: ${JSON.stringify(answer.body)}`);
      };
      await ok("runs/log-parameter", { run_id: run, key: "whole", value: EMOJI.repeat(6000) });
      await ok("runs/log-parameter", { run_id: run, key: "cut", value: "a" + EMOJI.repeat(6000) });
      await ok("runs/set-tag", { run_id: run, key: "tag", value: "a" + EMOJI.repeat(8000) });
      await ok("runs/log-batch", {
        run_id: run,
        params: [{ key: "batch", value: "ab" + EMOJI.repeat(5999) }],
        tags: [{ key: "batch_tag", value: EMOJI.repeat(8001) }],
      });
      const got = await fx.call("GET", `${API}/runs/get?run_id=${run}`);
      const data = (got.body.run as { data: Record<string, { key: string; value: string }[]> }).data;
      const values = Object.fromEntries([...data.params, ...data.tags].map((p) => [p.key, p.value]));
      assert.equal(values.whole, EMOJI.repeat(6000));
      assert.equal(values.cut, "a" + EMOJI.repeat(5999));
      assert.equal(values.tag, "a" + EMOJI.repeat(7999));
      assert.equal(values.batch, "ab" + EMOJI.repeat(5998));
      assert.equal(values.batch_tag, EMOJI.repeat(8000));
      for (const [key, value] of Object.entries(values)) {
        assert.ok(!broken(value), `${key} holds a broken character`);
      }
      // Limits that refuse count characters too: 256 emoji is a valid experiment name (the width of
      // experiments.name), 257 is not.
      const named = await fx.call("POST", `${API}/experiments/create`, { name: EMOJI.repeat(256) });
      assert.equal(named.status, 200, JSON.stringify(named.body));
      const over = await fx.call("POST", `${API}/experiments/create`, { name: EMOJI.repeat(257) });
      assert.equal(over.status, 400, JSON.stringify(over.body));
      assert.match(String(over.body.message), /had length 257, which exceeded length limit of 256/);
      // A refused experiment tag value names its length in characters.
      const tag = await fx.call("POST", `${API}/experiments/set-experiment-tag`, {
        experiment_id: fx.experimentId,
        key: "t",
        value: EMOJI.repeat(5001),
      });
      assert.equal(tag.status, 400);
      assert.match(String(tag.body.message), /had length 5001, which exceeded length limit of 5000/);
    } finally {
      await fx.close();
    }
  });

  Deno.test(`${kind}: keys and artifact names too long for a file name are 400s that change nothing`, async () => {
    const fx = await fixture(kind);
    try {
      const run = fx.runId;
      const longKey = "é".repeat(250); // 250 characters: MLflow's limit; 500 bytes of UTF-8
      const metric = { key: longKey, value: 1, timestamp: 1, step: 0 };
      const single = await fx.call("POST", `${API}/runs/log-metric`, { run_id: run, ...metric });
      const batch = await fx.call("POST", `${API}/runs/log-batch`, {
        run_id: run,
        metrics: [{ key: "fine", value: 1, timestamp: 1, step: 0 }, metric],
        params: [{ key: "p", value: "v" }],
        tags: [{ key: "t", value: "v" }],
      });
      const history = await fx.call("GET", `${API}/metrics/get-history?run_id=${run}&metric_key=${longKey}`);
      if (kind === "file") {
        for (const answer of [single, batch]) {
          assert.equal(answer.status, 400, JSON.stringify(answer.body));
          assert.equal(answer.body.error_code, "INVALID_PARAMETER_VALUE");
          assert.match(
            String(answer.body.message),
            /is 500 bytes in UTF-8, over the 255 a file name may hold/,
          );
        }
        assert.equal(history.status, 400, JSON.stringify(history.body));
        // All or nothing: the batch's other entries were not written either.
        const got = await fx.call("GET", `${API}/runs/get?run_id=${run}`);
        const data = (got.body.run as { data: Record<string, unknown> }).data;
        assert.deepEqual([data.metrics, data.params], [undefined, undefined]);
        // A create refused for such a tag key creates nothing.
        const tags = [{ key: "ok", value: "1" }, { key: longKey, value: "1" }];
        const experiment = await fx.call("POST", `${API}/experiments/create`, { name: "tagged", tags });
        assert.equal(experiment.status, 400, JSON.stringify(experiment.body));
        const byName = await fx.call("GET", `${API}/experiments/get-by-name?experiment_name=tagged`);
        assert.equal(byName.status, 404, JSON.stringify(byName.body));
        const created = await fx.call("POST", `${API}/runs/create`, { experiment_id: fx.experimentId, tags });
        assert.equal(created.status, 400, JSON.stringify(created.body));
        const runs = await fx.call("POST", `${API}/runs/search`, { experiment_ids: [fx.experimentId] });
        assert.equal((runs.body.runs as unknown[]).length, 1);
      } else {
        // SQLite keeps keys in tables: any valid key fits.
        assert.deepEqual([single.status, batch.status, history.status], [200, 200, 200]);
      }
      // Artifact names: a 250-byte name is written (no temp suffix pushes it over), a 300-byte one is a 400.
      for (const [bytes, status] of [[250, 200], [300, 400]] as const) {
        const name = "n".repeat(bytes);
        const proxied = await fx.call(
          "PUT",
          `${BASE}/api/2.0/mlflow-artifacts/artifacts/${fx.experimentId}/${run}/artifacts/${name}`,
          "data",
        );
        assert.equal(proxied.status, status, JSON.stringify(proxied.body));
        const ui = await fx.call(
          "POST",
          `${BASE}/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${run}&path=ui/${name}`,
          "data",
        );
        assert.equal(ui.status, status, JSON.stringify(ui.body));
        for (const answer of [proxied, ui]) {
          if (status === 400) {
            assert.equal(answer.body.error_code, "INVALID_PARAMETER_VALUE");
            assert.ok(!String(answer.body.message).includes(fx.dir), String(answer.body.message));
          }
        }
      }
    } finally {
      await fx.close();
    }
  });
}

Deno.test("file: a key that would be both a file and a folder is a 400 that changes nothing", async () => {
  const fx = await fixture("file");
  try {
    const run = fx.runId;
    const expectClash = (answer: { status: number; body: Record<string, unknown> }, what: string) => {
      assert.equal(answer.status, 400, `${what}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error_code, "INVALID_PARAMETER_VALUE", what);
      assert.match(String(answer.body.message), /cannot also be a/, what);
    };
    const pair = [{ key: "stage", value: "1" }, { key: "stage/env", value: "2" }];
    // Within one request: nothing of it is written.
    expectClash(
      await fx.call("POST", `${API}/runs/log-batch`, {
        run_id: run,
        metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }],
        params: [{ key: "p", value: "1" }],
        tags: pair,
      }),
      "log-batch",
    );
    const data = async () =>
      ((await fx.call("GET", `${API}/runs/get?run_id=${run}`)).body.run as { data: Record<string, unknown> })
        .data;
    assert.deepEqual([(await data()).metrics, (await data()).params], [undefined, undefined]);
    expectClash(
      await fx.call("POST", `${API}/runs/create`, { experiment_id: fx.experimentId, tags: pair }),
      "runs",
    );
    const runs = await fx.call("POST", `${API}/runs/search`, { experiment_ids: [fx.experimentId] });
    assert.equal((runs.body.runs as unknown[]).length, 1);
    expectClash(
      await fx.call("POST", `${API}/experiments/create`, { name: "clash", tags: pair }),
      "experiment",
    );
    assert.equal((await fx.call("GET", `${API}/experiments/get-by-name?experiment_name=clash`)).status, 404);
    expectClash(
      await fx.call("POST", `${API}/registered-models/create`, { name: "clash", tags: pair }),
      "model",
    );
    const model = await fx.call("POST", `${API}/registered-models/create`, { name: "clash" });
    assert.equal(model.status, 200, "a refused create leaves the name free");
    // Across requests, both ways round, for each kind of key.
    for (const [first, second] of [["a", "a/b"], ["c/d", "c"]]) {
      const metric = (key: string) => ({ run_id: run, key, value: 1, timestamp: 1, step: 0 });
      assert.equal((await fx.call("POST", `${API}/runs/log-metric`, metric(first))).status, 200);
      expectClash(await fx.call("POST", `${API}/runs/log-metric`, metric(second)), `metric ${second}`);
      const param = (key: string) => ({ run_id: run, key, value: "v" });
      assert.equal((await fx.call("POST", `${API}/runs/log-parameter`, param(first))).status, 200);
      expectClash(await fx.call("POST", `${API}/runs/log-parameter`, param(second)), `param ${second}`);
      assert.equal((await fx.call("POST", `${API}/runs/set-tag`, param(first))).status, 200);
      expectClash(await fx.call("POST", `${API}/runs/set-tag`, param(second)), `tag ${second}`);
      const experimentTag = (key: string) => ({ experiment_id: fx.experimentId, key, value: "v" });
      assert.equal(
        (await fx.call("POST", `${API}/experiments/set-experiment-tag`, experimentTag(first))).status,
        200,
      );
      expectClash(
        await fx.call("POST", `${API}/experiments/set-experiment-tag`, experimentTag(second)),
        "exp tag",
      );
      const modelTag = (key: string) => ({ name: "clash", key, value: "v" });
      assert.equal((await fx.call("POST", `${API}/registered-models/set-tag`, modelTag(first))).status, 200);
      expectClash(await fx.call("POST", `${API}/registered-models/set-tag`, modelTag(second)), "model tag");
    }
  } finally {
    await fx.close();
  }
});
