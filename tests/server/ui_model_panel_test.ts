/// <reference lib="dom" />
/**
 * The run page's "Logged models" panel in headless Chromium (Debian's /usr/bin/chromium): a real tracked
 * demo run logs its model; the panel shows the flavor, the signature, the input example and the exact
 * `kmlf models serve` command, and the command it shows really serves the model.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
// deno-lint-ignore no-import-prefix -- test-only dependency, kept out of kmlf's import map and binary
import { chromium } from "npm:playwright-core@1.65.1";
import { openStore } from "../../lib/tracking/mod.ts";
import { loadModel } from "../../lib/models/mod.ts";
import { demoProject, kmlf, REPO } from "../cli_harness.ts";
import { serveFixture } from "./ui_fixture.ts";

const CHROMIUM = "/usr/bin/chromium";

Deno.test({
  name: "the run page lists logged models with flavor, signature, input example and the serve command",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    if (!(await Deno.stat(CHROMIUM).then((s) => s.isFile, () => false))) {
      throw new Error(
        `Cannot run the browser tests: ${CHROMIUM} is missing; install it with \`apt-get install -y chromium\``,
      );
    }
    const dir = await demoProject({}, { tracked: true });
    const r = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const runId = r.stderr.match(/Model logged: runs:\/(\w+)\/model/)![1];
    const store = await openStore("mlflow.db", { baseDir: dir });
    const { url, server } = serveFixture(store);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      const run = await store.getRun(runId);
      await page.goto(`${url}/#/experiments/${run.info.experimentId}/runs/${runId}`);
      const card = page.getByTestId("logged-model");
      await card.waitFor();
      assert.deepEqual(await page.getByTestId("model-flavor").allTextContents(), ["kmlf"]);
      await page.getByTestId("model-signature").waitFor();
      const rows = await page.locator("[data-testid=model-signature] tbody tr").allTextContents();
      assert.deepEqual(rows, [
        "sepal_lengthdoublerequired",
        "sepal_widthdoublerequired",
        "petal_lengthdoublerequired",
        "petal_widthdoublerequired",
      ]);
      const example = await page.locator("[data-testid=model-input-example] tbody tr").count();
      assert.equal(example, 3, "the three instances of data/01_raw/instances.csv");
      const command = await page.getByTestId("serve-command").textContent();
      assert.equal(command, `kmlf models serve -m runs:/${runId}/model`);
      await Deno.mkdir(join(REPO, "tests/artifacts/screenshots"), { recursive: true });
      await page.screenshot({
        path: join(REPO, "tests/artifacts/screenshots/logged-model-panel.png"),
        fullPage: true,
      });
      assert.deepEqual(errors, []);
      // The command shown names a model that loads and predicts.
      const model = await loadModel(command!.split(" -m ")[1], { store, cacheDir: join(dir, ".cache") });
      assert.equal(
        (await model.predict([{
          sepal_length: 5.1,
          sepal_width: 3.5,
          petal_length: 1.4,
          petal_width: 0.2,
        }]) as { prediction: string }[])[0].prediction,
        "setosa",
      );
    } finally {
      await browser.close();
      await server.shutdown();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
