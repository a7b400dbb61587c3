/// <reference lib="dom" />
/**
 * The web UI in headless Chromium, for lists longer than one answer and for slow answers: a run with more
 * children than one page lists them page by page and links to the runs table filtered on it; the register
 * form suggests every model name past the first 1,000; a slow search dims the old rows and says
 * "Searching…"; a slow run page says it is loading instead of staying blank; a "Load more" button says
 * "Loading…" (and is aria-busy) while its page loads.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MlflowClient, SqliteStore } from "../../lib/tracking/mod.ts";
import { launchChromium } from "./ui_browser_harness.ts";
import { serveFixture } from "./ui_fixture.ts";

const CHILDREN = 105; // one page of the run page's child list (100) and 5 more

Deno.test({
  name: "long child and model lists page on; slow searches and run pages show that they are loading",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "kmlf-ui-paging-" });
    const store = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: join(dir, "mlartifacts") });
    const experimentId = await store.createExperiment("many");
    const parent =
      (await store.createRun({ experimentId, runName: "parent", startTime: Date.now() })).info.runId;
    for (let i = 0; i < CHILDREN; i++) {
      const { info } = await store.createRun({ experimentId, runName: `child-${i}`, startTime: Date.now() });
      await store.setTag(info.runId, "mlflow.parentRunId", parent);
    }
    const client = new MlflowClient(store);
    await client.logText(parent, "flavors: {}\n", "model/MLmodel");
    // 53 folders, the model in the last: the register form searches 50 folders of a folder and says so.
    const folders = (await store.createRun({ experimentId: "0", runName: "folders" })).info.runId;
    for (let i = 0; i < 53; i++) await client.logText(folders, "x\n", `f${String(i).padStart(2, "0")}/a.txt`);
    await client.logText(folders, "flavors: {}\n", "f52/MLmodel");
    const modelNames = Array.from({ length: 1003 }, (_, i) => `m-${String(i).padStart(4, "0")}`);
    for (const name of modelNames) await store.registry.createRegisteredModel(name);

    const browser = await launchChromium();
    const { url: base, server } = serveFixture(store);
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(e.message));
      const runHash = `#/experiments/${experimentId}/runs/${parent}`;
      const open = async (hash: string) => {
        await page.goto(`${base}/${hash}`);
        await page.reload({ waitUntil: "networkidle" });
      };

      await t.step(
        "a run's children past one page: said, shown on request, and linked in the runs table",
        async () => {
          await open(runHash);
          const note = page.getByTestId("child-runs-note");
          await note.filter({ hasText: "more exist" }).waitFor();
          assert.equal(await page.getByTestId("child-run").count(), 100);
          assert.equal(await note.textContent(), " (first 100 shown; more exist) ");
          await page.getByTestId("child-runs-more").click();
          await note.filter({ hasText: `(${CHILDREN})` }).waitFor();
          const labels = await page.getByTestId("child-run").allTextContents();
          assert.equal(new Set(labels).size, CHILDREN);
          assert.ok(await page.getByTestId("child-runs-more").isHidden());
          await page.getByTestId("child-runs-table").click();
          await page.getByTestId("runs-count").filter({ hasText: "runs" }).waitFor();
          assert.equal(await page.getByTestId("runs-count").textContent(), `${CHILDREN} runs`);
          assert.equal(
            new URLSearchParams(page.url().split("?")[1]).get("searchFilter"),
            `tags.\`mlflow.parentRunId\` = '${parent}'`,
          );
        },
      );

      await t.step("the register form suggests every model name, past the first 1,000", async () => {
        await open(runHash);
        await page.getByTestId("register-model").click();
        await page.getByTestId("register-name").waitFor();
        const options = await page.locator("datalist option").evaluateAll((os) =>
          os.map((o) => (o as HTMLOptionElement).value)
        );
        assert.deepEqual(options, modelNames);
      });

      await t.step("the register form says which folders it did not search for logged models", async () => {
        await open(`#/experiments/0/runs/${folders}`);
        await page.getByTestId("register-model").click();
        await page.getByTestId("no-logged-model").waitFor();
        assert.match(
          (await page.getByTestId("register-scan-note").textContent())!,
          /^Searched the first 50 folders of each folder; 3 more were not searched\. To register a model there, open its folder in the Artifacts tab/,
        );
        await open(runHash);
        await page.getByTestId("register-model").click();
        await page.getByTestId("register-name").waitFor();
        assert.equal(await page.getByTestId("register-scan-note").count(), 0);
      });

      await t.step(
        "the models list loads each page once and says Searching… while a search runs",
        async () => {
          await open("#/models");
          const count = page.getByTestId("models-count");
          await count.filter({ hasText: "100+ models" }).waitFor();
          // A double click asks for the next page once: its rows are not listed twice.
          await page.getByTestId("models-more").dblclick();
          await count.filter({ hasText: "200+ models" }).waitFor();
          const names = await page.getByTestId("model-row").evaluateAll((rows) =>
            rows.map((r) => (r as HTMLElement).dataset.name)
          );
          assert.deepEqual(names, modelNames.slice(0, 200));
          let release = () => {};
          const held = new Promise<void>((resolve) => release = resolve);
          await page.route("**/ajax-api/2.0/mlflow/registered-models/search?**", async (route) => {
            await held;
            await route.continue();
          });
          try {
            await page.getByTestId("models-search").fill("m-100");
            await count.filter({ hasText: "Searching…" }).waitFor();
            release();
            await count.filter({ hasText: "3 models" }).waitFor();
          } finally {
            release();
            await page.unroute("**/ajax-api/2.0/mlflow/registered-models/search?**");
          }
        },
      );

      await t.step("the chart view says how many of the runs its 'first N' choice draws", async () => {
        await open(`#/experiments/${experimentId}?compareRunsMode=CHART`);
        const shown = page.getByTestId("chart-runs-shown");
        await shown.filter({ hasText: "in the charts" }).waitFor();
        assert.equal(await shown.textContent(), `10 of ${CHILDREN + 1} runs in the charts`);
        await page.getByTestId("chart-max-runs").selectOption("1000");
        assert.equal(await shown.textContent(), `${CHILDREN + 1} runs in the charts`);
      });

      await t.step("a slow search dims the old rows and says Searching… until its answer is in", async () => {
        await open(`#/experiments/${experimentId}`);
        await page.getByTestId("runs-count").filter({ hasText: "runs" }).waitFor();
        let release = () => {};
        const held = new Promise<void>((resolve) => release = resolve);
        await page.route("**/ajax-api/2.0/mlflow/runs/search", async (route) => {
          await held;
          await route.continue();
        });
        try {
          await page.evaluate(
            (id) => location.hash = `#/experiments/${id}?searchFilter=attributes.run_name%3D'parent'`,
            experimentId,
          );
          await page.locator(".page-runs[data-searching=true]").waitFor();
          assert.equal(await page.getByTestId("runs-count").textContent(), "Searching…");
          assert.equal(
            await page.locator(".vt.searching[aria-busy=true], .searching[aria-busy=true]").count(),
            1,
          );
          release();
          await page.getByTestId("runs-count").filter({ hasText: "1 run" }).waitFor();
          assert.equal(await page.locator(".page-runs[data-searching]").count(), 0);
          assert.equal(await page.locator("[aria-busy]").count(), 0);
        } finally {
          release();
          await page.unroute("**/ajax-api/2.0/mlflow/runs/search");
        }
      });

      await t.step(
        "Load more and Show more say Loading… and are aria-busy while their page loads",
        async () => {
          // The button of each list, the request its click sends, and the count that says the page is in.
          let release = () => {};
          let held = Promise.resolve();
          const hold = () => held = new Promise<void>((resolve) => release = resolve);
          const busyWhileHeld = async (button: string, idle: string, loaded: () => Promise<unknown>) => {
            const more = page.getByTestId(button);
            hold();
            await more.click();
            await more.filter({ hasText: "Loading…" }).waitFor();
            assert.equal(await more.getAttribute("aria-busy"), "true");
            assert.ok(await more.isDisabled());
            release();
            await loaded();
            assert.equal(await more.textContent(), idle);
            assert.equal(await more.getAttribute("aria-busy"), null);
          };
          // Runs in pages of 50, so the experiment's 106 runs need a Load more.
          await page.route("**/ajax-api/2.0/mlflow/runs/search", async (route) => {
            const body = JSON.parse(route.request().postData() ?? "{}");
            await held;
            await route.continue({ postData: JSON.stringify({ ...body, max_results: 50 }) });
          });
          await page.route("**/ajax-api/2.0/mlflow/registered-models/search?**", async (route) => {
            await held;
            await route.continue();
          });
          try {
            await open(`#/experiments/${experimentId}`);
            const runsCount = page.getByTestId("runs-count");
            await runsCount.filter({ hasText: "50+ runs" }).waitFor();
            await busyWhileHeld(
              "load-more",
              "Load more",
              () => runsCount.filter({ hasText: "100+ runs" }).waitFor(),
            );
            await open(runHash);
            const note = page.getByTestId("child-runs-note");
            await note.filter({ hasText: "more exist" }).waitFor();
            await busyWhileHeld(
              "child-runs-more",
              "Show more",
              () => note.filter({ hasText: "first 100" }).waitFor(),
            );
            await open("#/models");
            const models = page.getByTestId("models-count");
            await models.filter({ hasText: "100+ models" }).waitFor();
            await busyWhileHeld(
              "models-more",
              "Load more",
              () => models.filter({ hasText: "200+ models" }).waitFor(),
            );
          } finally {
            release();
            await page.unroute("**/ajax-api/2.0/mlflow/runs/search");
            await page.unroute("**/ajax-api/2.0/mlflow/registered-models/search?**");
          }
        },
      );

      await t.step("a slow run page says it is loading instead of staying blank", async () => {
        await open("#/experiments");
        let release = () => {};
        const held = new Promise<void>((resolve) => release = resolve);
        await page.route("**/ajax-api/2.0/mlflow/runs/get?**", async (route) => {
          await held;
          await route.continue();
        });
        try {
          await page.evaluate((hash) => location.hash = hash, runHash);
          await page.getByTestId("page-loading").waitFor();
          assert.equal(await page.getByTestId("page-loading").textContent(), "Loading…");
          release();
          await page.getByTestId("child-runs-note").waitFor();
          assert.equal(await page.getByTestId("page-loading").count(), 0);
        } finally {
          release();
          await page.unroute("**/ajax-api/2.0/mlflow/runs/get?**");
        }
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
