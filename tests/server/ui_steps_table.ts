/// <reference lib="dom" />
/**
 * Steps of tests/server/ui_features_test.ts for the runs table: column control (issue 16 item 3),
 * filters, datasets, CSV export and the preview pane (item 7), the experiment sidebar and several
 * experiments together (item 6).
 */
import assert from "node:assert/strict";
import type { UiSession } from "./ui_browser_steps.ts";
import { pageShot } from "./ui_browser_harness.ts";
import { XSS_NAME } from "./ui_fixture.ts";
import { download } from "./ui_steps_charts.ts";

const headerIds = (ui: UiSession) =>
  ui.page.locator("[data-testid=runs-table] .vt-head").evaluateAll((hs) =>
    hs.map((h) => (h as HTMLElement).dataset.col ?? "")
  );

/** Step: sensible default columns; resize, sort arrows, tooltips; chooser with search, pin, reorder. */
export async function columnControl(ui: UiSession) {
  const { page, f, expHash, rowCount } = ui;
  await page.evaluate(() => localStorage.clear());
  await ui.open(`${expHash}`);
  await rowCount(4);
  const ids = await headerIds(ui);
  assert.ok(!ids.some((id) => id.startsWith("metric:node_duration_s.")), "no per-node timings by default");
  for (const id of ["metric:loss", "metric:metrics.accuracy", "metric:train_history.train_loss"]) {
    assert.ok(ids.includes(id), `${id} in ${ids.join(" ")}`);
  }
  assert.ok(ids.includes("param:model"), "params whose values differ between the runs");
  assert.ok(ids.includes("attr:datasets"), "runs have datasets: the column is shown");
  // Full names in tooltips; a sort arrow on every sortable header.
  const header = page.getByTestId("col-metric:train_history.train_loss");
  assert.equal(await header.getAttribute("title"), "metric train_history.train_loss");
  assert.equal(await header.locator(".sort-arrow").textContent(), "⇅");
  assert.equal(await page.locator("[data-testid='col-attr:created'] .sort-arrow").textContent(), "▼");
  // Repeated run names get the short run id.
  const short = await page.locator(`[data-run-id='${f.trainingRunIds[0]}'] [data-testid=short-id]`)
    .textContent();
  assert.equal(short, f.trainingRunIds[0].slice(0, 7));
  assert.equal(await page.locator(`[data-run-id='${f.curveRunId}'] [data-testid=short-id]`).count(), 0);

  // Resize a column by dragging its header's edge; the width is remembered.
  await header.scrollIntoViewIfNeeded();
  const before = (await header.boundingBox())!;
  const handle = header.getByTestId("col-resize");
  const hb = (await handle.boundingBox())!;
  await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
  await page.mouse.down();
  await page.mouse.move(hb.x + 80, hb.y + hb.height / 2, { steps: 5 });
  await page.mouse.up();
  const after = (await header.boundingBox())!;
  assert.ok(after.width > before.width + 60, `${before.width} → ${after.width}`);
  await page.reload();
  await rowCount(4);
  assert.ok(Math.abs((await header.boundingBox())!.width - after.width) < 2, "width kept after reload");

  // The chooser: search, add an attribute and a metric, pin one, move one.
  await page.getByTestId("columns-menu").locator("summary").click();
  await page.getByTestId("column-search").fill("n_test");
  assert.deepEqual(
    await page.getByTestId("column-item").evaluateAll((is) => is.map((i) => (i as HTMLElement).dataset.col)),
    ["metric:metrics.n_test"],
  );
  await page.locator("[data-testid=column-toggle][data-col='metric:metrics.n_test']").check();
  await page.getByTestId("col-metric:metrics.n_test").waitFor();
  await page.getByTestId("column-search").fill("run id");
  await page.locator("[data-testid=column-toggle][data-col='attr:run_id']").check();
  await page.getByTestId("col-attr:run_id").waitFor();
  await page.locator("[data-testid=column-item][data-col='attr:run_id'] [data-testid=column-pin]").click();
  await page.waitForFunction(() =>
    document.querySelector("[data-testid='col-attr:run_id']")?.classList.contains("pinned")
  );
  const afterPin = await headerIds(ui);
  assert.deepEqual(afterPin.slice(0, 4), ["select", "marks", "run_name", "attr:run_id"], afterPin.join(" "));
  // A pinned column stays in view when the table scrolls sideways.
  await page.getByTestId("runs-table").evaluate((el) => (el.scrollLeft = 600));
  await page.waitForTimeout(50);
  const table = (await page.getByTestId("runs-table").boundingBox())!;
  const pinned = (await page.getByTestId("col-attr:run_id").boundingBox())!;
  assert.ok(pinned.x >= table.x && pinned.x < table.x + 400, `pinned at ${pinned.x}`);
  await page.getByTestId("runs-table").evaluate((el) => (el.scrollLeft = 0));
  // Move metrics.n_test left with the chooser, then drag a header onto another.
  await page.getByTestId("column-search").fill("");
  const order = async () =>
    (await headerIds(ui)).filter((id) => !["select", "marks", "run_name"].includes(id));
  const o1 = await order();
  await page.locator("[data-testid=column-item][data-col='metric:metrics.n_test'] [data-testid=column-up]")
    .click();
  const o2 = await order();
  assert.equal(o2.indexOf("metric:metrics.n_test"), o1.indexOf("metric:metrics.n_test") - 1, o2.join(" "));
  await page.getByTestId("columns-menu").locator("summary").click();
  await page.getByTestId("col-attr:user").getByTestId("col-label").dragTo(
    page.getByTestId("col-attr:created"),
  );
  const o3 = await order();
  assert.ok(o3.indexOf("attr:user") < o3.indexOf("attr:created"), o3.join(" "));
  await pageShot(page, "01-runs-table");
  await page.getByTestId("columns-menu").locator("summary").click();
  await page.getByTestId("columns-reset").click();
  assert.ok(!(await headerIds(ui)).includes("attr:run_id"), "reset to the defaults");
  await page.getByTestId("columns-menu").locator("summary").click();
}

/** Step: time created and datasets filters, datasets column, CSV download, the cell preview pane. */
export async function filtersAndExport(ui: UiSession) {
  const { f, api } = ui;
  // A run created three days ago.
  const old = (await api("runs/create", {
    experiment_id: f.experimentId,
    run_name: "old run",
    start_time: Date.now() - 3 * 24 * 3600 * 1000,
  })).body.run!.info.run_id;
  await api("runs/update", {
    run_id: old,
    status: "FINISHED",
    end_time: Date.now() - 3 * 24 * 3600 * 1000 + 5000,
  });
  try {
    await filtersWithOldRun(ui, old);
  } finally {
    // Later steps count this experiment's runs: the old run goes even when a check above failed.
    await api("runs/delete", { run_id: old });
  }
}

async function filtersWithOldRun(ui: UiSession, old: string) {
  const { page, f, expHash, rowCount } = ui;
  await ui.open(`${expHash}`);
  await rowCount(5);
  await page.getByTestId("start-time").selectOption("LAST_24_HOURS");
  await page.waitForFunction(() => location.hash.includes("startTime=LAST_24_HOURS"));
  await rowCount(4);
  assert.equal(await page.locator(`[data-run-id='${old}']`).count(), 0);
  await page.getByTestId("start-time").selectOption("ALL");
  await rowCount(5);

  // Datasets: a column of chips, and a filter made of what the runs used.
  const chips = await page.locator(`[data-run-id='${f.trainingRunIds[0]}'] [data-col='attr:datasets']`)
    .textContent();
  assert.equal(chips, "iris (training)");
  assert.equal(
    await page.locator(`[data-run-id='${f.xssRunId}'] [data-col='attr:datasets']`).textContent(),
    `${XSS_NAME} (${XSS_NAME})`,
  );
  await page.getByTestId("datasets-filter-toggle").click();
  await page.locator("[data-testid=dataset-option][data-name=iris]").check();
  await page.waitForFunction(() => location.hash.includes("datasetsFilter="));
  await rowCount(2);
  assert.equal(await page.getByTestId("datasets-filter-toggle").textContent(), "Datasets (1)");
  const filtered = await download(page, () => page.getByTestId("download-csv").click());
  assert.equal(filtered.d.suggestedFilename(), "iris-runs.csv");
  assert.equal(filtered.text.trim().split("\r\n").length, 3, "the header and the 2 runs the search matches");
  await page.getByTestId("runs-clear").click();
  await rowCount(5);

  // The CSV holds every matching run, beyond the loaded page too, and quotes what needs quoting.
  await page.route("**/ajax-api/2.0/mlflow/runs/search", async (route) => {
    const body = route.request().postDataJSON();
    if (body.max_results === 500) body.max_results = 2; // the table's pages; the CSV asks for 1000
    await route.continue({ postData: JSON.stringify(body) });
  });
  try {
    await page.reload();
    await page.getByTestId("load-more").waitFor();
    const all = await download(page, () => page.getByTestId("download-csv").click());
    const lines = all.text.trim().split("\r\n");
    assert.equal(lines.length, 1 + 6, "5 runs, the child run and the header");
    assert.ok(lines[0].startsWith("run_id,run_name,experiment,status,start_time,"), lines[0]);
    assert.ok(lines[0].includes("params.model") && lines[0].includes("metrics.loss"), lines[0]);
    assert.ok(all.text.includes(`"${XSS_NAME.replaceAll('"', '""')}"`), "the XSS name as quoted text");
  } finally {
    await page.unroute("**/ajax-api/2.0/mlflow/runs/search");
  }

  // The preview pane shows a cell's whole value.
  await ui.open(`${expHash}`);
  await rowCount(5);
  await page.getByTestId("preview-toggle").click();
  await page.getByTestId("cell-preview").waitFor({ state: "visible" });
  await page.locator(`[data-run-id='${f.xssRunId}'] [data-col='attr:datasets']`).click();
  assert.equal(
    await page.getByTestId("cell-preview-value").textContent(),
    `${XSS_NAME} (digest x55, ${XSS_NAME})`,
  );
  await page.locator(`[data-run-id='${f.trainingRunIds[0]}'] [data-col='param:model']`).click();
  assert.equal(
    await page.getByTestId("cell-preview-value").textContent(),
    JSON.stringify({ learning_rate: 0.1, n_iter: 300 }, null, 2),
  );
  assert.equal(await page.getByTestId("cell-preview-title").textContent(), "param model");
  // A render between press and release (the live refresh replacing the row) does not lose the click:
  // the release lands on the new row (Chrome then sends no click event at all).
  await page.locator(`[data-run-id='${f.xssRunId}'] [data-col='attr:datasets']`).dispatchEvent("pointerdown");
  await page.evaluate((id) => {
    const row = document.querySelector(`[data-run-id='${id}']`)!;
    const fresh = row.cloneNode(true) as Element;
    row.replaceWith(fresh);
    fresh.querySelector("[data-col='attr:datasets']")!
      .dispatchEvent(new PointerEvent("pointerup", { bubbles: true, button: 0 }));
  }, f.xssRunId);
  assert.equal(
    await page.getByTestId("cell-preview-value").textContent(),
    `${XSS_NAME} (digest x55, ${XSS_NAME})`,
  );
  await pageShot(page, "04-preview-pane");
  await page.getByTestId("preview-toggle").click();
}

/** Step: the experiment list beside the runs; several experiments' runs together. */
export async function sidebarAndExperiments(ui: UiSession) {
  const { page, f, expHash, rowCount } = ui;
  await ui.open(`${expHash}`);
  await rowCount(4);
  const sidebar = page.getByTestId("experiment-sidebar");
  await sidebar.locator("[data-testid=sidebar-experiment][data-experiment-id='" + f.nsExperimentId + "']")
    .waitFor();
  assert.equal(await sidebar.locator("li.current").getAttribute("data-experiment-id"), f.experimentId);
  await sidebar.getByTestId("sidebar-search").fill("names");
  assert.equal(await sidebar.getByTestId("sidebar-experiment").count(), 1);
  await sidebar.getByTestId("sidebar-check").check();
  await sidebar.getByTestId("sidebar-compare").click();
  await page.waitForFunction(() => location.hash.startsWith("#/compare-experiments/s?experiments="));
  const sorted = JSON.stringify([f.experimentId, f.nsExperimentId].sort());
  assert.equal(new URLSearchParams(new URL(page.url()).hash.split("?")[1]).get("experiments"), sorted);
  await rowCount(5);
  assert.equal(await page.getByTestId("experiment-name").textContent(), "2 experiments");
  assert.equal(
    await page.locator(`[data-run-id='${f.nsRunId}'] [data-col='attr:experiment']`).textContent(),
    "namespaces",
  );
  await pageShot(page, "06-compare-experiments");
  await page.getByTestId("view-chart").click();
  await page.waitForFunction(
    (id) => document.querySelector("[data-testid=chart-view]")?.getAttribute("data-items")?.includes(id),
    f.nsRunId,
  );
  await page.getByTestId("view-table").click();
  // The sidebar folds away and stays folded.
  await page.getByTestId("sidebar-fold").click();
  assert.ok(await sidebar.evaluate((s) => s.classList.contains("folded")));
  await page.reload();
  await rowCount(5);
  assert.ok(await page.getByTestId("experiment-sidebar").evaluate((s) => s.classList.contains("folded")));
  await page.getByTestId("sidebar-unfold").click();
  assert.ok(!(await page.getByTestId("experiment-sidebar").evaluate((s) => s.classList.contains("folded"))));
}

/** Step: the runs table sorts from the keyboard (Tab to a header, Enter or Space), focus kept, state in the URL. */
export async function keyboardSort(ui: UiSession) {
  const { page, expHash } = ui;
  await ui.open(expHash);
  const header = page.getByTestId("col-metric:loss");
  const focusedCol = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.col);
  assert.equal(await header.getAttribute("aria-sort"), "none");
  await header.focus();
  assert.equal(await focusedCol(), "metric:loss", "a sortable header takes the focus (Tab reaches it)");
  await page.keyboard.press("Enter");
  await page.waitForURL(/orderByKey=metrics\.loss(?!.*orderByAsc)/);
  await page.locator("[data-testid='col-metric:loss'][aria-sort=descending]").waitFor();
  assert.equal(await focusedCol(), "metric:loss", "the focus stays on the header once sorted");
  await page.keyboard.press(" ");
  await page.waitForURL(/orderByKey=metrics\.loss.*orderByAsc=true/);
  await page.locator("[data-testid='col-metric:loss'][aria-sort=ascending]").waitFor();
  assert.equal(await page.getByTestId("col-attr:status").getAttribute("aria-sort"), "none");
  // Back restores the previous sort.
  await page.goBack();
  await page.locator("[data-testid='col-metric:loss'][aria-sort=descending]").waitFor();
}
