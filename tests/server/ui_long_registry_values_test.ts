/// <reference lib="dom" />
/**
 * Long values in the registry's lists: a registered model's 5,000-character tag (the longest MLflow
 * keeps) on the Models page and a version's long description on the model's page are cut to a few lines
 * (the whole text in the tooltip), so a row does not stretch over several screens.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SqliteStore } from "../../lib/tracking/mod.ts";
import { launchChromium } from "./ui_browser_harness.ts";
import { serveFixture } from "./ui_fixture.ts";

const LONG_TAG = "y".repeat(5000);
// 4,940 characters: the longest a description may be is 5,000 (MLflow's column width).
const LONG_DESCRIPTION = "A model trained on the full data set. ".repeat(130);

Deno.test({
  name: "long tags and descriptions in the registry's lists are cut to a few lines with a tooltip",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const browser = await launchChromium();
    const dir = await Deno.makeTempDir({ prefix: "kmlf-ui-long-registry-" });
    const store = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: join(dir, "mlartifacts") });
    const r = store.registry;
    await r.createRegisteredModel("churn");
    await r.setRegisteredModelTag("churn", "notes", LONG_TAG);
    await r.setRegisteredModelTag("churn", "team", "growth");
    await r.createModelVersion("churn", "file:///tmp/churn/model");
    await r.updateModelVersion("churn", "1", LONG_DESCRIPTION);
    const { url, server } = serveFixture(store);
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const rowHeight = (selector: string) =>
        page.locator(selector).first().evaluate((el) => el.closest("tr")!.getBoundingClientRect().height);

      await page.goto(`${url}/#/models`);
      const tags = page.getByTestId("model-tags");
      await tags.waitFor();
      assert.equal(await tags.getAttribute("title"), `notes: ${LONG_TAG}\nteam: growth`);
      const listRow = await rowHeight("[data-testid=model-tags]");
      assert.ok(listRow < 120, `the model's row is ${listRow}px high`);

      await page.goto(`${url}/#/models/churn`);
      const description = page.getByTestId("version-description");
      await description.waitFor();
      assert.equal(await description.getAttribute("title"), LONG_DESCRIPTION);
      const versionRow = await rowHeight("[data-testid=version-description]");
      assert.ok(versionRow < 120, `the version's row is ${versionRow}px high`);
    } finally {
      await browser.close();
      await server.shutdown();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
