/// <reference lib="dom" />
/**
 * Steps of tests/server/ui_features_test.ts for the experiment chart view (issue 16 item 1), interactive
 * charts and the metric page (item 5) and parameter sweeps: grouping, pin, hide and recolour (item 4).
 */
import assert from "node:assert/strict";
// deno-lint-ignore no-import-prefix -- test-only dependency, kept out of kmlf's import map and binary
import type { Download, Page } from "npm:playwright-core@1.65.1";
import type { UiSession } from "./ui_browser_steps.ts";
import { pageShot } from "./ui_browser_harness.ts";

/** Clicks `button` and returns the download it starts, with its text. */
export async function download(
  page: Page,
  click: () => Promise<unknown>,
): Promise<{ d: Download; text: string }> {
  const [d] = await Promise.all([page.waitForEvent("download"), click()]);
  const path = await d.path();
  return { d, text: await Deno.readTextFile(path) };
}

const card = (page: Page, id: string) => page.locator(`[data-testid=chart-card][data-card='${id}']`);

/** Sets a range input (Playwright cannot fill one) and fires its change event. */
async function setRange(page: Page, selector: string, value: number) {
  await page.locator(selector).evaluate((el, v) => {
    (el as HTMLInputElement).value = String(v);
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }, value);
}

/** Waits until a card has drawn its chart and returns the chart's data attributes. */
async function drawn(page: Page, id: string): Promise<Record<string, string>> {
  const c = card(page, id);
  await c.scrollIntoViewIfNeeded();
  await page.waitForFunction((id) => {
    const el = document.querySelector(`[data-testid=chart-card][data-card='${id}']`);
    return el?.getAttribute("data-drawn") && !el.hasAttribute("data-busy");
  }, id);
  return await c.locator(".chart").evaluate((el) =>
    ({ ...(el as HTMLElement).dataset }) as Record<string, string>
  );
}

/** Step: the chart view draws every metric across the runs, without selecting runs first. */
export async function chartView(ui: UiSession) {
  const { page, expHash } = ui;
  await page.evaluate(() => localStorage.clear());
  await ui.open(`${expHash}?compareRunsMode=CHART`);
  await page.getByTestId("chart-view").waitFor();
  assert.equal(await page.getByTestId("view-chart").getAttribute("aria-pressed"), "true");
  assert.equal(await page.locator("[data-testid=run-select]:checked").count(), 0, "no run selected");
  const sections = await page.getByTestId("chart-section").evaluateAll((els) =>
    els.map((e) =>
      `${(e as HTMLElement).dataset.section}:${e.querySelector("button")?.getAttribute("aria-expanded")}`
    )
  );
  // MLflow splits sections at "/" only: kedro-mlflow's dotted metrics.accuracy and
  // train_history.train_loss are model metrics; kmlf's dotted node timings keep their folded sections.
  assert.deepEqual(sections, [
    "Model metrics:true",
    "node_duration_s:false",
    "node_function_s:false",
    "node_io_s:false",
    "Params and metrics:true",
  ]);
  // loss has 1000 steps in `curve` (and one value in its child): a line chart of both runs.
  const loss = await drawn(page, "auto:loss");
  assert.equal(loss.kind, "line");
  assert.equal(loss.seriesCount, "2");
  // Single values: bars of the last value, one per run that has the metric.
  const acc = await drawn(page, "auto:metrics.accuracy");
  assert.equal(acc.kind, "bar");
  assert.deepEqual(
    (await card(page, "auto:metrics.accuracy").getByTestId("bar-value").allTextContents()).sort(),
    ["0.911111", "0.933333"],
  );
  const history = await drawn(page, "auto:train_history.train_loss");
  assert.equal(history.pointCount, "60", "30 steps of both training runs");
  await drawn(page, "auto:scatter");
  assert.ok((await card(page, "auto:scatter").getByTestId("scatter-point").count()) >= 2);
  await drawn(page, "auto:parallel");
  assert.ok((await card(page, "auto:parallel").getByTestId("parallel-axis").count()) >= 2);
  // The folded node timings open on a click.
  await page.locator("[data-section=node_duration_s] [data-testid=section-toggle]").click();
  await page.locator("[data-section=node_duration_s] [data-testid=chart-card]").first().waitFor();
  await page.locator("[data-section=node_duration_s] [data-testid=section-toggle]").click();
  await page.locator("[data-section=node_duration_s] [data-testid=chart-card]").first().waitFor({
    state: "detached",
  });
  await page.evaluate(() => scrollTo(0, 0));
  await pageShot(page, "02-chart-view");

  // Fullscreen, then PNG / SVG / CSV.
  await card(page, "auto:loss").getByTestId("card-fullscreen").click();
  const full = page.getByTestId("chart-fullscreen");
  await full.locator("[data-testid=chart-line][data-points-drawn]").waitFor();
  assert.ok((await full.locator(".chart-box").boundingBox())!.height > 400, "drawn large");
  await full.getByTestId("fullscreen-close").click();
  await full.waitFor({ state: "detached" });
  const svg = await download(page, () => card(page, "auto:loss").getByTestId("export-svg").click());
  assert.equal(svg.d.suggestedFilename(), "loss.svg");
  assert.match(svg.text, /^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg.text, /<path d="M/);
  const csv = await download(page, () => card(page, "auto:loss").getByTestId("export-csv").click());
  const lines = csv.text.trim().split("\r\n");
  assert.equal(lines[0], "series,step,value");
  assert.ok(lines.length > 300, `${lines.length} rows`);
  const png = await download(
    page,
    () => card(page, "auto:metrics.accuracy").getByTestId("export-png").click(),
  );
  assert.equal(png.d.suggestedFilename(), "metrics.accuracy.png");
  const bytes = await Deno.readFile(await png.d.path());
  assert.deepEqual([...bytes.slice(1, 4)], [0x50, 0x4e, 0x47], "a PNG file");

  // Add a chart, remove it; the layout is remembered.
  await page.getByTestId("add-chart").click();
  await page.getByTestId("add-chart-type").selectOption("bar");
  await page.getByTestId("add-chart-metric").selectOption("loss");
  await page.getByTestId("add-chart-dialog-ok").click();
  const custom = page.locator("[data-testid=chart-card][data-card^='custom:']");
  await custom.waitFor();
  assert.equal(await custom.getAttribute("data-type"), "bar");
  await page.reload();
  await custom.waitFor();
  await custom.getByTestId("card-remove").click();
  await custom.waitFor({ state: "detached" });
  await card(page, "auto:metrics.n_test").getByTestId("card-remove").click();
  await page.reload();
  await card(page, "auto:loss").waitFor();
  assert.equal(await card(page, "auto:metrics.n_test").count(), 0, "a removed card stays removed");
  assert.equal(await page.locator("[data-testid=chart-card][data-card^='custom:']").count(), 0);
  await page.evaluate(() => localStorage.clear());

  // No metric yet (the empty Default experiment): nothing to add, instead of "metric undefined" cards.
  await ui.open("#/experiments/0?compareRunsMode=CHART");
  await page.getByTestId("no-charts").waitFor();
  assert.ok(await page.getByTestId("add-chart").isDisabled());
}

/** Step: zoom, smoothing, points, outliers per chart; the metric page with several metrics; single values. */
export async function interactiveCharts(ui: UiSession) {
  const { page, base, f, expHash } = ui;
  await ui.open(`${expHash}?compareRunsMode=CHART`);
  const loss = card(page, "auto:loss");
  const before = await drawn(page, "auto:loss");
  assert.equal(before.zoomed, "false");
  assert.ok(!before.yTicks.split("|").some((t) => /e-\d/.test(t)), `ticks ${before.yTicks}`);
  // Drag across the middle of the plot: the step range narrows and is fetched again in full detail.
  const box = (await loss.getByTestId("chart-overlay").boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction(() =>
    !document.querySelector("[data-card='auto:loss']")?.hasAttribute("data-busy") &&
    document.querySelector("[data-card='auto:loss'] .chart")?.getAttribute("data-zoomed") === "true"
  );
  const [lo, hi] = (await loss.locator(".chart").getAttribute("data-x-range"))!.split(",").map(Number);
  assert.ok(lo > 250 && hi < 750 && hi - lo < 400, `zoomed to ${lo}…${hi}`);
  await loss.getByTestId("chart-overlay").dblclick();
  await page.waitForFunction(() =>
    !document.querySelector("[data-card='auto:loss']")?.hasAttribute("data-busy") &&
    document.querySelector("[data-card='auto:loss'] .chart")?.getAttribute("data-zoomed") === "false"
  );
  // Per-chart settings.
  await loss.getByTestId("card-settings-toggle").click();
  const settings = loss.getByTestId("card-settings");
  await setRange(page, "[data-card='auto:loss'] [data-testid=setting-smoothing]", 80);
  await page.waitForFunction(() =>
    document.querySelector("[data-card='auto:loss'] .chart")?.getAttribute("data-smoothing") === "0.8"
  );
  await settings.getByTestId("setting-points").selectOption("on");
  await page.waitForFunction(() =>
    document.querySelector("[data-card='auto:loss'] .chart")?.getAttribute("data-points") === "on"
  );
  const top = (ticks: string) => Math.max(...ticks.split("|").map(Number));
  const plain = top((await drawn(page, "auto:loss")).yTicks);
  await settings.getByTestId("setting-outliers").check();
  await page.waitForFunction((plain) => {
    const ticks = document.querySelector("[data-card='auto:loss'] .chart")?.getAttribute("data-y-ticks") ??
      "";
    return Math.max(...ticks.split("|").map(Number)) < plain;
  }, plain);
  await settings.getByTestId("setting-log").check();
  await page.waitForFunction(() =>
    document.querySelector("[data-card='auto:loss'] .chart")?.getAttribute("data-y-log") === "true"
  );
  await page.reload();
  const kept = await drawn(page, "auto:loss");
  assert.equal(kept.smoothing, "0.8", "settings are remembered");
  assert.equal(kept.yLog, "true");
  await page.evaluate(() => localStorage.clear());

  // The metric page in MLflow 2.x's form, with two metrics; accuracy has one value: a value and a bar.
  const runs = JSON.stringify([f.curveRunId]);
  await page.goto(
    `${base}/#/metric/?runs=${runs}&metric=${
      encodeURIComponent('"loss"')
    }&experiments=["${f.experimentId}"]` +
      `&plot_metric_keys=${encodeURIComponent('["loss","accuracy"]')}&x_axis=relative&y_axis_scale=log`,
  );
  const charts = page.locator("[data-testid=metric-chart]");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=metric-chart]").length === 2);
  assert.deepEqual(await charts.evaluateAll((cs) => cs.map((c) => (c as HTMLElement).dataset.metric)), [
    "accuracy",
    "loss",
  ]);
  assert.equal(await page.getByTestId("x-axis").inputValue(), "relative");
  assert.equal(await page.getByTestId("log-y").isChecked(), true);
  const accuracy = page.locator("[data-testid=metric-chart][data-metric=accuracy]");
  assert.equal(await accuracy.getAttribute("data-kind"), "bar");
  assert.equal(await accuracy.getByTestId("single-value").textContent(), "0.93");
  await setRange(page, "[data-testid=smoothing]", 30);
  await page.waitForFunction(() => location.hash.includes("line_smoothness=30"));
  await pageShot(page, "05-metric-page");
}

/** Step: group runs by a param with min / max / mean; pin, hide and recolour runs, the same everywhere. */
export async function sweeps(ui: UiSession) {
  const { page, base, f, expHash, rowCount } = ui;
  await page.evaluate(() => localStorage.clear());
  await ui.open(`${expHash}`);
  await rowCount(4);
  await page.getByTestId("group-by").selectOption("param:target");
  await rowCount(5); // both groups open: 2 + 3 runs
  assert.deepEqual(await ui.texts("[data-testid=group-label]"), [
    "param target = species",
    "(no param target)",
  ]);
  const accuracy = () =>
    page.locator("[data-testid=group-row]").first().locator("[data-col='metric:metrics.accuracy']")
      .textContent();
  assert.equal(await accuracy(), "0.922222");
  await page.getByTestId("group-aggregate").selectOption("max");
  await page.waitForFunction(() =>
    document.querySelector("[data-testid=group-row] [data-col='metric:metrics.accuracy']")?.textContent ===
      "0.933333"
  );
  await page.getByTestId("group-aggregate").selectOption("min");
  assert.equal(await accuracy(), "0.911111");
  await page.getByTestId("group-toggle").first().click();
  await rowCount(3);
  await pageShot(page, "03-grouped-runs");
  await page.getByTestId("view-chart").click();
  await page.getByTestId("chart-view").waitFor();
  assert.equal(await page.getByTestId("chart-runs-shown").textContent(), "2 groups in the charts");
  const history = await drawn(page, "auto:train_history.train_loss");
  assert.equal(history.seriesCount, "1", "one series for the two grouped runs (min–max band)");
  await page.getByTestId("view-table").click();
  await page.getByTestId("group-by").selectOption("");
  await rowCount(4);

  // Pin the older training run: first row, and first in the charts.
  const older = f.trainingRunIds[0];
  const row = (id: string) => page.locator(`[data-testid=run-row][data-run-id='${id}']`);
  await row(older).getByTestId("pin-run").click();
  await page.waitForFunction(
    (id) => document.querySelector("[data-testid=run-row]")?.getAttribute("data-run-id") === id,
    older,
  );
  // Hide the curve run from the charts.
  await row(f.curveRunId).getByTestId("hide-run").click();
  assert.equal(await row(f.curveRunId).getByTestId("hide-run").getAttribute("aria-pressed"), "true");
  // Recolour the pinned run.
  await row(older).getByTestId("run-color").click();
  await row(older).getByTestId("run-color-input").fill("#123456");
  await page.waitForFunction(
    (id) =>
      (document.querySelector(`[data-run-id='${id}'] .color-chip`) as HTMLElement)?.style.background ===
        "rgb(18, 52, 86)",
    older,
  );
  await page.getByTestId("view-chart").click();
  const items = () => page.getByTestId("chart-view").getAttribute("data-items");
  await page.waitForFunction(() =>
    document.querySelector("[data-testid=chart-view]")?.getAttribute("data-items")
  );
  const shown = (await items())!.split(",");
  assert.equal(shown[0], older, "the pinned run comes first");
  assert.ok(!shown.includes(f.curveRunId), "the hidden run is not drawn");
  const lossChart = await drawn(page, "auto:loss");
  assert.equal(lossChart.seriesCount, "1", "only the child run's loss is left");
  await card(page, "auto:train_history.train_loss").scrollIntoViewIfNeeded();
  await drawn(page, "auto:train_history.train_loss");
  const colors = await card(page, "auto:train_history.train_loss").getByTestId("legend-item").evaluateAll((
    ls,
  ) => ls.map((l) => (l as HTMLElement).dataset.color));
  assert.equal(colors[0], "#123456", "the same colour in the charts");
  // …and on the compare page.
  await page.goto(
    `${base}/#/compare-runs?runs=${encodeURIComponent(JSON.stringify([older, f.trainingRunIds[1]]))}`,
  );
  await page.getByTestId("compare-chart").waitFor();
  assert.equal(
    await page.locator("[data-testid=compare-head] .swatch").first().evaluate((s) =>
      (s as HTMLElement).style.background
    ),
    "rgb(18, 52, 86)",
  );
  await page.evaluate(() => localStorage.clear());
}

/** Step: the chart view's scatter plot fits its card whole: no run's point hides past the card's edge. */
export async function scatterFits(ui: UiSession) {
  const { page, expHash } = ui;
  for (const width of [1400, 900]) {
    await page.setViewportSize({ width, height: 900 });
    await ui.open(`${expHash}?compareRunsMode=CHART`);
    const plot = page.locator("[data-testid=chart-view] svg[data-testid=scatter-plot]").first();
    await plot.waitFor();
    const [plotBox, boxBox] = await plot.evaluate((svg) => {
      const box = svg.parentElement!;
      return [svg.getBoundingClientRect().width, box.getBoundingClientRect().width];
    });
    assert.ok(
      plotBox <= boxBox + 0.5,
      `at ${width} px the scatter is ${plotBox} px wide in a ${boxBox} px box`,
    );
    const ratio = await plot.evaluate((svg) => {
      const r = svg.getBoundingClientRect(), v = (svg as SVGSVGElement).viewBox.baseVal;
      return (r.width / r.height) / (v.width / v.height);
    });
    assert.ok(Math.abs(ratio - 1) < 0.02, `proportions kept (${ratio})`);
  }
  await page.setViewportSize({ width: 1400, height: 900 });
}
