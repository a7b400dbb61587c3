/// <reference lib="dom" />
/**
 * The web UI in headless Chromium: the page of a deleted run or experiment offers no Rename, description or
 * tag edits (the server refuses them, as MLflow's does) but says it is deleted and how to restore it; counts
 * read "1 run", "1 experiment" (not "1 runs").
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SqliteStore } from "../../lib/tracking/mod.ts";
import { launchChromium } from "./ui_browser_harness.ts";
import { serveFixture } from "./ui_fixture.ts";

Deno.test({
  name:
    "deleted runs and experiments are shown read-only with how to restore them; counts are singular for one",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "kmlf-ui-deleted-" });
    const store = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: join(dir, "mlartifacts") });
    const experimentId = await store.createExperiment("kept");
    const newRun = async (runName: string) => {
      const { info } = await store.createRun({ experimentId, runName, startTime: Date.now() });
      await store.setTag(info.runId, "team", "ml");
      await store.setTag(info.runId, "mlflow.note.content", `about ${runName}`);
      return info.runId;
    };
    const solo = await newRun("solo");
    const binned = await newRun("binned");
    await store.deleteRun(binned);
    const goneId = await store.createExperiment("gone");
    await store.setExperimentTag(goneId, "mlflow.note.content", "old work");
    await store.deleteExperiment(goneId);
    await store.deleteExperiment("0"); // Default: "kept" is then the one active experiment

    const browser = await launchChromium();
    const { url: base, server } = serveFixture(store);
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(e.message));
      page.on("dialog", (d) => void d.accept());
      const open = async (hash: string) => {
        await page.goto(`${base}/${hash}`);
        await page.reload({ waitUntil: "networkidle" });
      };
      const count = (id: string) => page.getByTestId(id).count();

      await t.step("one run, one experiment: singular counts", async () => {
        await open("#/experiments");
        await page.getByTestId("experiments-count").filter({ hasText: "experiment" }).waitFor();
        assert.equal(await page.getByTestId("experiments-count").textContent(), "1 of 1 experiment");
        await open(`#/experiments/${experimentId}`);
        await page.getByTestId("runs-count").filter({ hasText: "run" }).waitFor();
        assert.equal(await page.getByTestId("runs-count").textContent(), "1 run");
      });

      await t.step("an active run's page offers Rename, description and tag edits, no notice", async () => {
        await open(`#/experiments/${experimentId}/runs/${solo}`);
        await page.getByTestId("run-description-text").waitFor();
        assert.equal(await count("run-name-edit"), 1);
        assert.equal(await count("run-description-edit"), 1);
        assert.equal(await count("tag-edit"), 1);
        assert.equal(await count("tag-add-form"), 1);
        assert.equal(await count("run-deleted-notice"), 0);
      });

      await t.step("a deleted run's page says so and how to restore it, and offers no edits", async () => {
        await open(`#/experiments/${experimentId}/runs/${binned}`);
        const notice = page.getByTestId("run-deleted-notice");
        await notice.waitFor();
        assert.match(
          (await notice.textContent())!,
          new RegExp(
            `This run is deleted, so it cannot be renamed, described or tagged\\. Restore it with the Restore button above or with kmlf runs restore --run-id ${binned}`,
          ),
        );
        // The description and tags are still shown, read-only.
        assert.equal(await page.getByTestId("run-description-text").textContent(), "about binned");
        assert.deepEqual(await page.getByTestId("tag-row").allTextContents(), ["teamml"]);
        for (
          const id of ["run-name-edit", "run-description-edit", "tag-edit", "tag-delete", "tag-add-form"]
        ) {
          assert.equal(await count(id), 0, `${id} is offered on a deleted run`);
        }
        await page.getByTestId("restore-run").click();
        await page.waitForFunction((id) => location.hash === `#/experiments/${id}`, experimentId);
        await page.getByTestId("runs-count").filter({ hasText: "2 runs" }).waitFor();
        await open(`#/experiments/${experimentId}/runs/${binned}`);
        await page.getByTestId("run-name-edit").waitFor();
        assert.equal(await count("run-deleted-notice"), 0, "restored: editable again");
      });

      await t.step(
        "a deleted experiment's page says so and offers no Rename or description edit",
        async () => {
          await open(`#/experiments/${goneId}`);
          const notice = page.getByTestId("experiment-deleted-notice");
          await notice.waitFor();
          assert.match(
            (await notice.textContent())!,
            new RegExp(`kmlf experiments restore --experiment-id ${goneId}`),
          );
          assert.equal(await count("experiment-name-edit"), 0);
          assert.equal(await count("experiment-description-edit"), 0);
          assert.equal(await page.getByTestId("experiment-description-text").textContent(), "old work");
        },
      );
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
      await server.shutdown();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
