/// <reference lib="dom" />
/**
 * The web UI features a daily MLflow UI user reaches for (issue 16: chart view, editing, column control,
 * sweeps, interactive charts, sidebar, filters and export, artifacts, MLflow's routes, compare fixes)
 * and the pipeline DAG's namespaces (issue 18 item 7), in real headless Chromium over the UI fixture.
 * Main pages are screenshotted (tests/server/ui_browser_harness.ts; `UPDATE_SCREENSHOTS=1` rewrites the committed
 * ones under tests/artifacts/pages/).
 */
import assert from "node:assert/strict";
import { launchChromium } from "./ui_browser_harness.ts";
import { buildUiFixture, serveFixture, type UiFixture } from "./ui_fixture.ts";
import { uiSession } from "./ui_browser_steps.ts";
import { chartView, interactiveCharts, scatterFits, sweeps } from "./ui_steps_charts.ts";
import { columnControl, filtersAndExport, keyboardSort, sidebarAndExperiments } from "./ui_steps_table.ts";
import { editing, injection, multiLineTag } from "./ui_steps_editing.ts";
import { artifacts, compareFixes, dagKeyboard, mlflowRoutes, namespaces } from "./ui_steps_pages.ts";

Deno.test({
  name: "the web UI's MLflow features in headless Chromium",
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
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(e.message));
      page.on("dialog", (d) => void d.accept());
      const ui = uiSession(page, served.url, fixture);
      await page.goto(`${served.url}/`);

      await t.step("1. the chart view draws every metric of the experiment's runs", () => chartView(ui));
      await t.step("1b. the chart view's scatter plot fits its card", () => scatterFits(ui));
      await t.step(
        "5. charts zoom, smooth, show points, clip outliers; the metric page",
        () => interactiveCharts(ui),
      );
      await t.step(
        "4. sweeps: group by a param with min/max/mean; pin, hide, recolour runs",
        () => sweeps(ui),
      );
      await t.step(
        "3. columns: defaults, resize, sort arrows, chooser, pin, reorder",
        () => columnControl(ui),
      );
      await t.step(
        "3b. the runs table sorts from the keyboard: Enter or Space on a header",
        () => keyboardSort(ui),
      );
      await t.step(
        "7. filters: time created, datasets; CSV download; the preview pane",
        () => filtersAndExport(ui),
      );
      await t.step(
        "6. the experiment sidebar and several experiments' runs together",
        () => sidebarAndExperiments(ui),
      );
      await t.step(
        "2. editing: run name, description, tags; experiment name and description",
        () => editing(ui),
      );
      await t.step("2b. a multi-line tag keeps its line breaks when edited", () => multiLineTag(ui));
      await t.step("8. artifacts: highlighted code, PDF, gallery, copy path", () => artifacts(ui));
      await t.step("9. MLflow's other routes open the right page", () => mlflowRoutes(ui));
      await t.step("10. compare page: wrapping names, dict params, parallel labels", () => compareFixes(ui));
      await t.step("the pipeline DAG collapses and expands namespaces like kedro-viz", () => namespaces(ui));
      await t.step(
        "the pipeline DAG's boxes open, close and select from the keyboard",
        () => dagKeyboard(ui),
      );
      await t.step("no injected script runs in the new editors, charts and exports", () => injection(ui));
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
      await server?.shutdown();
      await fixture?.close();
    }
  },
});
