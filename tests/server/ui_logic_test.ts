/** The UI's pure functions (routing, chart downsampling, CSV parsing, DAG layout), run without a browser. */
import assert from "node:assert/strict";
import { parseRoute } from "../../lib/server/ui/src/routes.js";
import { parseIdList } from "../../lib/server/ui/src/dom.js";
import { downsample, niceTicks, seriesArrays } from "../../lib/server/ui/src/charts.js";
import { parseDelimited, previewKind } from "../../lib/server/ui/src/artifacts.js";
import { layout } from "../../lib/server/ui/src/pipeline_views.js";

Deno.test("MLflow's hash routes open the matching pages", () => {
  assert.equal(parseRoute("").name, "experiments");
  assert.equal(parseRoute("#/").name, "experiments");
  assert.deepEqual(parseRoute("#/experiments/12").params, { experimentId: "12" });
  const run = parseRoute("#/experiments/123456789012345678/runs/abc");
  assert.deepEqual(run.params, {
    experimentId: "123456789012345678",
    runId: "abc",
    tab: "overview",
    artifactPath: "",
  });
  const art = parseRoute("#/experiments/1/runs/abc/artifacts/model/MLmodel");
  assert.equal(art.params.tab, "artifacts");
  assert.equal(art.params.artifactPath, "model/MLmodel");
  assert.equal(parseRoute("#/experiments/1/runs/abc/artifacts/a%20b/c.txt").params.artifactPath, "a b/c.txt");
  const compare = parseRoute(
    `#/compare-runs?runs=${encodeURIComponent('["a","b"]')}&experiments=${encodeURIComponent('["1"]')}`,
  );
  assert.equal(compare.name, "compare");
  assert.deepEqual(parseIdList(compare.query.get("runs")), ["a", "b"]);
  assert.deepEqual(parseIdList("a,b"), ["a", "b"]);
  assert.equal(
    parseRoute("#/experiments/1?searchFilter=metrics.a%20%3E%201").query.get("searchFilter"),
    "metrics.a > 1",
  );
  assert.equal(parseRoute("#/nope").name, "not-found");
});

Deno.test("a 100,000-point series is drawn as at most 4 vertices per pixel column, keeping min and max", () => {
  const n = 100_000;
  const points = Array.from(
    { length: n },
    (_, i) => ({ step: i, timestamp: i, value: Math.sin(i / 100) + (i === 54321 ? 50 : 0) }),
  );
  const { xs, ys } = seriesArrays(points, "step");
  const width = 800;
  const t0 = performance.now();
  const idx = downsample(xs, ys, (x: number) => (x / n) * width, width);
  const ms = performance.now() - t0;
  assert.ok(idx.length <= width * 4 + 4, `${idx.length} vertices`);
  assert.ok(idx.includes(54321), "the spike survives downsampling");
  assert.ok(ms < 1000, `${ms} ms`);
  assert.deepEqual(downsample(Float64Array.of(0, 1, 2), Float64Array.of(1, 2, 3), (x: number) => x, 800), [
    0,
    1,
    2,
  ]);
});

Deno.test("series are sorted by x and accept MLflow's non-finite spellings", () => {
  const { xs, ys } = seriesArrays([{ step: 2, value: 1 }, { step: 1, value: "NaN" }, {
    step: 3,
    value: "-Infinity",
  }], "step");
  assert.deepEqual([...xs], [1, 2, 3]);
  assert.ok(Number.isNaN(ys[0]));
  assert.equal(ys[2], -Infinity);
  assert.deepEqual(niceTicks(-1, 1, 4), [-1, -0.5, 0, 0.5, 1]);
});

Deno.test("CSV and TSV previews follow RFC 4180 quoting", () => {
  assert.deepEqual(parseDelimited('a,b\n"x, y","say ""hi"""\r\n3,\n', ","), [
    ["a", "b"],
    ["x, y", 'say "hi"'],
    ["3", ""],
  ]);
  assert.deepEqual(parseDelimited("a\tb\n1\t2", "\t"), [["a", "b"], ["1", "2"]]);
  assert.equal(previewKind("model/MLmodel"), "text");
  assert.equal(previewKind("a/b.YAML"), "text");
  assert.equal(previewKind("t.tsv"), "table");
  assert.equal(previewKind("p.png"), "image");
  assert.equal(previewKind("r.html"), "html");
  assert.equal(previewKind("m.pkl"), "none");
});

Deno.test("the DAG puts every node after its inputs: datasets on even layers, nodes on odd ones", () => {
  const pipeline = {
    nodes: [
      { name: "predict", inputs: ["model", "X_test"], outputs: ["predictions"] },
      { name: "split", inputs: ["iris", "params:split"], outputs: ["X_train", "X_test"] },
      {
        name: "train",
        inputs: { features: "X_train", options: "params:model" },
        outputs: { model: "model" },
      },
    ],
  };
  const { items, edges } = layout(pipeline);
  const layer = (id: string) => items.find((i: { id: string }) => i.id === id).layer;
  assert.equal(layer("d:iris"), 0);
  assert.equal(layer("n:split"), 1);
  assert.equal(layer("n:train"), 3);
  assert.equal(layer("n:predict"), 5);
  assert.equal(layer("d:params:model"), 2);
  for (const [a, b] of edges) assert.ok(a.layer < b.layer, `${a.id} → ${b.id}`);
  assert.ok(!layout(pipeline, { params: false }).items.some((i: { kind: string }) => i.kind === "param"));
});
