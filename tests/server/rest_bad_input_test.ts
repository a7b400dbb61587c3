/**
 * Every REST user error is a 4xx with MLflow's error code and no server path in its message, on both
 * store kinds, class by class with several variants each: out-of-range page tokens, NUL bytes in
 * ids, names, values and paths, traversal keys on the file store, int64 and type checks.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { FileStore, SqliteStore, type TrackingStore } from "../../lib/tracking/mod.ts";

const BASE = "http://127.0.0.1:5000";

interface Server {
  dir: string;
  post(path: string, body: unknown): Promise<Response>;
  get(path: string): Promise<Response>;
  close(): Promise<void>;
}

async function server(kind: "sqlite" | "file"): Promise<Server> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-bad-input-" });
  const store: TrackingStore = kind === "sqlite"
    ? SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: "mlflow-artifacts:/" })
    : await FileStore.open(join(dir, "mlruns"), { artifactRoot: "mlflow-artifacts:/" });
  const handle = createRequestHandler(store, { artifactsDestination: join(dir, "art"), cwd: dir });
  return {
    dir,
    post: (path, body) =>
      handle(
        new Request(BASE + path, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: typeof body === "string" ? body : JSON.stringify(body),
        }),
      ),
    get: (path) => handle(new Request(BASE + path)),
    close: async () => {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Asserts a 4xx with `code`, a message without the server's directory, and returns the message. */
async function refused(res: Response, code: string, dir: string, label: string): Promise<string> {
  const body = await res.json();
  assert(res.status >= 400 && res.status < 500, `${label}: ${res.status} ${JSON.stringify(body)}`);
  assert.equal(body.error_code, code, label);
  assert(!body.message.includes(dir) && !body.message.includes("/tmp/"), `${label}: ${body.message}`);
  return body.message;
}

for (const kind of ["sqlite", "file"] as const) {
  Deno.test(`${kind}: bad page tokens are 400s, out-of-range offsets included`, async () => {
    const s = await server(kind);
    try {
      const tokens = [
        btoa('{"offset": 1e20}'),
        btoa('{"offset": 9223372036854775808}'),
        btoa('{"offset": -1}'),
        btoa('{"offset": "1.5"}'),
        btoa('{"offset": "a"}'),
        btoa('{"offset": [1]}'),
        btoa("[1]"),
        btoa("not json"),
        "abc",
      ];
      for (const token of tokens) {
        for (const path of ["/api/2.0/mlflow/runs/search", "/api/2.0/mlflow/experiments/search"]) {
          const body = { experiment_ids: ["0"], max_results: 10, page_token: token };
          const message = await refused(
            await s.post(path, body),
            "INVALID_PARAMETER_VALUE",
            s.dir,
            `${path} ${token}`,
          );
          assert.match(message, /^Invalid page token/);
        }
      }
    } finally {
      await s.close();
    }
  });

  Deno.test(`${kind}: NUL bytes in ids, names, values and paths are 4xx`, async () => {
    const s = await server(kind);
    try {
      const exp =
        (await (await s.post("/api/2.0/mlflow/experiments/create", { name: "nul" })).json()).experiment_id;
      const runId =
        (await (await s.post("/api/2.0/mlflow/runs/create", { experiment_id: exp })).json()).run.info.run_id;
      const cases: [string, unknown][] = [
        ["/api/2.0/mlflow/experiments/create", { name: "a\u0000b" }],
        ["/api/2.0/mlflow/experiments/update", { experiment_id: exp, new_name: "x\u0000" }],
        ["/api/2.0/mlflow/experiments/set-experiment-tag", {
          experiment_id: exp,
          key: "k",
          value: "v\u0000",
        }],
        ["/api/2.0/mlflow/experiments/delete", { experiment_id: `${exp}\u0000` }],
        ["/api/2.0/mlflow/runs/log-parameter", { run_id: `${runId}\u0000`, key: "p", value: "v" }],
        ["/api/2.0/mlflow/runs/log-parameter", { run_id: runId, key: "p\u0000", value: "v" }],
        ["/api/2.0/mlflow/runs/set-tag", { run_id: runId, key: "t", value: "v\u0000" }],
        ["/api/2.0/mlflow/runs/update", { run_id: runId, run_name: "r\u0000" }],
        ["/api/2.0/mlflow/runs/log-batch", { run_id: runId, tags: [{ key: "k", value: "\u0000" }] }],
        ["/api/2.0/mlflow/runs/log-batch", {
          run_id: runId,
          metrics: [{ key: "m\u0000", value: 1, timestamp: 1 }],
        }],
      ];
      for (const [path, body] of cases) {
        await refused(
          await s.post(path, body),
          "INVALID_PARAMETER_VALUE",
          s.dir,
          `${path} ${JSON.stringify(body)}`,
        );
      }
      for (
        const path of [
          `/api/2.0/mlflow/runs/get?run_id=${runId}%00`,
          `/api/2.0/mlflow/experiments/get?experiment_id=${exp}%00`,
          `/api/2.0/mlflow/experiments/get-by-name?experiment_name=nul%00`,
          `/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=a%00b`,
          `/get-artifact?run_id=${runId}&path=notes%00.txt`,
          `/api/2.0/mlflow-artifacts/artifacts/${exp}/${runId}/artifacts/a%00b`,
        ]
      ) {
        const res = await s.get(path);
        const body = await res.json();
        assert(res.status >= 400 && res.status < 500, `${path}: ${res.status} ${JSON.stringify(body)}`);
        assert(!body.message.includes(s.dir), `${path}: ${body.message}`);
      }
    } finally {
      await s.close();
    }
  });

  Deno.test(`${kind}: keys and ids that name other files are refused on reads and writes`, async () => {
    const s = await server(kind);
    try {
      const exp =
        (await (await s.post("/api/2.0/mlflow/experiments/create", { name: "keys" })).json()).experiment_id;
      const runId =
        (await (await s.post("/api/2.0/mlflow/runs/create", { experiment_id: exp })).json()).run.info.run_id;
      for (const key of ["../tags/x", "../../meta.yaml", "/etc/passwd", "a/../../b", "x/..", ""]) {
        const q = encodeURIComponent(key);
        const reads = [
          `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=${q}`,
          `/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=${runId}&metric_key=${q}`,
          `/ajax-api/2.0/mlflow/metrics/get-history-bulk?run_id=${runId}&metric_key=${q}`,
        ];
        for (const path of reads) {
          const res = await s.get(path);
          // The SQL store reads no file: an unknown key is an empty history. The file store refuses it.
          if (kind === "sqlite" && res.status === 200) {
            assert.deepEqual((await res.json()).metrics ?? [], [], path);
          } else {
            await refused(res, "INVALID_PARAMETER_VALUE", s.dir, path);
          }
        }
        const writes: [string, unknown][] = [
          ["/api/2.0/mlflow/runs/log-metric", { run_id: runId, key, value: 1, timestamp: 1 }],
          ["/api/2.0/mlflow/runs/log-parameter", { run_id: runId, key, value: "v" }],
          ["/api/2.0/mlflow/runs/set-tag", { run_id: runId, key, value: "v" }],
          ["/api/2.0/mlflow/experiments/set-experiment-tag", { experiment_id: exp, key, value: "v" }],
        ];
        for (const [path, body] of writes) {
          await refused(await s.post(path, body), "INVALID_PARAMETER_VALUE", s.dir, `${path} ${key}`);
        }
      }
      for (const id of ["../../etc", "..", "a/b", " x", "-1"]) {
        const res = await s.get(`/api/2.0/mlflow/runs/get?run_id=${encodeURIComponent(id)}`);
        const body = await res.json();
        assert(res.status === 400 || res.status === 404, `${id}: ${res.status}`);
        assert(!body.message.includes(s.dir), body.message);
      }
    } finally {
      await s.close();
    }
  });

  Deno.test(`${kind}: artifact locations and version sources that name no folder are 400s`, async () => {
    const s = await server(kind);
    try {
      const exp =
        (await (await s.post("/api/2.0/mlflow/experiments/create", { name: "uris" })).json()).experiment_id;
      const runId =
        (await (await s.post("/api/2.0/mlflow/runs/create", { experiment_id: exp })).json()).run.info.run_id;
      // An encoded '/', a NUL or another host names no local folder; a proxied '..' leaves the destination.
      const unusable = ["file:///srv/a%2fb", "file:///srv/a%2Fb/c", "file:///srv/a%00b", "/srv/a\u0000b"];
      const locations = [
        ...unusable,
        "file://server/srv/x",
        // Written for another machine, or a file: URI naming no absolute folder (MLflow: the root).
        "file:",
        "file:x",
        "file:///C:/x",
        "C:\\x",
        "~/x",
        "mlflow-artifacts:/../../x",
        "mlflow-artifacts:/%2e%2e/x",
      ];
      for (const location of locations) {
        const res = await s.post("/api/2.0/mlflow/experiments/create", {
          name: location,
          artifact_location: location,
        });
        await refused(res, "INVALID_PARAMETER_VALUE", s.dir, location);
      }
      await s.post("/api/2.0/mlflow/registered-models/create", { name: "m" }).then((r) => r.body?.cancel());
      for (const source of unusable) {
        const res = await s.post("/api/2.0/mlflow/model-versions/create", {
          name: "m",
          source,
          run_id: runId,
        });
        await refused(res, "INVALID_PARAMETER_VALUE", s.dir, source);
      }
      // A folder of another host (MLflow drops it: a file of this server), `file:` (the root) or another
      // machine's drive: refused as such, not as "outside the run" (nor stored, for the host).
      const foreign: Array<[string, RegExp]> = [
        ["file://server/srv/x", /names the host 'server'/],
        ["file:", /naming no absolute folder/],
        ...(Deno.build.os === "windows" ? [] : [["file:///C:/x", /drive C:/]] as Array<[string, RegExp]>),
      ];
      for (const [source, words] of foreign) {
        for (const run_id of [runId, undefined]) {
          const res = await s.post("/api/2.0/mlflow/model-versions/create", { name: "m", source, run_id });
          assert.match(await refused(res, "INVALID_PARAMETER_VALUE", s.dir, source), words, source);
        }
      }
    } finally {
      await s.close();
    }
  });

  Deno.test(`${kind}: a UI upload the artifacts on disk leave no room for is a 400 that leaves nothing behind`, async () => {
    const s = await server(kind);
    try {
      const exp =
        (await (await s.post("/api/2.0/mlflow/experiments/create", { name: "up" })).json()).experiment_id;
      const runId =
        (await (await s.post("/api/2.0/mlflow/runs/create", { experiment_id: exp })).json()).run.info.run_id;
      const upload = (path: string) =>
        s.post(
          `/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${runId}&path=${encodeURIComponent(path)}`,
          "x",
        );
      assert.equal((await upload("a/b")).status, 200);
      for (
        const [path, why] of [["a", /a folder of that name exists/], [
          "a/b/c",
          /a file holds the place/,
        ]] as const
      ) {
        assert.match(await refused(await upload(path), "INVALID_PARAMETER_VALUE", s.dir, path), why);
      }
      const root = join(s.dir, "art", exp, runId, "artifacts");
      assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name), ["a"]);
      assert.deepEqual([...Deno.readDirSync(join(root, "a"))].map((e) => e.name), ["b"]);
    } finally {
      await s.close();
    }
  });

  Deno.test(`${kind}: MLflow's validation where kmlf was more lenient: int64 ranges, types, null keys`, async () => {
    const s = await server(kind);
    try {
      const exp =
        (await (await s.post("/api/2.0/mlflow/experiments/create", { name: "types" })).json()).experiment_id;
      const runId =
        (await (await s.post("/api/2.0/mlflow/runs/create", { experiment_id: exp })).json()).run.info.run_id;
      const metric = (extra: Record<string, unknown>) => ({
        run_id: runId,
        key: "m",
        value: 1,
        timestamp: 1,
        ...extra,
      });
      const cases: [string, string, RegExp][] = [
        ["/api/2.0/mlflow/runs/log-metric", JSON.stringify(metric({ step: 2 ** 64 })), /parameter 'step'/],
        [
          "/api/2.0/mlflow/runs/log-metric",
          '{"run_id":"' + runId + '","key":"m","value":1,"timestamp":9223372036854775808}',
          /parameter 'timestamp'/,
        ],
        [
          "/api/2.0/mlflow/runs/log-metric",
          JSON.stringify(metric({ timestamp: -1 })),
          /parameter 'timestamp'/,
        ],
        ["/api/2.0/mlflow/runs/log-metric", JSON.stringify(metric({ step: 1.5 })), /parameter 'step'/],
        [
          "/api/2.0/mlflow/runs/log-metric",
          JSON.stringify(metric({ timestamp: true })),
          /parameter 'timestamp'/,
        ],
        [
          "/api/2.0/mlflow/runs/log-metric",
          '{"run_id":"' + runId + '","key":"m","value":NaN,"timestamp":1}',
          /parameter 'value'/,
        ],
        [
          "/api/2.0/mlflow/runs/set-tag",
          JSON.stringify({ run_id: runId, key: "t", value: 41 }),
          /parameter 'value'/,
        ],
        [
          "/api/2.0/mlflow/runs/log-parameter",
          JSON.stringify({ run_id: runId, key: 31, value: "v" }),
          /parameter 'key'/,
        ],
        [
          "/api/2.0/mlflow/runs/log-parameter",
          JSON.stringify({ run_id: runId, key: null, value: "v" }),
          /Missing value for required parameter 'key'/,
        ],
        [
          "/api/2.0/mlflow/runs/log-batch",
          JSON.stringify({ run_id: runId, tags: [{ key: null, value: "v" }] }),
          /'tags\[0\]\.key'/,
        ],
        [
          "/api/2.0/mlflow/runs/log-batch",
          JSON.stringify({ run_id: runId, metrics: [{ key: "m", value: 1, timestamp: 1.5 }] }),
          /'metrics\[0\]\.timestamp'/,
        ],
        ["/api/2.0/mlflow/experiments/create", JSON.stringify({ name: 123 }), /parameter 'name'/],
        [
          "/api/2.0/mlflow/experiments/create",
          JSON.stringify({ name: "x", artifact_location: 9.0 }),
          /parameter 'artifact_location'/,
        ],
        [
          "/api/2.0/mlflow/runs/log-inputs",
          JSON.stringify({ run_id: runId }),
          /Missing value for required parameter 'datasets'/,
        ],
      ];
      for (const [path, body, message] of cases) {
        assert.match(
          await refused(await s.post(path, body), "INVALID_PARAMETER_VALUE", s.dir, body),
          message,
          body,
        );
      }
      const bulk = await s.get(`/api/2.0/mlflow/metrics/get-history-bulk-interval?metric_key=m`);
      assert.match(
        await refused(bulk, "INVALID_PARAMETER_VALUE", s.dir, "bulk"),
        /Missing value for required parameter 'run_ids'/,
      );
      // Nothing was stored by any refused request.
      const run = (await (await s.get(`/api/2.0/mlflow/runs/get?run_id=${runId}`)).json()).run;
      assert.equal(run.data.metrics, undefined);
    } finally {
      await s.close();
    }
  });
}
