/// <reference lib="dom" />
/**
 * The web UI in headless Chromium when one more page of a list fails (the server answers 503 once): the
 * runs table's "Load more", the run page's child runs "Show more" and the models list's "Load more" keep
 * what they listed, say why beside the button and load the page on the next click; the experiments list
 * keeps its rows when a reload fails; a metric whose history fails is named while the other charts stay;
 * an artifact folder that failed to list is listed when opened again.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
// deno-lint-ignore no-import-prefix -- test-only dependency, kept out of kmlf's import map and binary
import type { Page, Route } from "npm:playwright-core@1.65.1";
import { MlflowClient, SqliteStore } from "../../lib/tracking/mod.ts";
import { launchChromium } from "./ui_browser_harness.ts";
import { serveFixture } from "./ui_fixture.ts";

const CHILDREN = 105; // the run page lists 100 children a page
const MODELS = 105; // the models page lists 100 models a page

/** Makes the next request matching `pattern` (and `when`) fail with a 503, once; the rest pass. */
async function failOnce(page: Page, pattern: string, when: (route: Route) => boolean = () => true) {
  let armed = true;
  await page.route(pattern, async (route) => {
    if (armed && when(route)) {
      armed = false;
      return await route.fulfill({
        status: 503,
        contentType: "application/json",
        body: JSON.stringify({ error_code: "TEMPORARILY_UNAVAILABLE", message: "the store is busy" }),
      });
    }
    await route.fallback();
  });
}

Deno.test({
  name: "a failed next page keeps what is listed, says why beside its button and loads on a retry",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "kmlf-ui-page-failures-" });
    const store = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: join(dir, "mlartifacts") });
    const experimentId = await store.createExperiment("many");
    const parent = (await store.createRun({ experimentId, runName: "parent" })).info.runId;
    for (let i = 0; i < CHILDREN; i++) {
      const { info } = await store.createRun({ experimentId, runName: `child-${i}` });
      await store.setTag(info.runId, "mlflow.parentRunId", parent);
    }
    await store.logBatch(parent, {
      metrics: ["acc", "loss"].map((key) => ({ key, value: 1, timestamp: 1, step: 0 })),
    });
    await new MlflowClient(store).logText(parent, "x\n", "folder/a.txt");
    for (let i = 0; i < MODELS; i++) {
      await store.registry.createRegisteredModel(`m-${String(i).padStart(3, "0")}`);
    }

    const browser = await launchChromium();
    const { url: base, server } = serveFixture(store);
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(e.message));
      const open = async (hash: string) => {
        await page.unrouteAll({ behavior: "wait" });
        await page.goto(`${base}/${hash}`);
        await page.reload({ waitUntil: "networkidle" });
      };
      const runHash = `#/experiments/${experimentId}/runs/${parent}`;
      const retried = async (button: string, idle: string) => {
        const error = page.getByTestId(`${button}-error`);
        await error.waitFor();
        assert.match(
          (await error.textContent())!,
          /^Could not load more: the store is busy \(click .* to try again\)$/,
        );
        const more = page.getByTestId(button);
        assert.ok(await more.isVisible());
        assert.ok(await more.isEnabled());
        assert.equal(await more.textContent(), idle);
        return { error, more };
      };

      await t.step("the runs table's Load more", async () => {
        await open(`#/experiments/${experimentId}`);
        // Pages of 50 runs, so the experiment's 106 runs take three; the second fails once.
        await page.route("**/ajax-api/2.0/mlflow/runs/search", async (route) => {
          const body = JSON.parse(route.request().postData() ?? "{}");
          await route.continue({ postData: JSON.stringify({ ...body, max_results: 50 }) });
        });
        await page.reload({ waitUntil: "networkidle" });
        const count = page.getByTestId("runs-count");
        await count.filter({ hasText: "50+ runs" }).waitFor();
        await failOnce(page, "**/ajax-api/2.0/mlflow/runs/search");
        await page.getByTestId("load-more").click();
        const { error, more } = await retried("load-more", "Load more");
        assert.equal(await count.textContent(), "50+ runs");
        assert.equal(await page.locator(".page-runs").getAttribute("data-loaded"), "50");
        assert.ok(await page.getByTestId("run-row").count() > 0);
        await more.click();
        await count.filter({ hasText: "100+ runs" }).waitFor();
        assert.equal(await error.count(), 0);
      });

      await t.step("the run page's child runs Show more", async () => {
        await open(runHash);
        const note = page.getByTestId("child-runs-note");
        await note.filter({ hasText: "more exist" }).waitFor();
        await failOnce(page, "**/ajax-api/2.0/mlflow/runs/search");
        await page.getByTestId("child-runs-more").click();
        const { error, more } = await retried("child-runs-more", "Show more");
        assert.equal(await page.getByTestId("child-run").count(), 100);
        assert.equal(await note.textContent(), " (first 100 shown; more exist) ");
        await more.click();
        await note.filter({ hasText: `(${CHILDREN})` }).waitFor();
        assert.equal(await error.count(), 0);
      });

      await t.step("the models list's Load more", async () => {
        await open("#/models");
        const count = page.getByTestId("models-count");
        await count.filter({ hasText: "100+ models" }).waitFor();
        await failOnce(page, "**/ajax-api/2.0/mlflow/registered-models/search?**");
        await page.getByTestId("models-more").click();
        const { error, more } = await retried("models-more", "Load more");
        assert.equal(await count.textContent(), "100+ models");
        assert.equal(await page.getByTestId("model-row").count(), 100);
        await more.click();
        await count.filter({ hasText: `${MODELS} models` }).waitFor();
        assert.equal(await error.count(), 0);
      });

      await t.step("the experiments list keeps its rows when a reload fails", async () => {
        await open("#/experiments");
        await page.getByTestId("experiment-link").filter({ hasText: "many" }).waitFor();
        const rows = await page.getByTestId("experiment-link").count();
        await failOnce(page, "**/ajax-api/2.0/mlflow/experiments/search");
        await page.getByTestId("new-experiment-name").fill("added");
        await page.getByTestId("create-experiment").click();
        const error = page.getByTestId("experiments-reload-error");
        await error.waitFor();
        assert.equal(await error.textContent(), "Could not reload the experiments: the store is busy");
        assert.equal(await page.getByTestId("experiment-link").count(), rows);
      });

      await t.step("a metric whose history fails is named; the other charts stay", async () => {
        await open("#/experiments");
        await failOnce(
          page,
          "**/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?**",
          (route) => new URL(route.request().url()).searchParams.get("metric_key") === "loss",
        );
        await page.goto(
          `${base}/#/metric/?runs=${encodeURIComponent(JSON.stringify([parent]))}&plot_metric_keys=${
            encodeURIComponent(JSON.stringify(["acc", "loss"]))
          }`,
        );
        const error = page.getByTestId("metrics-error");
        await error.waitFor();
        assert.match((await error.textContent())!, /^Could not load the history of loss: the store is busy/);
        assert.deepEqual(
          await page.getByTestId("metric-chart").evaluateAll((cs) =>
            cs.map((c) => (c as HTMLElement).dataset.metric)
          ),
          ["acc"],
        );
        // Choosing it again asks again.
        const loss = page.locator("[data-testid=metric-picker] input[data-metric=loss]");
        await loss.uncheck();
        await loss.check();
        await page.locator("[data-testid=metric-chart][data-metric=loss]").waitFor();
        assert.equal(await error.count(), 0);
      });

      await t.step("an artifact folder that failed to list is listed when opened again", async () => {
        await open(`${runHash}/artifacts`);
        const folder = page.locator("[data-testid=artifact-node][data-path='folder']");
        await folder.waitFor();
        await failOnce(page, "**/ajax-api/2.0/mlflow/artifacts/list?**");
        await folder.click();
        await page.getByTestId("artifacts-error").first().waitFor();
        await folder.click(); // closed
        await folder.click(); // opened: asked again
        await page.locator("[data-testid=artifact-node][data-path='folder/a.txt']").waitFor();
      });
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
      await server.shutdown();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
