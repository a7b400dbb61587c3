/**
 * Web UI benchmarks in headless Chromium (Debian's /usr/bin/chromium), medians:
 * - the runs table of an experiment with 10,000 runs (20 params, 10 metrics each): first rows on screen
 *   after opening the page (target ≤ 1 s), all 10,000 loaded by scrolling, and one scroll re-render;
 * - the same for 10,000 nested runs (2,000 parents with 4 children each, collapsed by default), and the
 *   cost of expanding or collapsing one parent once all 10,000 are loaded (re-nesting + render);
 * - a 100,000-point metric chart: canvas draw (target ≤ 300 ms) and tab open → chart drawn, fetch included;
 * - the experiment chart view of 100 runs × 5 metrics × 1,000 steps: opening the page → all five line
 *   charts drawn with every run (target ≤ 1.5 s), histories fetched as the chart view does (sampled).
 * Run: `deno run -A bench/ui_bench.ts`. Prints figures; asserts nothing. About 2 minutes; with `--chart-view`
 * only the chart view is measured (the store is seeded the same), 11 times instead of 5.
 */
/// <reference lib="dom" />
import { join } from "node:path";
// deno-lint-ignore no-import-prefix -- test-only dependency, kept out of kmlf's import map and binary
import { chromium } from "npm:playwright-core@1.65.1";
import { MlflowClient, SqliteStore } from "../lib/tracking/mod.ts";
import { createRequestHandler } from "../lib/server/mod.ts";
import { seedSearchRuns } from "./seed_runs.ts";
import { loadAverage, median, report } from "./bench_utils.ts";
import { SAMPLED_POINTS } from "../lib/server/ui/src/chart_view.js";

const CHROMIUM = "/usr/bin/chromium";
const chartViewOnly = Deno.args.includes("--chart-view");
if (!(await Deno.stat(CHROMIUM).then(() => true, () => false))) {
  console.error(
    `Cannot run the UI benchmark: ${CHROMIUM} is missing; install it with \`apt-get install -y chromium\``,
  );
  Deno.exit(1);
}

const dir = await Deno.makeTempDir({ prefix: "kmlf-ui-bench-" });
const store = SqliteStore.open(join(dir, "mlflow.db"));
const client = new MlflowClient(store, {
  processHooks: false,
  context: { user: "bench", sourceName: "bench" },
});
const seedStart = performance.now();
const { experimentId } = await seedSearchRuns(store);
const curveExperiment = await store.createExperiment("curve");
const curve = await store.createRun({ experimentId: curveExperiment, runName: "curve-100k" });
for (let i = 0; i < 100_000; i += 1000) {
  await store.logBatch(curve.info.runId, {
    metrics: Array.from({ length: 1000 }, (_, j) => ({
      key: "loss",
      value: Math.exp(-(i + j) / 30_000) + 0.05 * Math.sin((i + j) / 50),
      timestamp: 1_700_000_000_000 + i + j,
      step: i + j,
    })),
  });
}
// 2,000 parents, each with 4 child runs (tag mlflow.parentRunId), started right after their parent.
const nestedExperiment = await store.createExperiment("nested");
for (let p = 0; p < 2000; p++) {
  const t0 = 1_700_000_000_000 + p * 5;
  const parent = await store.createRun({
    experimentId: nestedExperiment,
    runName: `parent-${p}`,
    startTime: t0,
  });
  for (let c = 1; c <= 4; c++) {
    await store.createRun({
      experimentId: nestedExperiment,
      runName: `child-${p}-${c}`,
      startTime: t0 + c,
      tags: { "mlflow.parentRunId": parent.info.runId },
    });
  }
}
// 100 runs × 5 metrics × 1,000 steps for the chart view.
const chartExperiment = await store.createExperiment("charts");
for (let r = 0; r < 100; r++) {
  const run = await store.createRun({
    experimentId: chartExperiment,
    runName: `sweep-${r}`,
    startTime: 1_700_000_000_000 + r,
  });
  await store.logBatch(run.info.runId, { params: [{ key: "lr", value: String((r % 10) / 100) }] });
  await store.updateRun(run.info.runId, { status: "FINISHED", endTime: 1_700_000_100_000 + r });
  for (let m = 0; m < 5; m++) {
    await store.logBatch(run.info.runId, {
      metrics: Array.from({ length: 1000 }, (_, s) => ({
        key: `metric_${m}`,
        value: Math.exp(-s / (200 + r)) + 0.01 * m + 0.02 * Math.sin(s / 9),
        timestamp: 1_700_000_000_000 + s,
        step: s,
      })),
    });
  }
}
console.log(
  `(seeded 20,100 runs, 500,000 chart points and a 100,000-point metric in ${
    ((performance.now() - seedStart) / 1000).toFixed(1)
  } s)`,
);

const server = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen: () => {} },
  createRequestHandler(store),
);
const base = `http://127.0.0.1:${server.addr.port}`;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});

/** Opens an experiment's runs table 5 times: first rows, load all by scrolling, scroll cost, toggles. */
async function benchRunsTable(experimentId: string, label: string) {
  const firstRender: number[] = [];
  const loadAll: number[] = [];
  const scrollFrame: number[] = [];
  const toggle: number[] = [];
  let rendered = 0;
  let shownRows = 0;
  for (let i = 0; i < 5; i++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector("[data-testid=run-row]")) {
          (globalThis as unknown as { firstRows: number }).firstRows = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${base}/#/experiments/${experimentId}`);
    await page.waitForFunction(() =>
      (globalThis as unknown as { firstRows?: number }).firstRows !== undefined
    );
    firstRender.push(await page.evaluate(() => (globalThis as unknown as { firstRows: number }).firstRows));
    rendered = Number(await page.getByTestId("runs-table").getAttribute("data-rendered-rows"));

    // Scrolling to the end pulls the next page (page_token) until all 10,000 runs are loaded.
    const t0 = performance.now();
    await page.evaluate(async () => {
      const scroller = document.querySelector("[data-testid=runs-table]") as HTMLElement;
      const page = document.querySelector(".page-runs") as HTMLElement;
      while (page.dataset.loaded !== "10000") {
        scroller.scrollTop = scroller.scrollHeight;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    loadAll.push(performance.now() - t0);

    // One scroll jump → re-render of the visible rows: 100 jumps, minus the same frames without scrolling.
    scrollFrame.push(
      await page.evaluate(async () => {
        const scroller = document.querySelector("[data-testid=runs-table]") as HTMLElement;
        const frames = () =>
          new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        const timeJumps = async (jump: boolean) => {
          const start = performance.now();
          for (let j = 0; j < 100; j++) {
            if (jump) {
              scroller.scrollTop = (((j * 7919) % 100) / 100) *
                (scroller.scrollHeight - scroller.clientHeight);
            }
            await frames();
          }
          return (performance.now() - start) / 100;
        };
        const idle = await timeJumps(false);
        return Math.max(0, (await timeJumps(true)) - idle);
      }),
    );
    shownRows = Number(await page.getByTestId("runs-table").getAttribute("data-total-rows"));
    // Expanding / collapsing a parent re-nests all loaded runs and renders: 10 clicks, synchronous.
    toggle.push(
      ...await page.evaluate(async () => {
        const scroller = document.querySelector("[data-testid=runs-table]") as HTMLElement;
        scroller.scrollTop = 0;
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        const times: number[] = [];
        for (let j = 0; j < 10; j++) {
          const button = document.querySelector("[data-testid=expand-toggle]") as HTMLElement | null;
          if (!button) break;
          const start = performance.now();
          button.click();
          times.push(performance.now() - start);
        }
        return times;
      }),
    );
    await page.close();
  }
  report(`runs table, ${label}: first rows on screen`, median(firstRender), "ms", 1000);
  console.log(`  (${rendered} row elements in the DOM, ${shownRows} top-level rows of 10,000 runs)`);
  report(`runs table, ${label}: all 10,000 runs loaded by scrolling`, median(loadAll), "ms", 5000);
  report(`runs table, ${label}: one scroll jump, re-render cost`, median(scrollFrame), "ms", 16);
  if (toggle.length) {
    report(`runs table, ${label}: expand/collapse one parent`, median(toggle), "ms", 100);
  }
}

try {
  console.log(`load average ${loadAverage() ?? "?"} at start`);
  if (!chartViewOnly) await benchTableAndCurve();
  await benchChartView();
  console.log(`load average ${loadAverage() ?? "?"} at end`);
} finally {
  await browser.close();
  await server.shutdown();
  await client.store.close();
  await Deno.remove(dir, { recursive: true });
}

/** The runs tables (flat and nested) and the 100,000-point metric chart. */
async function benchTableAndCurve() {
  // 1. Runs table: time from navigation start to the first rows in the DOM, measured in the page.
  await benchRunsTable(experimentId, "10,000 runs");
  await benchRunsTable(nestedExperiment, "10,000 nested runs");

  // 2. A 100,000-point chart: the canvas draw itself, and opening the tab (fetch included).
  const draw: number[] = [];
  const open: number[] = [];
  let drawn = 0;
  for (let i = 0; i < 3; i++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${base}/#/experiments/${curveExperiment}/runs/${curve.info.runId}`);
    await page.getByTestId("run-overview").waitFor();
    const t0 = performance.now();
    await page.getByTestId("tab-model-metrics").click();
    await page.waitForFunction(() =>
      document.querySelector("[data-testid=metric-chart]")?.getAttribute("data-draw-ms")
    );
    open.push(performance.now() - t0);
    const chart = page.getByTestId("metric-chart");
    draw.push(Number(await chart.getAttribute("data-draw-ms")));
    drawn = Number(await chart.getAttribute("data-points-drawn"));
    const redraws = await chart.evaluate((el) => {
      const times = [];
      for (let j = 0; j < 10; j++) {
        (el as HTMLElement & { redraw(): void }).redraw();
        times.push(Number((el as HTMLElement).dataset.drawMs));
      }
      return times;
    });
    draw.push(...redraws);
    await page.close();
  }
  report("metric chart, 100,000 points: canvas draw", median(draw), "ms", 300);
  console.log(`  (${drawn} vertices drawn after per-pixel min/max downsampling)`);
  report("metric chart, 100,000 points: tab open → drawn", median(open), "ms", 2000);
}

/**
 * The chart view: navigation start → the five line charts drawn with all 100 runs (in the page's clock),
 * with where the time went: the page's scripts ready (DOMContentLoaded), the first history request sent,
 * the last history answer received.
 */
async function benchChartView() {
  const chartView: number[] = [];
  const ready: number[] = [];
  const firstAsk: number[] = [];
  const lastAnswer: number[] = [];
  let series = 0;
  let requests = 0;
  for (let i = 0; i < (chartViewOnly ? 11 : 5); i++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 2400 } });
    await page.addInitScript(
      (key) => localStorage.setItem(key, JSON.stringify({ maxRuns: 100 })),
      `kmlf.charts.${chartExperiment}`,
    );
    await page.goto(`${base}/#/experiments/${chartExperiment}?compareRunsMode=CHART`);
    const done = await page.waitForFunction(
      () => {
        const charts = document.querySelectorAll("[data-testid=chart-line][data-points-drawn]");
        const busy = document.querySelector("[data-testid=chart-card][data-busy]");
        return charts.length === 5 && !busy ? performance.now() : false;
      },
      undefined,
      { polling: "raf", timeout: 60_000 },
    );
    chartView.push(await done.jsonValue() as number);
    const timing = await page.evaluate(() => {
      const asks = performance.getEntriesByType("resource")
        .filter((e) => e.name.includes("get-history-bulk-interval")) as PerformanceResourceTiming[];
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      return {
        ready: nav.domContentLoadedEventEnd,
        requests: asks.length,
        first: Math.min(...asks.map((e) => e.startTime)),
        last: Math.max(...asks.map((e) => e.responseEnd)),
      };
    });
    ready.push(timing.ready);
    firstAsk.push(timing.first);
    lastAnswer.push(timing.last);
    requests = timing.requests;
    series = Number(await page.locator("[data-testid=chart-line]").first().getAttribute("data-series-count"));
    await page.close();
  }
  report(
    "chart view, 100 runs × 5 metrics × 1,000 steps: page open → 5 charts drawn",
    median(chartView),
    "ms",
    1500,
  );
  console.log(`  (${series} runs per chart, ${SAMPLED_POINTS} sampled points per run and metric)`);
  console.log(
    `  (medians: scripts ready ${median(ready).toFixed(0)} ms, first of ${requests} history requests sent ${
      median(firstAsk).toFixed(0)
    } ms, last answer in ${median(lastAnswer).toFixed(0)} ms)`,
  );
}
