/// <reference lib="dom" />
/**
 * Metric values shown rounded to 6 significant digits keep their exact value: the compare page tells
 * apart values that round alike (MLflow compares the values, not their text), and the runs table, the run
 * page and the compare page give the exact value in the tooltip. The compare page lists the runs' tags
 * (not MLflow's own mlflow.*) like their params, as MLflow's does.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SqliteStore } from "../../lib/tracking/mod.ts";
import { launchChromium } from "./ui_browser_harness.ts";
import { serveFixture } from "./ui_fixture.ts";

/**
 * Two runs: `loss` differs in the 7th digit, `same` and `diverged` (NaN in both) do not differ; tag `team`
 * differs, `stage` does not.
 */
async function buildStore() {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-ui-exact-" });
  const store = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: join(dir, "mlartifacts") });
  const experimentId = await store.createExperiment("exact values");
  const runIds: string[] = [];
  for (const [name, loss] of [["first", 0.1234561], ["second", 0.1234564]] as const) {
    const { runId } =
      (await store.createRun({ experimentId, runName: name, startTime: 1_700_000_000_000 })).info;
    await store.logBatch(runId, {
      metrics: [
        { key: "loss", value: loss, timestamp: 1_700_000_000_000, step: 0 },
        { key: "same", value: 0.5, timestamp: 1_700_000_000_000, step: 0 },
        { key: "diverged", value: NaN, timestamp: 1_700_000_000_000, step: 0 },
      ],
      tags: [
        { key: "team", value: name === "first" ? "vision" : "speech" },
        { key: "stage", value: "dev" },
        { key: "mlflow.user", value: name },
      ],
    });
    await store.updateRun(runId, { status: "FINISHED", endTime: 1_700_000_001_000 });
    runIds.push(runId);
  }
  return { dir, store, experimentId, runIds };
}

Deno.test({
  name: "metric values that round alike differ on the compare page and show their exact value; tags compared",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const browser = await launchChromium();
    const { dir, store, experimentId, runIds } = await buildStore();
    const { url, server } = serveFixture(store);
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));

      await page.goto(
        `${url}/#/compare-runs?runs=${encodeURIComponent(JSON.stringify(runIds))}&experiments=${
          encodeURIComponent(JSON.stringify([experimentId]))
        }`,
      );
      const row = (key: string) => page.locator(`[data-testid=metric-row][data-key="${key}"]`);
      await row("loss").waitFor();
      assert.equal(await row("loss").getAttribute("data-differs"), "true");
      assert.equal(await row("same").getAttribute("data-differs"), "false");
      assert.equal(await row("diverged").getAttribute("data-differs"), "false", "NaN and NaN are alike");
      const lossCells = row("loss").locator("td span.num");
      assert.deepEqual(await lossCells.allTextContents(), ["0.123456", "0.123456"]);
      assert.deepEqual(
        await lossCells.evaluateAll((els) => els.map((e) => e.getAttribute("title"))),
        ["0.1234561", "0.1234564"],
      );
      const tagRows = () =>
        page.getByTestId("tag-row").evaluateAll((rs) =>
          rs.map((r) => `${(r as HTMLElement).dataset.key}:${(r as HTMLElement).dataset.differs}`)
        );
      assert.deepEqual(await tagRows(), ["stage:false", "team:true"]);
      assert.deepEqual(await page.locator("[data-testid=tag-row][data-key=team] td").allTextContents(), [
        "vision",
        "speech",
      ]);
      await page.getByTestId("diff-only").check();
      await row("same").waitFor({ state: "detached" });
      assert.deepEqual(
        await page.getByTestId("metric-row").evaluateAll((rs) =>
          rs.map((r) => (r as HTMLElement).dataset.key)
        ),
        ["loss"],
      );
      assert.deepEqual(await tagRows(), ["team:true"]);

      // The run page and the runs table: rounded text, the exact value in the tooltip.
      await page.goto(`${url}/#/experiments/${experimentId}/runs/${runIds[0]}`);
      const runValue = page.locator("[data-testid=metrics-table] tr", { hasText: "loss" }).locator(
        "span.num",
      );
      assert.equal(await runValue.textContent(), "0.123456");
      assert.equal(await runValue.getAttribute("title"), "0.1234561");

      await page.goto(`${url}/#/experiments/${experimentId}`);
      const cell = page.locator(
        `[data-testid=run-row][data-run-id='${runIds[1]}'] [data-col="metric:loss"] span`,
      );
      await cell.waitFor();
      assert.equal(await cell.textContent(), "0.123456");
      assert.equal(await cell.getAttribute("title"), "0.1234564");
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.shutdown();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
