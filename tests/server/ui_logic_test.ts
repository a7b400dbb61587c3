/**
 * The UI's pure functions (routing, chart downsampling, CSV parsing, DAG layout, run nesting, polling,
 * search suggestions, key quoting, parallel-coordinate axes), run without a browser.
 */
import assert from "node:assert/strict";
import { parseRoute } from "../../lib/server/ui/src/routes.js";
import { formatDuration, formatRelative, parseIdList } from "../../lib/server/ui/src/dom.js";
import { downsample, niceTicks, seriesArrays } from "../../lib/server/ui/src/chart_math.js";
import { previewKind } from "../../lib/server/ui/src/artifacts.js";
import { unservablePathReason } from "../../lib/server/ui/src/api.js";
import { parseDelimited } from "../../lib/server/ui/src/delimited.js";
import { layout } from "../../lib/server/ui/src/pipeline_graph.js";
import {
  missingParentIds,
  runForest,
  runsByIdRequests,
  visibleRunRows,
  withParents,
} from "../../lib/server/ui/src/run_tree.js";
import { activePollers, createPoller } from "../../lib/server/ui/src/poller.js";
import { quoteKey, suggest } from "../../lib/server/ui/src/search_suggest.js";
import { parallelAxes } from "../../lib/server/ui/src/parallel.js";
import { runColumns } from "../../lib/server/ui/src/runs_columns.js";
import { parseFilter, parseOrderBy } from "../../lib/tracking/mod.ts";

Deno.test("MLflow's hash routes open the matching pages", () => {
  assert.equal(parseRoute("").name, "experiments");
  assert.equal(parseRoute("#/").name, "experiments");
  assert.deepEqual(parseRoute("#/experiments/12").params, { experimentId: "12", experimentIds: ["12"] });
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
  const idx = downsample(xs, ys, (x: number) => (x / n) * width, width);
  assert.ok(idx.length <= width * 4 + 4, `${idx.length} vertices`);
  assert.ok(idx.includes(54321), "the spike survives downsampling");
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
  for (const md of ["README.md", "notes/a.markdown", "doc.MDX"]) {
    assert.equal(previewKind(md), "markdown", md);
  }
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
const ids_ = (rows: TreeRow[]) => ids(rows);
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

Deno.test("nesting 10,000 runs with 2,000 parents", () => {
  const runs = Array.from(
    { length: 10_000 },
    (_, i) => wireRun(`r${i}`, i % 5 ? `r${i - (i % 5)}` : undefined),
  );
  const rows = visibleRunRows(runs, new Set());
  assert.equal(rows.length, 2000);
  assert.equal(visibleRunRows(runs, new Set(runs.map((r) => r.info.run_id))).length, 10_000);
});

Deno.test("a 20,000-deep parent chain nests fully expanded, without recursion", () => {
  const n = 20_000;
  // Children first (as a start_time DESC page lists them), each the child of the next.
  const runs = Array.from({ length: n }, (_, i) => wireRun(`r${i}`, i + 1 < n ? `r${i + 1}` : undefined));
  const rows = visibleRunRows(runs, new Set(runs.map((r) => r.info.run_id)));
  assert.equal(rows.length, n);
  assert.equal(rows[0].run.info.run_id, `r${n - 1}`);
  assert.equal(rows[n - 1].run.info.run_id, "r0");
  assert.equal(rows[n - 1].depth, n - 1);
  assert.ok(rows.every((r: TreeRow, i: number) => r.depth === i));
  // A 20,000-long cycle: one run becomes the root, the rest still nest below it.
  const cycle = Array.from({ length: n }, (_, i) => wireRun(`c${i}`, `c${(i + 1) % n}`));
  const cycleRows = visibleRunRows(cycle, new Set(cycle.map((r) => r.info.run_id)));
  assert.equal(cycleRows.length, n);
  assert.equal(cycleRows.filter((r: TreeRow) => r.depth === 0).length, 1);
});

Deno.test("parents missing from the loaded pages are asked for by id, 100 at a time, and placed before their children", () => {
  const runs = [wireRun("c1", "p1"), wireRun("x"), wireRun("c2", "p2"), wireRun("c3", "p1"), wireRun("p3")];
  assert.deepEqual(missingParentIds(runs), ["p1", "p2"]);
  assert.deepEqual(missingParentIds(runs, new Set(["p1"])), ["p2"], "ids asked for before are skipped");
  const ids = Array.from({ length: 250 }, (_, i) => `id${i}`);
  const requests = runsByIdRequests(ids, ["7"]);
  assert.deepEqual(requests.map((r: { max_results: number }) => r.max_results), [100, 100, 50]);
  assert.deepEqual(requests[0].experiment_ids, ["7"]);
  assert.equal(requests[0].run_view_type, "ALL");
  const clauses = parseFilter(requests[2].filter);
  assert.equal(clauses.length, 1);
  assert.equal(clauses[0].key, "run_id");
  assert.deepEqual(clauses[0].value, ids.slice(200));
  assert.deepEqual(parseFilter(runsByIdRequests(["it's"], ["1"])[0].filter)[0].value, ["it's"]);
  // p1 was fetched with its own missing parent g; p2 too. Each goes before its first descendant.
  const parents = new Map([
    ["p1", wireRun("p1", "g")],
    ["g", wireRun("g")],
    ["p2", wireRun("p2")],
    ["p3", wireRun("p3")], // loaded for real meanwhile: not repeated
  ]);
  const shown = withParents(runs, parents);
  assert.deepEqual(shown.map((r: TreeRow["run"]) => r.info.run_id), [
    "g",
    "p1",
    "c1",
    "x",
    "p2",
    "c2",
    "c3",
    "p3",
  ]);
  assert.deepEqual(ids_(visibleRunRows(shown, new Set(["g", "p1", "p2"]))), [
    "g",
    "-p1",
    "--c1",
    "--c3",
    "x",
    "p2",
    "-c2",
    "p3",
  ]);
  assert.equal(withParents(runs, new Map()), runs);
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

const ODD_KEYS = ["plain", "val loss", "it's", 'say "hi"', "a`b", "a`'b", "1st", "x.y", "ünï"];

Deno.test("one key quoting for search and sort: the server reads back the same key, or nothing is offered", () => {
  assert.equal(quoteKey("a`b"), '"a`b"', "a backtick key goes in double quotes, not stripped");
  assert.equal(quoteKey('say "hi"'), '`say "hi"`');
  assert.equal(quoteKey('a`"b'), undefined, "both quote kinds: no way to write it");
  for (const key of ODD_KEYS) {
    const quoted = quoteKey(key)!;
    assert.equal(parseFilter(`metrics.${quoted} > 1`)[0].key, key, quoted);
    assert.equal(parseFilter(`params.${quoted} = 'x'`)[0].key, key, quoted);
    assert.equal(parseOrderBy(`tags.${quoted} DESC`).key, key, quoted);
  }
  // Suggestions use it; a key with both quote kinds is left out rather than offered as another key.
  const keys = { metrics: ["a`b", 'c`"d'], params: [], tags: [] };
  assert.deepEqual(suggest("metrics.", 8, keys).items.map((i) => i.insert), ['metrics."a`b" ']);
  // Sortable columns use it too.
  const orderKeys: Record<string, string | undefined> = {};
  const cols = runColumns({
    selected: new Set(),
    selectAll: null,
    sortColumn: (orderKey: string) => ({ sort: undefined, onSort: () => void (orderKeys.last = orderKey) }),
    shown: [...ODD_KEYS, 'c`"d'].map((k) => `metric:${k}`),
    prefs: { widths: {}, pinned: [] },
    marks: { isPinned: () => false, isHidden: () => false },
    repeated: new Set(),
  });
  for (const key of ODD_KEYS) {
    const col = cols.find((c: { id: string }) => c.id === `metric:${key}`);
    col.onSort();
    assert.equal(parseOrderBy(`${orderKeys.last} DESC`).key, key, orderKeys.last);
  }
  assert.equal(cols.find((c: { id: string }) => c.id === 'metric:c`"d').onSort, undefined, "not sortable");
});

Deno.test("search suggestions appear only where an identifier goes and replace the whole word", () => {
  assert.deepEqual(inserts("metrics.accuracy > "), []);
  assert.deepEqual(inserts("params.model = 'me"), [], "inside a quoted value");
  assert.deepEqual(inserts("params.model = 'it\\'s me"), [], "inside a quoted value with an escaped quote");
  assert.deepEqual(inserts("params.model = 'it''s me"), [], "inside a quoted value with a doubled quote");
  // A ' or " inside a backtick-quoted key starts no string.
  assert.deepEqual(inserts("metrics.`it's` > 1 and pa"), ["params."]);
  assert.deepEqual(inserts('metrics.`say "hi"` > 1 and params.mo'), ["params.model "]);
  assert.deepEqual(inserts("params.`it's` = 'x' and params.mo"), ["params.model "]);
  assert.deepEqual(inserts('metrics."it`s" > 1 and params.mo'), ["params.model "]);
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
  assert.equal(mixed.kind, "num", "one NaN does not turn a numeric axis into categories");
  assert.deepEqual(mixed.pos, [0, undefined, 1], "NaN is a gap");
  const [single] = parallelAxes([{ label: "c", values: [5, 5] }]);
  assert.deepEqual(single.pos, [0.5, 0.5]);
  const [nonFinite, params, allNaN, text] = parallelAxes([
    { label: "m", values: [10, Infinity, -Infinity, NaN, 2, 6, "Infinity", "-Infinity"] },
    { label: "p", values: ["100", "nan", "inf", "-inf", "20", "60", undefined] },
    { label: "n", values: ["NaN", "NaN"] },
    { label: "t", values: ["1", "NaN", "abc"] },
  ]);
  assert.equal(nonFinite.kind, "num");
  assert.deepEqual(nonFinite.pos, [1, undefined, undefined, undefined, 0, 0.5, undefined, undefined]);
  assert.ok(nonFinite.ticks.every((t: { pos: number }) => Number.isFinite(t.pos)));
  assert.equal(params.kind, "num", "Python's nan / inf spellings of params too");
  assert.deepEqual(params.pos, [1, undefined, undefined, undefined, 0, 0.5, undefined]);
  assert.equal(allNaN.kind, "cat", "no finite value: categories");
  assert.equal(text.kind, "cat");
  const [ordinal] = parallelAxes([{ label: "n", values: ["b10", "b9", "b10"] }]);
  assert.deepEqual(ordinal.ticks.map((t: { text: string }) => t.text), ["b9", "b10"]);
});

Deno.test("durations read in MLflow's units, the unit chosen after rounding", () => {
  const cases: [number, string][] = [
    [850, "850ms"],
    [999.4, "999ms"],
    [999.6, "1.0s"],
    [12_340, "12.3s"],
    [59_960, "1.0min"],
    [1_234_567, "20.6min"],
    [3_599_000, "1.0h"],
    [7_560_000, "2.1h"],
    [86_300_000, "1.0d"],
    [94_000_000, "1.1d"],
    [30 * 86_400_000, "30.0d"],
  ];
  for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, `${ms} ms`);
  assert.equal(formatDuration(undefined), "");
  assert.equal(formatDuration(NaN), "");
  const now = 1_800_000_000_000;
  const ago: [number, string][] = [
    [59.4, "59 s ago"],
    [59.6, "1 min ago"],
    [3_590, "1 h ago"],
    [23.6 * 3600, "1 d ago"],
    [3 * 86_400, "3 d ago"],
  ];
  for (const [sec, text] of ago) assert.equal(formatRelative(now - sec * 1000, now), text, `${sec} s`);
});

Deno.test("artifact paths the server cannot serve (a '#') are named before any request; '%XX' names are served", () => {
  // kmlf's server serves a name holding %XX as written (MLflow's decodes it): nothing to refuse there.
  const served = ["a b/c.txt", "100% sure?.json", "50%.txt", "%zz", "déjà vu/深い.txt", ""];
  for (const ok of [...served, "report%20v2.txt", "x%2541y", "caf%C3%A9.txt", "a%2Fb.txt"]) {
    assert.equal(unservablePathReason(ok), undefined, ok);
  }
  assert.match(unservablePathReason("run #2/a.txt")!, /refuse artifact paths holding '#'/);
});
