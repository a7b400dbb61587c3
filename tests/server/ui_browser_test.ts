/// <reference lib="dom" />
/**
 * The web UI in real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core), served
 * by the kmlf request handler over a store filled by real tracked demo runs (tests/server/ui_fixture.ts).
 * Screenshots go to tests/artifacts/screenshots/.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
// deno-lint-ignore no-import-prefix -- test-only dependency, kept out of kmlf's import map and binary
import type { Page } from "npm:playwright-core@1.65.1";
import { launchChromium, SCREENSHOTS_DIR } from "./ui_browser_harness.ts";
// Kept here too for tests that import them from this file.
export { CHROMIUM, launchChromium } from "./ui_browser_harness.ts";
import { buildUiFixture, CURVE_POINTS, serveFixture, type UiFixture, XSS_NAME } from "./ui_fixture.ts";
import {
  autoRefresh,
  experimentLifecycle,
  nestedRuns,
  parentBeyondPage,
  searchAutocomplete,
  uiSession,
} from "./ui_browser_steps.ts";

async function shot(page: Page, name: string) {
  await Deno.mkdir(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}

const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();

Deno.test({
  name: "the web UI in headless Chromium",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const browser = await launchChromium();
    let fixture: UiFixture | undefined;
    let server: Deno.HttpServer | undefined;
    try {
      fixture = await buildUiFixture();
      const served = serveFixture(fixture.store);
      server = served.server;
      const base = served.url;
      const f = fixture;
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(e.message));
      page.on("dialog", (d) => void d.accept());
      const expHash = `#/experiments/${f.experimentId}`;
      const runHash = (id: string) => `${expHash}/runs/${id}`;

      const ui = uiSession(page, base, f);

      await t.step("the experiments list links to the experiment's runs table", async () => {
        await page.goto(`${base}/`);
        await page.getByTestId("experiment-link").filter({ hasText: "iris" }).click();
        // 5 runs loaded; the child run is folded under its parent, as in MLflow.
        await ui.rowCount(4);
        assert.equal(await page.getByTestId("experiment-name").textContent(), "iris");
        assert.equal(await page.getByTestId("runs-count").textContent(), "5 runs");
        await shot(page, "01-runs-table");
      });

      await t.step("a run name with HTML is shown as text and never runs", async () => {
        const names = await texts(page, "[data-testid=run-link]");
        assert.ok(names.includes(XSS_NAME), names.join(" | "));
        assert.equal(await page.locator("[data-testid=runs-table] img").count(), 0);
        assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
      });

      await t.step("a child run nests under its parent behind an expand toggle", () => nestedRuns(ui));

      await t.step("a child whose parent is beyond the loaded pages still nests", () => parentBeyondPage(ui));

      await t.step("the search box suggests keys as you type, keyboard first", () => searchAutocomplete(ui));

      await t.step("a search expression filters runs and a metric header sorts them", async () => {
        await page.getByTestId("runs-filter").fill(
          "metrics.`metrics.accuracy` > 0.5 and params.target = 'species'",
        );
        await page.getByTestId("runs-filter").press("Enter");
        await page.waitForFunction(() => document.querySelectorAll("[data-testid=run-row]").length === 2);
        const header = page.getByTestId("col-metric:metrics.accuracy");
        await header.click();
        await page.waitForFunction(() => location.hash.includes("orderByKey"));
        await page.waitForFunction(() =>
          document.querySelector("[data-testid='col-metric:metrics.accuracy']")?.getAttribute("data-sort") ===
            "DESC"
        );
        const accuracy = async () =>
          (await f.store.searchRuns({
            experimentIds: [f.experimentId],
            orderBy: ["metrics.`metrics.accuracy` DESC"],
            filter: "metrics.`metrics.accuracy` > 0",
          }))
            .runs.map((r) => r.info.runId);
        const rowIds = () =>
          page.locator("[data-testid=run-row]").evaluateAll((rows) =>
            rows.map((r) => (r as HTMLElement).dataset.runId)
          );
        await page.waitForFunction(
          (ids) =>
            [...document.querySelectorAll<HTMLElement>("[data-testid=run-row]")].map((r) => r.dataset.runId)
              .join() === ids.join(),
          await accuracy(),
        );
        await header.click();
        await page.waitForFunction(() => location.hash.includes("orderByAsc=true"));
        await page.waitForFunction(
          (ids) =>
            [...document.querySelectorAll<HTMLElement>("[data-testid=run-row]")].map((r) => r.dataset.runId)
              .join() === ids.join(),
          (await accuracy()).reverse(),
        );
        assert.equal((await rowIds()).length, 2);
        await shot(page, "02-filtered-sorted");
      });

      await t.step("a bad filter shows the server's error message", async () => {
        await page.getByTestId("runs-filter").fill("metrics.accuracy >>> 1");
        await page.getByTestId("runs-filter").press("Enter");
        const error = page.getByTestId("runs-error");
        await error.waitFor();
        const message = (await error.textContent()) ?? "";
        const api = await fetch(`${base}/ajax-api/2.0/mlflow/runs/search`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ experiment_ids: [f.experimentId], filter: "metrics.accuracy >>> 1" }),
        }).then((r) => r.json());
        assert.equal(message, api.message);
        await shot(page, "03-bad-filter");
      });

      await t.step("the run page shows the overview: git commit, dirty flag, child runs", async () => {
        await page.goto(`${base}/${expHash}`);
        await page.getByTestId("run-link").filter({ hasText: /^curve$/ }).click();
        await page.getByTestId("run-overview").waitFor();
        assert.equal(await page.getByTestId("run-name").textContent(), "curve");
        assert.match((await page.getByTestId("git-commit").textContent()) ?? "", /0123456789abcdef/);
        assert.equal(await page.getByTestId("git-dirty").textContent(), "dirty");
        await page.getByTestId("child-run").filter({ hasText: "curve-child" }).waitFor();
        assert.ok((await texts(page, "[data-testid=params-table] td")).includes("<script>alert(1)</script>"));
        await shot(page, "04-run-overview");
      });

      await t.step(`the metric chart of a ${CURVE_POINTS}-point history has every point`, async () => {
        await page.getByTestId("tab-model-metrics").click();
        const chart = page.locator("[data-testid=metric-chart][data-metric=loss]");
        await chart.waitFor();
        await page.waitForFunction(() =>
          document.querySelector("[data-testid=metric-chart][data-metric=loss]")?.getAttribute(
            "data-points-drawn",
          )
        );
        assert.equal(await chart.getAttribute("data-point-count"), String(CURVE_POINTS));
        const drawn = Number(await chart.getAttribute("data-points-drawn"));
        assert.ok(drawn > 0 && drawn <= CURVE_POINTS, `drawn ${drawn}`);
        await shot(page, "05-metric-chart");
      });

      await t.step("the tracked demo run's metric page opens from the metrics table", async () => {
        await page.goto(`${base}/${runHash(f.trainingRunIds[0])}`);
        await page.getByTestId("metric-link").filter({ hasText: "train_history.train_loss" }).click();
        const chart = page.locator("[data-testid=metric-chart][data-metric='train_history.train_loss']");
        await chart.waitFor();
        assert.equal(await chart.getAttribute("data-point-count"), "30");
        assert.equal(await page.locator("[data-testid=metric-chart]").count(), 1);
      });

      await t.step("artifact previews: text as text, CSV as a table, HTML sandboxed, images", async () => {
        await page.goto(`${base}/${runHash(f.curveRunId)}/artifacts`);
        await page.locator("[data-testid=artifact-node][data-path=notes]").click();
        await page.locator("[data-testid=artifact-node][data-path='notes/readme.txt']").click();
        const text = page.getByTestId("preview-text");
        await text.waitFor();
        assert.equal(await text.textContent(), "line one\nline two <b>not bold</b>\n");
        await page.waitForFunction(() => location.hash.endsWith("/artifacts/notes/readme.txt"));
        await shot(page, "06-artifact-text");

        await page.goto(`${base}/${runHash(f.curveRunId)}/artifacts/tables/scores.csv`);
        const table = page.getByTestId("preview-table");
        await table.waitFor();
        assert.deepEqual(await table.locator("th").allTextContents(), ["name", "value"]);
        assert.deepEqual(await table.locator("tbody tr td:first-child").allTextContents(), [
          "alpha",
          "beta, quoted",
          "<script>x</script>",
        ]);
        await shot(page, "07-artifact-csv");

        await page.locator("[data-testid=artifact-node][data-path=reports]").click();
        await page.locator("[data-testid=artifact-node][data-path='reports/report.html']").click();
        const frame = page.getByTestId("preview-html");
        await frame.waitFor();
        assert.equal(await frame.getAttribute("sandbox"), "");
        assert.equal(
          await page.frameLocator("[data-testid=preview-html]").locator("#report").textContent(),
          "Report",
        );
        assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);

        await page.locator("[data-testid=artifact-node][data-path='reports/plot.png']").click();
        const image = page.getByTestId("preview-image");
        await image.waitFor();
        await page.waitForFunction(() =>
          (document.querySelector("[data-testid=preview-image]") as HTMLImageElement)?.complete
        );
        assert.equal(await image.evaluate((img) => (img as HTMLImageElement).naturalWidth), 2);
        assert.match(
          (await page.getByTestId("artifact-download").getAttribute("href")) ?? "",
          /^get-artifact\?path=reports%2Fplot\.png&run_uuid=/,
        );
      });

      await t.step("the pipeline tab draws the DAG and the Gantt chart from kmlf/pipeline.json", async () => {
        await page.goto(`${base}/${runHash(f.trainingRunIds[1])}/pipeline`);
        await page.getByTestId("pipeline-dag").waitFor();
        assert.deepEqual(
          (await page.locator("[data-testid=dag-node]").evaluateAll((gs) =>
            gs.map((g) => (g as SVGElement).dataset.name)
          )).sort(),
          ["predict", "report_accuracy", "split_data", "train_model"],
        );
        assert.ok((await page.locator("[data-testid=dag-dataset]").count()) >= 9);
        assert.equal(await page.locator("[data-testid=gantt-bar]").count(), 4);
        await shot(page, "08-pipeline");
        await page.goto(`${base}/${runHash(f.curveRunId)}/pipeline`);
        await page.getByTestId("no-pipeline").waitFor();
      });

      await t.step("two selected runs compare side by side with differences highlighted", async () => {
        await page.goto(
          `${base}/${expHash}?searchFilter=${encodeURIComponent("attributes.run_name = 'training'")}`,
        );
        await page.waitForFunction(() => document.querySelectorAll("[data-testid=run-row]").length === 2);
        for (const box of await page.getByTestId("run-select").all()) await box.check();
        await page.getByTestId("compare-button").click();
        await page.getByTestId("compare-params").waitFor();
        assert.equal(await page.getByTestId("compare-title").textContent(), "Comparing 2 runs");
        // The dict param `model` is split into dotted rows: one value each, not a cut-off JSON text.
        assert.equal(await page.locator("[data-testid=param-row][data-key=model]").count(), 0);
        const rate = page.locator("[data-testid=param-row][data-key='model.learning_rate']");
        assert.equal(await rate.getAttribute("data-differs"), "true");
        assert.deepEqual((await rate.locator("td").allTextContents()).sort(), ["0.05", "0.1"]);
        assert.equal(
          await page.locator("[data-testid=param-row][data-key='model.n_iter']").getAttribute("data-differs"),
          "false",
        );
        // The scatter's x axis defaults to the first param that differs.
        assert.equal(await page.getByTestId("scatter-x").inputValue(), "param:model.learning_rate");
        assert.equal(
          await page.locator("[data-testid=param-row][data-key=target]").getAttribute("data-differs"),
          "false",
        );
        await page.getByTestId("diff-only").check();
        assert.equal(await page.locator("[data-testid=param-row][data-key=target]").count(), 0);
        await page.getByTestId("compare-metric-select").selectOption("train_history.train_loss");
        await page.waitForFunction(() =>
          document.querySelector("[data-testid=compare-chart]")?.getAttribute("data-metric") ===
            "train_history.train_loss"
        );
        assert.equal(await page.getByTestId("compare-chart").getAttribute("data-series-count"), "2");
        assert.equal(await page.getByTestId("compare-chart").getAttribute("data-point-count"), "60");
        assert.equal(await page.getByTestId("scatter-point").count(), 2);
        await shot(page, "09-compare");
        const url = new URL(page.url());
        assert.match(url.hash, /^#\/compare-runs\?runs=/);
      });

      await t.step("the compare page draws parallel coordinates of chosen params and metrics", async () => {
        const plot = page.getByTestId("parallel-plot");
        await plot.waitFor();
        assert.equal(await plot.getAttribute("data-runs"), "2");
        assert.equal(await page.getByTestId("parallel-line").count(), 2);
        const checked = await page.locator("[data-testid=parallel-dim]:checked").count();
        assert.ok(checked >= 2, `${checked} axes chosen by default`);
        assert.equal(await page.getByTestId("parallel-axis").count(), checked);
        await page.getByTestId("parallel-axes").locator("summary").click();
        for (const box of await page.getByTestId("parallel-dim").all()) await box.uncheck();
        await page.getByTestId("parallel-empty").waitFor();
        await page.locator("[data-testid=parallel-dim][data-key='param:model.learning_rate']").check();
        await page.locator("[data-testid=parallel-dim][data-key='metric:train_history.train_loss']").check();
        await page.locator("[data-testid=parallel-dim][data-key='metric:metrics.accuracy']").check();
        const axes = await page.getByTestId("parallel-axis").evaluateAll((gs) =>
          gs.map((g) => `${(g as SVGElement).dataset.label}=${(g as SVGElement).dataset.kind}`)
        );
        assert.deepEqual(axes, [
          "param model.learning_rate=num",
          "metric metrics.accuracy=num",
          "metric train_history.train_loss=num",
        ]);
        // Each run's line crosses every axis: three vertices.
        for (
          const d of await page.getByTestId("parallel-line").evaluateAll((ps) =>
            ps.map((p) => p.getAttribute("d"))
          )
        ) {
          assert.equal(d?.split(/[ML]/).filter((x) => x.trim()).length, 3, d ?? "");
        }
        await shot(page, "09b-parallel");
      });

      await t.step("delete moves a run to the Deleted view and restore brings it back", async () => {
        await page.goto(
          `${base}/${expHash}?searchFilter=${encodeURIComponent("attributes.run_name = 'curve-child'")}`,
        );
        // The child's parent is fetched (expanded) so it nests: 2 rows.
        const childSelect = page.locator(
          `[data-testid=run-row][data-run-id='${f.childRunId}'] [data-testid=run-select]`,
        );
        await ui.rowCount(2);
        await childSelect.check();
        await page.getByTestId("delete-button").click();
        await page.waitForFunction(() => document.querySelectorAll("[data-testid=run-row]").length === 0);
        assert.equal((await f.store.getRun(f.childRunId)).info.lifecycleStage, "deleted");
        assert.equal((await f.store.getRun(f.curveRunId)).info.lifecycleStage, "active");
        await page.getByTestId("runs-view").selectOption("deleted");
        await ui.rowCount(2);
        await childSelect.check();
        await page.getByTestId("restore-button").click();
        await page.waitForFunction(() => document.querySelectorAll("[data-testid=run-row]").length === 0);
        assert.equal((await f.store.getRun(f.childRunId)).info.lifecycleStage, "active");
      });

      await t.step(
        "a RUNNING run refreshes itself on its page and in the table until it ends",
        () => autoRefresh(ui),
      );

      await t.step(
        "experiments can be created, renamed, deleted and restored",
        () => experimentLifecycle(ui),
      );

      await t.step("an MLflow client's printed link opens the run", async () => {
        await page.goto(`${base}/#/experiments/${f.experimentId}/runs/${f.xssRunId}`);
        await page.getByTestId("run-name").waitFor();
        assert.equal(await page.getByTestId("run-name").textContent(), XSS_NAME);
        assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
        assert.deepEqual(pageErrors, []);
      });
    } finally {
      await browser.close();
      await server?.shutdown();
      await fixture?.close();
    }
  },
});
