/**
 * The UI's pure functions (routing, chart downsampling, CSV parsing, DAG layout, run nesting, polling,
 * search suggestions, parallel-coordinate axes), run without a browser.
 */
import assert from "node:assert/strict";
import { parseRoute } from "../../lib/server/ui/src/routes.js";
import { parseIdList } from "../../lib/server/ui/src/dom.js";
import { downsample, niceTicks, seriesArrays } from "../../lib/server/ui/src/charts.js";
import { parseDelimited, previewKind } from "../../lib/server/ui/src/artifacts.js";
import { layout } from "../../lib/server/ui/src/pipeline_views.js";
import { runForest, visibleRunRows } from "../../lib/server/ui/src/run_tree.js";
import { activePollers, createPoller } from "../../lib/server/ui/src/poller.js";
import { quoteKey, suggest } from "../../lib/server/ui/src/search_suggest.js";
import { parallelAxes } from "../../lib/server/ui/src/parallel.js";

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

type TreeRow = { run: { info: { run_id: string } }; depth: number; childCount: number; expanded: boolean };
const wireRun = (id: string, parent?: string) => ({
  info: { run_id: id },
  tags: new Map(parent ? [["mlflow.parentRunId", parent]] : []),
});
const ids = (rows: TreeRow[]) => rows.map((r) => `${"-".repeat(r.depth)}${r.run.info.run_id}`);

Deno.test("child runs nest under their loaded parent; collapsed by default, orphans at top level", () => {
  const runs = [
    wireRun("c1", "p"),
    wireRun("p"),
    wireRun("g", "c1"),
    wireRun("orphan", "not-loaded"),
    wireRun("c2", "p"),
    wireRun("q"),
  ];
  assert.deepEqual(ids(visibleRunRows(runs, new Set())), ["p", "orphan", "q"]);
  const collapsed = visibleRunRows(runs, new Set());
  assert.equal(collapsed[0].childCount, 2);
  assert.equal(collapsed[0].expanded, false);
  assert.deepEqual(ids(visibleRunRows(runs, new Set(["p"]))), ["p", "-c1", "-c2", "orphan", "q"]);
  assert.deepEqual(ids(visibleRunRows(runs, new Set(["p", "c1"]))), [
    "p",
    "-c1",
    "--g",
    "-c2",
    "orphan",
    "q",
  ]);
  // The wire shape (data.tags as a list) works too.
  const wire = [{ info: { run_id: "a" }, data: {} }, {
    info: { run_id: "b" },
    data: { tags: [{ key: "mlflow.parentRunId", value: "a" }] },
  }];
  assert.equal(runForest(wire).roots.length, 1);
});

Deno.test("a parent cycle or a self-parent does not hide runs", () => {
  const runs = [wireRun("a", "b"), wireRun("b", "a"), wireRun("s", "s")];
  const rows = visibleRunRows(runs, new Set(["a", "b"]));
  assert.deepEqual(ids(rows).map((id) => id.replaceAll("-", "")).sort(), ["a", "b", "s"]);
});

Deno.test("nesting 10,000 runs with 2,000 parents is a linear pass", () => {
  const runs = Array.from(
    { length: 10_000 },
    (_, i) => wireRun(`r${i}`, i % 5 ? `r${i - (i % 5)}` : undefined),
  );
  const t0 = performance.now();
  const rows = visibleRunRows(runs, new Set());
  const ms = performance.now() - t0;
  assert.equal(rows.length, 2000);
  assert.equal(visibleRunRows(runs, new Set(runs.map((r) => r.info.run_id))).length, 10_000);
  assert.ok(ms < 200, `${ms} ms`);
});

Deno.test("the poller ticks only while wanted, never overlaps, and stops for good", async () => {
  const timers: (() => void)[] = [];
  const fake = {
    setTimer: (fn: () => void) => timers.push(fn),
    clearTimer: (id: unknown) => void (timers[(id as number) - 1] = () => {}),
  };
  let running = true;
  let ticks = 0;
  const poller = createPoller({
    wanted: () => running,
    tick: () => void ticks++,
    ...fake,
  });
  poller.ensure();
  poller.ensure();
  assert.equal(timers.length, 1, "one timer at a time");
  assert.equal(activePollers(), 1);
  await timers[0]();
  assert.equal(ticks, 1);
  assert.equal(timers.length, 2, "re-armed after the tick");
  running = false;
  await timers[1]();
  assert.equal(timers.length, 2, "not re-armed once nothing is RUNNING");
  assert.equal(activePollers(), 0);
  running = true;
  poller.ensure();
  assert.equal(activePollers(), 1);
  poller.stop();
  assert.equal(activePollers(), 0);
  poller.ensure();
  assert.equal(timers.length, 3, "a stopped poller never arms again");
});

const KEYS = {
  metrics: ["accuracy", "metrics.accuracy", "val loss"],
  params: ["model", "learning_rate"],
  tags: ["mlflow.user", "team"],
};
const inserts = (text: string, caret = text.length) => suggest(text, caret, KEYS).items.map((i) => i.insert);

Deno.test("search suggestions: entity prefixes, then keys with special characters in backticks", () => {
  assert.deepEqual(inserts(""), ["metrics.", "params.", "tags.", "attributes."]);
  assert.deepEqual(inserts("me"), ["metrics.", "metrics.`metrics.accuracy` "]);
  assert.deepEqual(inserts("metrics.acc"), ["metrics.accuracy ", "metrics.`metrics.accuracy` "]);
  assert.deepEqual(inserts("metrics."), [
    "metrics.accuracy ",
    "metrics.`metrics.accuracy` ",
    "metrics.`val loss` ",
  ]);
  assert.deepEqual(inserts("metrics.val"), ["metrics.`val loss` "]);
  assert.deepEqual(inserts("metrics.`val"), ["metrics.`val loss` "]);
  assert.deepEqual(inserts("param.mo"), ["params.model "]);
  assert.deepEqual(inserts("tags.mlflow"), ["tags.`mlflow.user` "]);
  assert.deepEqual(inserts("attributes.run_"), ["attributes.run_id ", "attributes.run_name "]);
  assert.ok(inserts("acc").includes("metrics.accuracy "), "a bare word matches keys of every kind");
  assert.equal(quoteKey("a-b"), "`a-b`");
  assert.equal(quoteKey("ok_1"), "ok_1");
});

Deno.test("search suggestions appear only where an identifier goes and replace the whole word", () => {
  assert.deepEqual(inserts("metrics.accuracy > "), []);
  assert.deepEqual(inserts("params.model = 'me"), [], "inside a quoted value");
  assert.deepEqual(inserts("metrics.accuracy > 0.5 and pa"), ["params."]);
  assert.deepEqual(inserts("metrics.accuracy > 0.5 AND params.l"), ["params.learning_rate "]);
  assert.deepEqual(inserts("unknown.x"), []);
  const text = "params.mo = 'x'";
  const s = suggest(text, 9, KEYS);
  assert.equal(text.slice(0, s.from) + s.items[0].insert + text.slice(s.to), "params.model  = 'x'");
});

Deno.test("parallel axes: numeric values scale linearly, other params become ordinal, missing values gap", () => {
  const [num, cat, mixed] = parallelAxes([
    { label: "lr", values: ["0.1", "0.3", undefined] },
    { label: "model", values: ["tree", "mlp", "tree"] },
    { label: "m", values: [1, "NaN", 3] },
  ]);
  assert.equal(num.kind, "num");
  assert.deepEqual(num.pos, [0, 1, undefined]);
  assert.equal(cat.kind, "cat");
  assert.deepEqual(cat.ticks.map((t: { text: string }) => t.text), ["mlp", "tree"]);
  assert.deepEqual(cat.pos, [1, 0, 1]);
  assert.equal(mixed.kind, "cat", "NaN is not a number on a linear axis");
  const [single] = parallelAxes([{ label: "c", values: [5, 5] }]);
  assert.deepEqual(single.pos, [0.5, 0.5]);
  const [ordinal] = parallelAxes([{ label: "n", values: ["b10", "b9", "b10"] }]);
  assert.deepEqual(ordinal.ticks.map((t: { text: string }) => t.text), ["b9", "b10"]);
});
