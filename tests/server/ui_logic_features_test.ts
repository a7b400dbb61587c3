/**
 * The pure functions behind the UI features of issue 16 and the DAG namespaces (issue 18 item 7): chart
 * numbers, markdown link safety, highlighting, grouping, column defaults, URL state and filters, dict
 * params, namespace collapsing, the chart view's layout, CSV, routes, table rows. Run without a browser.
 */
import assert from "node:assert/strict";
import {
  aggregateByStep,
  formatTick,
  formatTicks,
  inlierRange,
  isSingleValued,
  niceTicks,
  smooth,
  spanOf,
} from "../../lib/server/ui/src/chart_math.js";
import { safeHref } from "../../lib/server/ui/src/markdown.js";
import { languageOf, tokenize } from "../../lib/server/ui/src/highlight.js";
import { commonValue, groupRuns, groupValueOf } from "../../lib/server/ui/src/run_groups.js";
import {
  columnPrefs,
  defaultColumns,
  moveColumn,
  shownColumns,
} from "../../lib/server/ui/src/column_prefs.js";
import {
  decodeDatasets,
  encodeDatasets,
  queryOf,
  searchFilterOf,
  stateOf,
} from "../../lib/server/ui/src/runs_query.js";
import { firstDiffering, flattenParams } from "../../lib/server/ui/src/param_values.js";
import { layoutGraph, namespacesOf, pipelineGraph } from "../../lib/server/ui/src/pipeline_graph.js";
import { chartItems, chartLayout, defaultCards, sectionOf } from "../../lib/server/ui/src/chart_layout.js";
import { runsCsvRows } from "../../lib/server/ui/src/runs_export.js";
import { toCsv } from "../../lib/server/ui/src/chart_export.js";
import { metricHash, parseRoute, runHash } from "../../lib/server/ui/src/routes.js";
import { chartItemsOf, tableRows } from "../../lib/server/ui/src/runs_rows.js";
import { plotDefaults } from "../../lib/server/ui/src/runs_page_state.js";
import { defaultColor } from "../../lib/server/ui/src/run_marks.js";
import { parseFilter } from "../../lib/tracking/mod.ts";

Deno.test("ticks are integer multiples of the step: zero reads 0, never -5.5511e-17", () => {
  for (const [lo, hi] of [[-0.3, 0.3], [-0.7, 0.2], [-1e-3, 3e-3], [-5.5, 4.5], [0.1, 0.7]]) {
    const ticks = niceTicks(lo, hi, 6);
    assert.ok(ticks.length >= 2, `${lo}..${hi}`);
    for (const t of ticks) assert.ok(t === 0 || Math.abs(t) > 1e-12, `${t} in ${ticks}`);
    if (lo < 0 && hi > 0) assert.ok(ticks.includes(0), `${ticks}`);
  }
  assert.deepEqual(niceTicks(-0.3, 0.3, 6), [-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]);
  assert.equal(formatTick(-5.551115123125783e-17, 0.6), "0");
  assert.equal(formatTick(0.25, 1), "0.25");
});

Deno.test("an axis' tick labels fit the margin, stay apart and share one form", () => {
  const ranges: [number, number][] = [
    [0, 1.23e8],
    [-5e7, 5e7],
    [0, 1],
    [0.1, 0.2],
    [0, 1e-6],
    [-1.5e308, 1.7e308],
    [123456, 123457],
    [0, 2e7],
    [1000.0001, 1000.0003],
    [-3e-9, 7e-9],
  ];
  for (const [lo, hi] of ranges) {
    const ticks = niceTicks(lo, hi, 5);
    const labels: string[] = formatTicks(ticks, spanOf(lo, hi));
    const label = `${lo}..${hi}: ${labels.join(" ")}`;
    assert.equal(new Set(labels).size, labels.length, label);
    ticks.forEach((t, i) => assert.ok(Math.abs(Number(labels[i]) - t) <= spanOf(lo, hi) * 1e-9, label));
    // (Values within a millionth of each other, or with 3-digit exponents, need more.)
    if (spanOf(lo, hi) > Math.abs(lo) * 1e-6 && Math.max(-lo, hi) < 1e100) {
      assert.ok(labels.every((l) => l.length <= 8), label);
    }
    const forms = new Set(labels.filter((l) => l !== "0").map((l) => l.includes("e")));
    assert.equal(forms.size, 1, label);
  }
  assert.deepEqual(formatTicks([0, 5e7, 1e8], 1.2e8), ["0", "5e+7", "1e+8"]);
  // Narrow around a large value: the decimals the span needs, not six significant digits ("1000").
  assert.deepEqual(formatTicks([1000.0001, 1000.0002], 0.0002), ["1000.0001", "1000.0002"]);
  assert.equal(formatTick(1e-300), "1e-300");
});

Deno.test("axes of tiny values (1e-300, subnormals) get distinct, labelled ticks, not a row of 0", () => {
  const ranges: [number, number][] = [
    [1e-300, 5e-300],
    [0, 1e-300],
    [-3e-300, 7e-300],
    [1e-300, 1.0000001e-300],
    [1e-310, 9e-310],
    [-2e-315, 2e-315],
    [5e-324, 3e-323],
    [0, 1e-320],
  ];
  for (const [lo, hi] of ranges) {
    const ticks: number[] = niceTicks(lo, hi, 5);
    const labels: string[] = formatTicks(ticks, spanOf(lo, hi));
    const what = `${lo}..${hi}: ${ticks.join(" ")} / ${labels.join(" ")}`;
    assert.ok(ticks.length >= 2, what);
    assert.equal(new Set(ticks).size, ticks.length, what);
    assert.equal(new Set(labels).size, labels.length, what);
    assert.ok(ticks.every((t) => t >= lo - spanOf(lo, hi) * 1e-6 && t <= hi + spanOf(lo, hi) * 1e-6), what);
    assert.ok(labels.filter((l) => l === "0").length <= 1, what);
    ticks.forEach((t, i) => {
      if (t !== 0) assert.ok(Math.abs(Number(labels[i]) - t) <= Math.abs(t) * 1e-2, what);
    });
  }
  assert.deepEqual(niceTicks(1e-300, 5e-300, 4), [1e-300, 2e-300, 3e-300, 4e-300, 5e-300]);
  assert.deepEqual(formatTicks(niceTicks(0, 1e-300, 5), 1e-300), [
    "0",
    "2e-301",
    "4e-301",
    "6e-301",
    "8e-301",
    "1e-300",
  ]);
});

Deno.test("smoothing is a debiased EMA; outliers are what lies beyond the 5th–95th percentiles", () => {
  const ys = Float64Array.of(1, 2, 3, NaN, 4);
  assert.equal(smooth(ys, 0), ys);
  const s = smooth(ys, 0.5);
  assert.equal(s[0], 1, "the first point is not pulled to 0");
  assert.ok(s[1] > 1 && s[1] < 2);
  assert.ok(Number.isNaN(s[3]));
  const values = [...Array.from({ length: 100 }, (_, i) => i / 100), 1000];
  const [lo, hi] = inlierRange(values)!;
  assert.ok(lo < 0.1 && hi < 1 && hi > 0.9, `${lo}..${hi}`);
  assert.equal(inlierRange([1, 2]), undefined, "too few values to judge");
});

Deno.test("grouped series aggregate per step with a min–max band; single values are detected", () => {
  const a = [{ step: 0, value: 1, timestamp: 5 }, { step: 1, value: 3, timestamp: 6 }];
  const b = [{ step: 0, value: 3, timestamp: 4 }, { step: 1, value: "NaN", timestamp: 7 }];
  assert.deepEqual(aggregateByStep([a, b], "mean"), [
    { step: 0, timestamp: 4, value: 2, min: 1, max: 3 },
    { step: 1, timestamp: 6, value: 3, min: 3, max: 3 },
  ]);
  assert.equal(aggregateByStep([a, b], "max")[0].value, 3);
  assert.equal(isSingleValued([{ points: [{ step: 3, value: 1 }] }, { points: [] }]), true);
  assert.equal(isSingleValued([{ points: a }]), false);
});

Deno.test("a markdown link keeps only http(s), mailto and same-site addresses", () => {
  assert.equal(safeHref("https://mlflow.org"), "https://mlflow.org/");
  assert.equal(safeHref("mailto:a@b.c"), "mailto:a@b.c");
  assert.equal(safeHref("#/experiments/1"), "#/experiments/1");
  assert.equal(safeHref("notes/readme.html"), "notes/readme.html");
  for (
    const bad of [
      "javascript:alert(1)",
      "JavaScript:alert(1)",
      " javascript:x",
      "java\tscript:x",
      "data:text/html,x",
      "vbscript:x",
      "java\u0000script:x",
      "",
    ]
  ) {
    assert.equal(safeHref(bad), undefined, JSON.stringify(bad));
  }
});

Deno.test("highlighting is lossless and marks keys, strings, numbers, keywords and comments", () => {
  const samples: [string, string][] = [
    ["a.yaml", "model:\n  name: mlp # the model\n  layers: [64, 32]\n- item: 'x'\n"],
    ["a.json", '{"name": "<b>x</b>", "n": -1.5e3, "ok": true, "z": null}'],
    ["a.py", "def f(x):\n    return x  # returned\nreturned = 'def'\n"],
    ["a.ts", "const x = `a${1}`; // c\nexport function y() { return 2; }"],
    ["a.sh", 'export X=$HOME # h\necho "$X"'],
    ["a.sql", "SELECT a FROM t WHERE b = 'x' -- c"],
    ["a.toml", '[tool]\nname = "x" # c\nn = 3\n'],
  ];
  for (const [path, text] of samples) {
    const tokens = tokenize(text, languageOf(path)!);
    assert.equal(tokens.map((t: { text: string }) => t.text).join(""), text, path);
  }
  const kinds = (text: string, lang: string, kind: string) =>
    tokenize(text, lang).filter((t: { kind: string }) => t.kind === kind).map((t: { text: string }) =>
      t.text
    );
  assert.deepEqual(kinds(samples[0][1], "yaml", "key"), ["model", "name", "layers", "item"]);
  assert.deepEqual(kinds(samples[1][1], "json", "key"), ['"name"', '"n"', '"ok"', '"z"']);
  assert.deepEqual(kinds(samples[2][1], "python", "keyword"), ["def", "return"], "not inside `returned`");
  assert.deepEqual(kinds(samples[2][1], "python", "comment"), ["# returned"]);
  assert.equal(languageOf("model/MLmodel"), "yaml");
  assert.equal(languageOf("x.bin"), undefined);
  const big = "key: value # comment\n".repeat(15_000);
  assert.equal(tokenize(big, "yaml").length, 15_000 * 4, "key, text, comment, line end");
});

const run = (id: string, params: Record<string, string>, metrics: Record<string, number>, extra = {}) => ({
  info: { run_id: id, run_name: "training", experiment_id: "1" },
  params: new Map(Object.entries(params)),
  tags: new Map<string, string>(),
  metrics: new Map(Object.entries(metrics)),
  ...extra,
});

Deno.test("runs group by a param with min / max / mean; runs without it form the last group", () => {
  const runs = [
    run("a", { lr: "0.1" }, { acc: 0.8 }),
    run("b", { lr: "0.2" }, { acc: 0.6 }),
    run("c", {}, { acc: 0.1 }),
    run("d", { lr: "0.1" }, { acc: 0.9, loss: NaN }),
  ];
  const groups = groupRuns(runs, "param:lr", "mean");
  assert.deepEqual(groups.map((g: { label: string }) => g.label), [
    "param lr = 0.1",
    "param lr = 0.2",
    "(no param lr)",
  ]);
  assert.ok(Math.abs(groups[0].metrics.get("acc") - 0.85) < 1e-12);
  assert.equal(groups[0].metrics.has("loss"), false, "NaN is no value");
  assert.equal(groupRuns(runs, "param:lr", "min")[0].metrics.get("acc"), 0.8);
  assert.equal(groupRuns(runs, "param:lr", "max")[0].metrics.get("acc"), 0.9);
  assert.equal(
    commonValue(groups[0].runs, (r: { params: Map<string, string> }) => r.params.get("lr")),
    "0.1",
  );
  const withData = run("e", {}, {}, {
    inputs: { dataset_inputs: [{ dataset: { name: "iris", digest: "d" } }] },
  });
  assert.equal(groupValueOf(withData, "datasets"), "iris");
});

Deno.test("default columns: attributes, metrics without per-node timings, the params that vary", () => {
  const runs = [run("a", { lr: "0.1", seed: "1" }, {}), run("b", { lr: "0.2", seed: "1" }, {})];
  const known = {
    metrics: new Set(["acc", "node_duration_s.train", "node_function_s.train", "node_io_s.train"]),
    params: new Set(["lr", "seed"]),
    tags: new Set(),
  };
  const cols = defaultColumns(runs, known);
  assert.deepEqual(cols.filter((c) => c.startsWith("metric:")), ["metric:acc"]);
  assert.ok(cols.includes("param:lr") && !cols.includes("param:seed"));
  assert.ok(!cols.includes("attr:datasets") && !cols.includes("attr:experiment"));
  assert.ok(defaultColumns(runs, known, { experiments: 2 }).includes("attr:experiment"));
  const store = new Map<string, string>();
  const storage = {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
  };
  const prefs = columnPrefs("1", storage as unknown as Storage);
  prefs.shown = ["attr:created", "metric:acc", "param:lr"];
  prefs.pinned = ["param:lr"];
  prefs.widths = { "metric:acc": 200 };
  prefs.save();
  const again = columnPrefs("1", storage as unknown as Storage);
  assert.deepEqual(shownColumns(again, []), ["param:lr", "attr:created", "metric:acc"]);
  assert.equal(again.widths["metric:acc"], 200);
  assert.deepEqual(moveColumn(["a", "b", "c"], "c", "a"), ["c", "a", "b"]);
  assert.deepEqual(moveColumn(["a", "b", "c"], "a", undefined), ["b", "c", "a"]);
});

Deno.test("the experiment page's URL state uses MLflow's names; its filter parses on the server", () => {
  const datasets = [{ name: "iris ünï 'q'", digest: "d1", context: "training" }];
  assert.deepEqual(decodeDatasets(encodeDatasets(datasets)), datasets);
  assert.deepEqual(decodeDatasets("not base64!"), []);
  const state = {
    filter: "metrics.acc > 0.5",
    orderKey: "metrics.acc",
    asc: true,
    deleted: true,
    startTime: "LAST_7_DAYS",
    datasets,
    mode: "CHART",
  };
  const q = new URLSearchParams(queryOf(state));
  assert.deepEqual([...q.keys()], [
    "searchFilter",
    "orderByKey",
    "orderByAsc",
    "lifecycleFilter",
    "startTime",
    "datasetsFilter",
    "compareRunsMode",
  ]);
  assert.deepEqual(stateOf(q), state);
  const filter = searchFilterOf(state, 1_000_000_000_000);
  assert.equal(
    filter,
    `metrics.acc > 0.5 and attributes.start_time >= ${
      1e12 - 7 * 86_400_000
    } and dataset.name IN ('iris ünï ''q''') AND dataset.digest IN ('d1')`,
  );
  const clauses = parseFilter(filter);
  assert.deepEqual(clauses.map((c) => c.key), ["acc", "start_time", "name", "digest"]);
  assert.deepEqual(clauses[2].value, ["iris ünï 'q'"]);
  assert.equal(searchFilterOf(stateOf(new URLSearchParams())), "");
});

Deno.test("dict params split into dotted keys; the scatter's default param is a differing one", () => {
  const flat = flattenParams(
    new Map([
      ["model", '{"learning_rate":0.1,"opt":{"name":"adam","betas":[0.9,0.99]},"empty":{}}'],
      ["model.learning_rate", "real"],
      ["note", "{not json"],
      ["list", "[1,2]"],
    ]),
  );
  assert.deepEqual([...flat.entries()], [
    ["list", "[1,2]"],
    ["model.empty", "{}"],
    ["model.learning_rate", "real"],
    ["model.opt.betas", "[0.9,0.99]"],
    ["model.opt.name", "adam"],
    ["note", "{not json"],
  ]);
  const maps = [new Map([["a", "x"], ["lr", "0.1"]]), new Map([["a", "y"], ["lr", "0.2"], ["b", "1"]])];
  assert.equal(firstDiffering(["a", "b", "lr"], maps), "a", "present in all runs first");
  assert.equal(
    firstDiffering(["b", "c"], [new Map([["c", "t"]]), new Map([["b", "2"]])]),
    "b",
    "then numeric",
  );
  assert.equal(firstDiffering(["a"], [new Map([["a", "1"]]), new Map([["a", "1"]])]), undefined);
});

const NS_PIPELINE = {
  nodes: [
    { name: "dp.clean", namespace: "dp", inputs: ["raw", "params:dp.cfg"], outputs: ["dp.tmp"] },
    { name: "dp.join", namespace: "dp", inputs: ["dp.tmp"], outputs: ["dp.table"] },
    { name: "ds.m.fit", namespace: "ds.m", inputs: ["dp.table"], outputs: ["ds.m.model"] },
    { name: "ds.m.score", namespace: "ds.m", inputs: ["ds.m.model", "dp.table"], outputs: ["ds.m.score"] },
    { name: "ds.report", namespace: "ds", inputs: ["ds.m.score", "ds.m.model"], outputs: ["report"] },
  ],
};

Deno.test("namespaces collapse like kedro-viz: one box each, inner datasets hidden, no loop back in", () => {
  assert.deepEqual(namespacesOf(NS_PIPELINE), ["dp", "ds", "ds.m"]);
  const ids = (expanded: string[]) => {
    const { items, edges } = pipelineGraph(NS_PIPELINE, { expanded: new Set(expanded) });
    layoutGraph(items, edges);
    for (const [a, b] of edges) assert.ok(a.layer < b.layer, `${a.id} → ${b.id}`);
    return items.map((i: { id: string }) => i.id).sort();
  };
  assert.deepEqual(ids([]), ["d:dp.table", "d:params:dp.cfg", "d:raw", "d:report", "ns:dp", "ns:ds"]);
  assert.deepEqual(
    ids(["ds"]),
    [
      "d:dp.table",
      "d:ds.m.model",
      "d:ds.m.score",
      "d:params:dp.cfg",
      "d:raw",
      "d:report",
      "n:ds.report",
      "ns:dp",
      "ns:ds.m",
    ],
  );
  // ds.m.model is read outside ds.m (by ds.report) but inside ds: shown when ds is open.
  assert.ok(!ids(["ds"]).includes("d:dp.tmp"), "dp's inner dataset stays hidden");
  const open = pipelineGraph(NS_PIPELINE, { expanded: new Set(["dp", "ds", "ds.m"]) });
  const label = (id: string) => open.items.find((i: { id: string }) => i.id === id).label;
  assert.equal(label("n:ds.m.fit"), "fit");
  assert.equal(label("d:dp.tmp"), "tmp");
  assert.equal(label("d:params:dp.cfg"), "params:dp.cfg", "parameters stay outside, full name");
  assert.equal(label("d:dp.table"), "dp.table", "a dataset between namespaces keeps its full name");
  const collapsed = pipelineGraph(NS_PIPELINE, { expanded: new Set() });
  const dp = collapsed.items.find((i: { id: string }) => i.id === "ns:dp");
  assert.deepEqual(dp.members.map((n: { name: string }) => n.name), ["dp.clean", "dp.join"]);
});

Deno.test("the chart view: a card per metric in sections by prefix, the user's changes on top", () => {
  assert.equal(sectionOf("train/loss"), "train");
  assert.equal(sectionOf("loss"), "Model metrics");
  // MLflow's rule: everything before the LAST "/"; "." is no separator; system/ has its own section.
  for (
    const [key, section] of [
      ["train_history.loss", "Model metrics"],
      ["eval.val.accuracy", "Model metrics"],
      ["a/b/c", "a/b"],
      ["val/per_class/cat.f1", "val/per_class"],
      ["/loss", "Model metrics"],
      ["loss/", "loss"],
      ["//x", "/"],
      ["system/cpu_utilization_percentage", "System metrics"],
      ["system/gpu/0/memory", "system/gpu/0"],
      ["systems/cpu", "systems"],
      ["node_duration_s.fit", "node_duration_s"],
      ["node_io_s.load/raw", "node_io_s"],
      ["constructor/x", "constructor"],
    ]
  ) assert.equal(sectionOf(key), section, key);
  // Sections keep MLflow's order around the prefixes: model metrics first, system metrics after them.
  const keys = ["b/x", "system/cpu", "a.b", "constructor/y", "__proto__/z", "node_io_s.fit"];
  const layout = chartLayout(defaultCards(keys, () => 0), { folded: {} });
  assert.deepEqual(layout.sections.map((s: { title: string; folded: boolean }) => `${s.title}:${s.folded}`), [
    "Model metrics:false",
    "__proto__:false",
    "b:false",
    "constructor:false",
    "System metrics:false",
    "Node load and save times (s):true",
  ]);
  const cards = defaultCards(["loss", "acc", "node_duration_s.fit"], (k: string) => (k === "loss" ? 9 : 0), {
    metric: "acc",
    params: ["lr"],
  });
  assert.deepEqual(cards.map((c: { id: string; type: string }) => `${c.id}:${c.type}`), [
    "auto:acc:bar",
    "auto:loss:line",
    "auto:node_duration_s.fit:bar",
    "auto:scatter:scatter",
    "auto:parallel:parallel",
  ]);
  const { sections } = chartLayout(cards, {
    cards: { "auto:loss": { smoothing: 0.5 } },
    removed: ["auto:acc"],
    custom: [{ id: "custom:1", type: "bar", section: "Model metrics", metrics: ["loss"] }],
    folded: { "Model metrics": true },
  });
  assert.deepEqual(sections.map((s: { name: string; folded: boolean }) => `${s.name}:${s.folded}`), [
    "Model metrics:true",
    "node_duration_s:true",
    "Params and metrics:false",
  ]);
  assert.deepEqual(sections[0].cards.map((c: { id: string }) => c.id), ["auto:loss", "custom:1"]);
  assert.equal(sections[0].cards[0].smoothing, 0.5);
  const items = ["a", "b", "c", "d"].map((id) => ({ id }));
  assert.deepEqual(
    chartItems(items, { isPinned: (id: string) => id === "d", isHidden: (id: string) => id === "a", max: 2 })
      .map(
        (i: { id: string }) => i.id,
      ),
    ["d", "b", "c"],
  );
});

Deno.test("runs CSV: every param, metric and tag as a column; quoting and formula guard", () => {
  const wire = [{
    info: {
      run_id: "r1",
      run_name: 'say "hi", ok',
      experiment_id: "1",
      status: "FINISHED",
      start_time: 1_000,
      end_time: 2_500,
    },
    data: {
      params: [{ key: "lr", value: "=cmd()" }],
      metrics: [{ key: "acc", value: 0.5 }],
      tags: [{ key: "t", value: "-1" }],
    },
  }];
  const rows = runsCsvRows(wire, () => "iris");
  assert.deepEqual(rows[0].slice(-3), ["params.lr", "metrics.acc", "tags.t"]);
  const csv = toCsv(rows);
  assert.ok(csv.includes('"say ""hi"", ok"'), csv);
  assert.ok(csv.includes(",'=cmd(),0.5,-1\r\n"), csv);
  assert.ok(csv.includes(",1970-01-01T00:00:01.000Z,1970-01-01T00:00:02.500Z,1.5,"), csv);
});

Deno.test("MLflow's other routes: /runs/<id>, the metric page's query form, compare-experiments", () => {
  assert.deepEqual(parseRoute("#/runs/abc").params, {
    experimentId: "",
    runId: "abc",
    tab: "overview",
    artifactPath: "",
  });
  assert.equal(parseRoute("#/runs/abc").name, "run-direct");
  assert.equal(parseRoute("#/runs/abc/artifacts/a/b.txt").params.artifactPath, "a/b.txt");
  assert.equal(
    parseRoute("#/experiments/1/runs/abc/artifactPath/m/MLmodel").params.artifactPath,
    "m/MLmodel",
  );
  const metric = parseRoute(
    metricHash(["r1", "r2"], ["loss", "acc"], ["1"], { xAxis: "relative", yLog: true }),
  );
  assert.equal(metric.name, "metric");
  assert.deepEqual(metric.params, { key: "loss", keys: ["loss", "acc"] });
  assert.equal(metric.query.get("y_axis_scale"), "log");
  assert.deepEqual(parseRoute("#/metric/a%2Fb?runs=[]").params, { key: "a/b", keys: ["a/b"] });
  const both = parseRoute(`#/compare-experiments/s?experiments=${encodeURIComponent('["2","1"]')}`);
  assert.equal(both.name, "compare-experiments");
  assert.deepEqual(both.params.experimentIds, ["2", "1"]);
  assert.deepEqual(parseRoute("#/experiments/7/s?searchFilter=x").params, {
    experimentId: "7",
    experimentIds: ["7"],
  });
  assert.equal(runHash("1", "r", "artifacts/a b/c"), "#/experiments/1/runs/r/artifacts/a%20b/c");
  assert.equal(parseRoute(runHash("1", "r", "artifacts/a b/c")).params.artifactPath, "a b/c");
});

Deno.test("table rows: pinned runs first; grouped rows carry their runs; chart items name repeats", () => {
  const runs = [run("a", { lr: "1" }, {}), run("b", { lr: "2" }, {}), run("c", { lr: "1" }, {})];
  const ctx = {
    runs,
    parents: new Map(),
    isPinned: (id: string) => id === "c",
    group: {},
    expanded: new Set(),
    collapsedGroups: new Set(["group:param:lr:v:2"]),
    colorOf: defaultColor,
    repeated: new Set(["training"]),
  };
  // deno-lint-ignore no-explicit-any -- rows of a JS module
  const rowIds = (rows: any[]) => rows.map((r) => r.group?.label ?? r.run.info.run_id);
  assert.deepEqual(rowIds(tableRows(ctx)), ["c", "a", "b"]);
  const grouped = tableRows({ ...ctx, group: { groupBy: "param:lr", aggregate: "mean" } });
  assert.deepEqual(
    rowIds(grouped),
    ["param lr = 1", "a", "c", "param lr = 2"],
  );
  assert.deepEqual(chartItemsOf(ctx).map((i: { label: string }) => i.label), [
    "training (c)",
    "training (a)",
    "training (b)",
  ]);
  assert.equal(defaultColor("run-1"), defaultColor("run-1"));
  const plot = plotDefaults(
    [
      run("a", { lr: "1", opt: "sgd" }, { acc: 1 }),
      run("b", { lr: "2", opt: "sgd" }, { acc: 2 }),
      run("c", {}, { other: 1 }),
    ],
    ["acc", "other", "node_duration_s.x"],
    ["lr", "opt"],
  );
  assert.deepEqual(plot, { metric: "acc", params: ["lr"] });
});
