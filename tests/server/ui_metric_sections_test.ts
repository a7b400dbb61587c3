/// <reference lib="dom" />
/**
 * Metric charts in MLflow's sections (the name up to its last "/"; "." is no separator; system/… is
 * "System metrics"): the experiment's chart view, and the run page, whose system/… metrics get their own
 * "System metrics" tab (…/system-metrics, MLflow's route, showed the overview) while its "Model metrics"
 * tab heads its picker and charts by section.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SqliteStore } from "../../lib/tracking/mod.ts";
import { launchChromium } from "./ui_browser_harness.ts";
import { serveFixture } from "./ui_fixture.ts";

const KEYS = [
  "loss",
  "train_history.loss",
  "train/acc",
  "val/per_class/f1",
  "system/cpu_utilization_percentage",
  "system/gpu/0/utilization",
];

Deno.test({
  name: "metric charts come in MLflow's sections; system metrics have their own run tab",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const browser = await launchChromium();
    const dir = await Deno.makeTempDir({ prefix: "kmlf-ui-sections-" });
    const store = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: join(dir, "mlartifacts") });
    const experimentId = await store.createExperiment("sections");
    const { runId } = (await store.createRun({ experimentId, runName: "with-system", startTime: 1 })).info;
    await store.logBatch(runId, {
      metrics: KEYS.flatMap((key) => [0, 1].map((step) => ({ key, value: step + 0.5, timestamp: 1, step }))),
    });
    const plain = (await store.createRun({ experimentId, runName: "plain", startTime: 2 })).info.runId;
    await store.logBatch(plain, { metrics: [{ key: "acc", value: 1, timestamp: 1, step: 0 }] });
    const { url, server } = serveFixture(store);
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      const runPage = (id: string) => `${url}/#/experiments/${experimentId}/runs/${id}`;
      const attrs = (selector: string, name: string) =>
        page.locator(selector).evaluateAll(
          (els, n) => els.map((e) => e.getAttribute(n)),
          name,
        );

      // The experiment's chart view.
      await page.goto(`${url}/#/experiments/${experimentId}?compareRunsMode=CHART`);
      await page.getByTestId("chart-section").first().waitFor();
      assert.deepEqual(await attrs("[data-testid=chart-section]", "data-section"), [
        "Model metrics",
        "system/gpu/0",
        "train",
        "val/per_class",
        "System metrics",
      ]);

      // The run page's Model metrics tab: no system metric, picker and charts headed by section.
      await page.goto(`${runPage(runId)}/model-metrics`);
      await page.getByTestId("metrics-section").first().waitFor();
      assert.deepEqual(await page.getByTestId("metric-picker-section").allTextContents(), [
        "Model metrics",
        "train",
        "val/per_class",
      ]);
      assert.deepEqual(await attrs("[data-testid=metric-picker] input", "data-metric"), [
        "loss",
        "train_history.loss",
        "train/acc",
        "val/per_class/f1",
      ]);
      assert.deepEqual(await attrs("[data-testid=metrics-section]", "data-section"), [
        "Model metrics",
        "train",
        "val/per_class",
      ]);

      // Its System metrics tab, reached by its tab and by MLflow's URL.
      await page.getByTestId("tab-system-metrics").click();
      await page.waitForFunction(() => location.hash.endsWith("/system-metrics"));
      await page.locator("[data-testid=pane-system-metrics] [data-testid=metrics-section]").first().waitFor();
      assert.deepEqual(
        await attrs("[data-testid=pane-system-metrics] [data-testid=metric-picker] input", "data-metric"),
        // In section order: MLflow's rule makes system/gpu/0 a section of its own.
        ["system/gpu/0/utilization", "system/cpu_utilization_percentage"],
      );
      assert.deepEqual(
        await attrs("[data-testid=pane-system-metrics] [data-testid=metrics-section]", "data-section"),
        ["system/gpu/0", "System metrics"],
      );

      // The overview links a system metric to the System metrics tab.
      await page.goto(runPage(runId));
      const link = page.getByTestId("metric-link").filter({ hasText: "system/cpu_utilization_percentage" });
      assert.match((await link.getAttribute("href"))!, /\/system-metrics\?metric=system%2Fcpu/);
      await link.click();
      await page.locator("[data-testid=pane-system-metrics] [data-testid=metric-picker]").waitFor();
      assert.deepEqual(
        await attrs(
          "[data-testid=pane-system-metrics] [data-testid=metric-picker] input:checked",
          "data-metric",
        ),
        ["system/cpu_utilization_percentage"],
      );

      // A run without system metrics says so on that tab.
      await page.goto(`${runPage(plain)}/system-metrics`);
      assert.match((await page.getByTestId("no-metrics").textContent())!, /^No system metrics/);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.shutdown();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
