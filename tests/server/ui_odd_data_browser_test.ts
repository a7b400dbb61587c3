/// <reference lib="dom" />
/**
 * The web UI in headless Chromium against the odd-data store (tests/server/ui_odd_data_fixture.ts): the
 * run page's "Registered models" row, a bulk delete that the server refuses halfway, and the odd inputs a
 * careful MLflow user tries. One browser page walks every step, so the file stays fast on a busy machine.
 */
import assert from "node:assert/strict";
// deno-lint-ignore no-import-prefix -- test-only dependency, kept out of kmlf's import map and binary
import type { Page } from "npm:playwright-core@1.65.1";
import { join } from "node:path";
import { launchChromium, SCREENSHOTS_DIR } from "./ui_browser_harness.ts";
import { serveFixture } from "./ui_fixture.ts";
import { buildOddFixture, LONG_PARAM, LONG_VALUE, purgeRun } from "./ui_odd_data_fixture.ts";

const testids = (page: Page, id: string) => page.getByTestId(id).allTextContents();

/** A screenshot for review under tests/artifacts/screenshots/ (not one of the committed main pages). */
async function shot(page: Page, name: string) {
  await Deno.mkdir(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}

Deno.test({
  name: "the web UI with registered models, refused bulk deletes and odd data",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const browser = await launchChromium();
    const f = await buildOddFixture();
    const { url: base, server } = serveFixture(f.store);
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(e.message));
      page.on("dialog", (d) => void d.accept());
      const expHash = `#/experiments/${f.experimentId}`;
      const runHash = (id: string) => `${expHash}/runs/${id}`;
      const open = async (hash: string) => {
        await page.goto(`${base}/${hash}`);
        await page.reload({ waitUntil: "networkidle" });
      };

      await t.step("a run's overview lists the model versions registered from it", async () => {
        await open(runHash(f.registeredRunId));
        const row = page.getByTestId("run-registered-models");
        await row.getByTestId("run-registered-version").first().waitFor();
        // iris v2 came from another run: not listed here.
        assert.deepEqual(await testids(page, "run-registered-version"), [
          "iris v1 Staging @champion → v1",
          "iris-archive v1",
        ]);
        await shot(page, "run-registered-models");
        await row.getByRole("link", { name: "iris v1" }).click();
        await page.waitForFunction(() => location.hash === "#/models/iris/versions/1");

        // A run with none says so; registering from its page adds the version to the row at once.
        await open(runHash(f.doomedRunId));
        await row.filter({ hasText: "—" }).waitFor();
        await page.getByTestId("register-model").click();
        await page.getByTestId("register-name").fill("doomed-model");
        await page.getByTestId("register-submit").click();
        await row.getByTestId("run-registered-version").filter({ hasText: "doomed-model v1" }).waitFor();
      });

      await t.step("a bulk delete refused halfway reloads the table and says what failed", async () => {
        await open(expHash);
        await page.getByTestId("run-row").first().waitFor();
        const select = (id: string) =>
          page.locator(`[data-testid=run-row][data-run-id='${id}'] [data-testid=run-select]`).check();
        for (const id of [f.plainRunId, f.doomedRunId, f.longRunId]) await select(id);
        // Another user purges one of the selected runs for good before Delete is pressed.
        purgeRun(f.dbPath, f.doomedRunId);
        await page.getByTestId("delete-button").click();
        const summary = page.getByTestId("lifecycle-summary");
        await summary.waitFor();
        assert.equal(
          await summary.textContent(),
          "Deleted 2 of 3 runs; the server refused to delete 1:",
        );
        const failures = await testids(page, "lifecycle-failure");
        assert.equal(failures.length, 1);
        assert.match(failures[0], new RegExp(`^doomed \\(${f.doomedRunId}\\): .*${f.doomedRunId}`));
        // The table was reloaded: neither the deleted runs nor the purged one is still listed.
        const shown = await page.locator("[data-testid=run-row]").evaluateAll((rows) =>
          rows.map((r) => (r as HTMLElement).dataset.runId)
        );
        for (const id of [f.plainRunId, f.doomedRunId, f.longRunId]) assert.ok(!shown.includes(id), id);
        assert.equal((await f.store.getRun(f.plainRunId)).info.lifecycleStage, "deleted");
        assert.equal((await f.store.getRun(f.longRunId)).info.lifecycleStage, "deleted");
        assert.equal(await page.getByTestId("delete-button").isDisabled(), true, "nothing left selected");
        await shot(page, "runs-bulk-delete-refused");

        // Restoring what was deleted works and clears the message.
        await page.getByTestId("runs-view").selectOption("deleted");
        await page.locator(`[data-testid=run-row][data-run-id='${f.plainRunId}']`).waitFor();
        for (const id of [f.plainRunId, f.longRunId]) await select(id);
        await page.getByTestId("restore-button").click();
        await page.waitForFunction(() => !document.querySelector("[data-testid=run-row]"));
        assert.equal(await page.getByTestId("lifecycle-summary").count(), 0);
        assert.equal((await f.store.getRun(f.plainRunId)).info.lifecycleStage, "active");
      });

      await t.step("a refused filter shows the server's message and how to fix it", async () => {
        await open(expHash);
        await page.getByTestId("run-row").first().waitFor();
        for (
          const [filter, hint] of [
            [
              "params.ключ_über = 'x'",
              "Quote a key holding other characters in backticks: params.`ключ_über`",
            ],
            ["metrics.accuracy > 0.5 or metrics.single < 1", "MLflow's search has no OR"],
            ["accuracy > 0.5", "Name the entity of the key: metrics.accuracy."],
          ]
        ) {
          await page.getByTestId("runs-filter").fill(filter);
          await page.getByTestId("runs-search").click();
          await page.getByTestId("filter-hint").filter({ hasText: hint }).waitFor();
          assert.match((await page.getByTestId("runs-error").textContent())!, /Invalid|invalid/, filter);
        }
        // The fix the first hint names finds the run.
        await page.getByTestId("runs-filter").fill("params.`ключ_über` = '模型-ü̈ber-🚀-نموذج'");
        await page.getByTestId("runs-search").click();
        await page.locator(`[data-testid=run-row][data-run-id='${f.wideRunId}']`).waitFor();
        assert.equal(await page.getByTestId("runs-error").count(), 0);

        // The server stops answering: the page says so and what to do, not the browser's "Failed to fetch".
        await page.route("**/ajax-api/**", (route) => route.abort("connectionrefused"));
        try {
          await page.getByTestId("runs-filter").fill("metrics.accuracy > 0");
          await page.getByTestId("runs-search").click();
          const unreachable = page.getByTestId("runs-error");
          await unreachable.waitFor();
          assert.match(
            (await unreachable.textContent())!,
            /^Cannot reach the tracking server \(.*\): check that/,
          );
          assert.equal(await page.getByTestId("filter-hint").count(), 0);
        } finally {
          await page.unroute("**/ajax-api/**");
        }
      });

      await t.step(
        "pages of odd runs: tag counts, refused artifact paths, links to a purged run",
        async () => {
          // The Tags heading counts the tags listed under it, not MLflow's own (mlflow.runName).
          await open(runHash(f.wideRunId));
          assert.equal(await page.getByTestId("tags-heading").textContent(), "Tags (1)");
          assert.equal(await page.locator("[data-testid=params-table] tbody tr").count(), 303);
          // A 5,000-character param shows its start and a button for the rest.
          const config = page.locator("[data-testid=params-table] tr", { hasText: "config" });
          const shownText = async () => (await config.locator(".value").textContent())!;
          assert.ok((await shownText()).length < 400, await shownText());
          await config.getByTestId("value-toggle").click();
          assert.ok((await shownText()).startsWith(LONG_VALUE), "the whole value after Show all");

          // MLflow's servers refuse a path holding '#': the page says so in words, not raw JSON.
          const hashFile = ["déjà vu", "深い", "naïve #1.txt"].map(encodeURIComponent).join("/");
          await open(`${runHash(f.oddMetricsRunId)}/artifacts/${hashFile}`);
          const refused = (await page.getByTestId("preview-error").textContent())!;
          assert.match(
            refused,
            /^Cannot load déjà vu\/深い\/naïve #1\.txt: Invalid path \(MLflow servers refuse/,
          );
          assert.ok(!refused.includes("{"), refused);
          await open(`${runHash(f.oddMetricsRunId)}/artifacts`);
          await page.locator("[data-testid=artifact-node][data-path='run #2']").click();
          await page.getByRole("alert").filter({
            hasText: "Cannot list run #2: Invalid path (MLflow servers refuse",
          })
            .waitFor();
          // Nor does that folder break the search for models to register.
          await page.getByTestId("register-model").click();
          await page.getByTestId("no-logged-model").waitFor();
          await open(`${runHash(f.oddMetricsRunId)}/artifacts/${encodeURIComponent("100% sure?.json")}`);
          await page.getByText('"ok": true').waitFor();
          // A name holding %XX is that file and that folder (MLflow's server decodes it: a/b.txt, xAy).
          await open(`${runHash(f.oddMetricsRunId)}/artifacts/${encodeURIComponent("a%2Fb.txt")}`);
          await page.getByText("the file a%2Fb.txt").waitFor();
          assert.equal(await page.getByTestId("preview-error").count(), 0);
          assert.equal(await page.getByTestId("artifact-download").count(), 1);
          await page.locator("[data-testid=artifact-node][data-path='x%41y']").click();
          await page.locator("[data-testid=artifact-node][data-path='x%41y/in.txt']").waitFor();

          // A compare link naming a purged run still compares the others and names the one left out.
          const ids = JSON.stringify([f.registeredRunId, f.doomedRunId, f.wideRunId]);
          await open(
            `#/compare-runs?runs=${encodeURIComponent(ids)}&experiments=${
              encodeURIComponent(`["${f.experimentId}"]`)
            }`,
          );
          await page.getByTestId("compare-title").filter({ hasText: "Comparing 2 runs" }).waitFor();
          assert.deepEqual(await testids(page, "missing-run"), [
            `${f.doomedRunId}: Run with id=${f.doomedRunId} not found`,
          ]);
          await shot(page, "compare-with-purged-run");
        },
      );

      await t.step(
        "charts draw every step below 0, tick labels that fit beside the plot, names that wrap at separators",
        async () => {
          const keys = encodeURIComponent(
            JSON.stringify(["negative_steps", "warm_up", "large_values", "tiny_values"]),
          );
          await open(
            `#/metric/?runs=${
              encodeURIComponent(JSON.stringify([f.oddMetricsRunId]))
            }&plot_metric_keys=${keys}`,
          );
          const chart = (key: string) => page.locator(`[data-testid=metric-chart][data-metric="${key}"]`);
          for (
            const [key, range] of [["negative_steps", "-2,0"], ["warm_up", "-3,-1"], ["large_values", "0,2"]]
          ) {
            // A line chart over all the logged steps, not one bar of the value at step 0 (or nothing).
            await page.locator(`[data-testid=metric-chart][data-metric="${key}"][data-x-range="${range}"]`)
              .waitFor({ timeout: 10_000 });
          }
          const ticks = (await chart("large_values").getAttribute("data-y-ticks"))!.split("|");
          assert.ok(ticks.length >= 3, ticks.join("|"));
          assert.equal(new Set(ticks).size, ticks.length, ticks.join("|"));
          for (const tick of ticks) assert.ok(tick.length <= 8, `tick ${tick} is wider than the margin`);
          await page.locator("[data-testid=metric-chart][data-metric=tiny_values][data-y-ticks]").waitFor();
          const tiny = (await chart("tiny_values").getAttribute("data-y-ticks"))!.split("|");
          assert.ok(tiny.length >= 3, tiny.join("|"));
          assert.equal(new Set(tiny).size, tiny.length, `distinct ticks: ${tiny.join("|")}`);
          assert.ok(tiny.every((l) => /e-30\d$/.test(l)), `labelled ticks, not 0: ${tiny.join("|")}`);
          // Long dotted names in the metric list wrap after . _ - / (as on the compare page), never mid-word.
          const picked = page.locator("[data-testid=metric-picker] label", { hasText: "negative_steps" });
          assert.equal(await picked.locator("wbr").count(), 1);
          await shot(page, "metric-page-negative-steps");
        },
      );

      await t.step(
        "a long param name neither widens the group-by select nor pushes the column buttons out",
        async () => {
          await open(expHash);
          const box = async (selector: string) => (await page.locator(selector).first().boundingBox())!;
          const groupBy = page.getByTestId("group-by");
          await groupBy.selectOption(`param:${LONG_PARAM}`);
          assert.ok((await box("[data-testid=group-by]")).width <= 300, "the select stays narrow");
          assert.ok(
            (await groupBy.getAttribute("title"))!.includes(LONG_PARAM),
            "its tooltip names the choice",
          );
          const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(await pageWidth() <= 1300, `the page does not scroll sideways: ${await pageWidth()} px`);
          await groupBy.selectOption("");
          // The same for every select listing names: the compare page's scatter axes.
          await open(
            `#/compare-runs?runs=${encodeURIComponent(JSON.stringify([f.wideRunId, f.plainRunId]))}`,
          );
          await page.getByTestId("scatter-x").selectOption(`param:${LONG_PARAM}`);
          assert.ok(
            (await box("[data-testid=scatter-x]")).width <= 300,
            "the scatter axis select stays narrow",
          );
          await open(expHash);

          await page.getByTestId("columns-menu").locator("summary").click();
          await page.getByTestId("column-search").fill("learning_rate");
          const item = page.locator(`[data-testid=column-item][data-col="param:${LONG_PARAM}"]`);
          if (!(await item.getByTestId("column-toggle").isChecked())) {
            await item.getByTestId("column-toggle").check();
          }
          await item.getByTestId("column-down").waitFor();
          const panel = await box(".chooser");
          assert.ok(panel.x + panel.width <= 1300, `the panel fits the window: ${JSON.stringify(panel)}`);
          const name = item.getByTestId("column-name");
          assert.ok(
            (await name.boundingBox())!.x + (await name.boundingBox())!.width <= panel.x + panel.width,
          );
          for (const id of ["column-pin", "column-up", "column-down"]) {
            const b = (await item.getByTestId(id).boundingBox())!;
            assert.ok(
              b.width > 0 && b.x >= panel.x && b.x + b.width <= panel.x + panel.width,
              `${id}: ${JSON.stringify(b)} in ${JSON.stringify(panel)}`,
            );
          }
          const cut = await name.evaluate((el) => el.scrollWidth > el.clientWidth);
          assert.ok(cut, "the name is cut with an ellipsis");
          assert.ok(
            (await item.locator("label").getAttribute("title"))!.includes(LONG_PARAM),
            "the tooltip holds it whole",
          );
          await shot(page, "column-chooser-long-name");
          await page.getByTestId("columns-menu").locator("summary").click();
        },
      );

      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
      await server.shutdown();
      await f.close();
    }
  },
});
